/**
 * fast-check arbitraries of the kit: targets with exact draws (Gaussians with a random SPD precision,
 * isotropic mixtures, double wells, Gaussians tilted by a small bounded MLP), kernels (exact ones, that
 * keep exp(−E/T) invariant, and any valid composition of the registered blocks), seeds and chain counts.
 * Every number comes from fast-check's own arbitraries, so a counterexample shrinks towards a small
 * dimension, few components, short compositions and round numbers.
 *
 * @module
 */
import fc from 'fast-check'
import { pipe } from 'fp-ts/lib/function.js'
import * as sampler from '../sampler/index.js'
import { doubleWellTarget, gaussianTarget, mixtureTarget, tiltedGaussianTarget, type Target } from './target.js'

/**
 * Seeds: integers in [0, 2³¹), shrinking to 0.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import fc from 'fast-check'
 * import { seeds } from './arbitraries.js'
 * assert.ok(fc.sample(seeds(), 10).every((s) => Number.isInteger(s) && s >= 0))
 */
export const seeds = (): fc.Arbitrary<number> => fc.integer({ min: 0, max: 2 ** 31 - 1 })

/**
 * Chain counts in [min, max] (default [1, 64]), shrinking to min.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import fc from 'fast-check'
 * import { chainCounts } from './arbitraries.js'
 * assert.ok(fc.sample(chainCounts({ min: 2, max: 8 }), 20).every((n) => n >= 2 && n <= 8))
 */
export const chainCounts = (o: { readonly min?: number; readonly max?: number } = {}): fc.Arbitrary<number> => fc.integer({ min: o.min ?? 1, max: o.max ?? 64 })

/** A double in [min, max] without NaN or infinities, rounded to 1/1000 so counterexamples read well. */
export const number = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min: Math.round(min * 1000), max: Math.round(max * 1000) }).map((v) => v / 1000)

/**
 * Temperatures in [0.3, 3] (default), shrinking towards the low end: T ≠ 1 catches a dropped temperature.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import fc from 'fast-check'
 * import { temperatures } from './arbitraries.js'
 * assert.ok(fc.sample(temperatures(), 20).every((T) => T >= 0.3 && T <= 3))
 */
export const temperatures = (o: { readonly min?: number; readonly max?: number } = {}): fc.Arbitrary<number> => number(o.min ?? 0.3, o.max ?? 3)

/** Sizes of the target arbitraries. */
export interface TargetSizes {
  /** Dimensions (default [1, 3]). */
  readonly dimension?: { readonly min?: number; readonly max?: number }
  readonly temperature?: fc.Arbitrary<number>
}

const dimensions = (o: TargetSizes): fc.Arbitrary<number> => fc.integer({ min: o.dimension?.min ?? 1, max: o.dimension?.max ?? 3 })

/**
 * A symmetric positive-definite D × D matrix R·diag(λ)·Rᵀ with eigenvalues in [0.5, 4] (a condition
 * number up to 8) and R a Householder reflection I − 2vvᵀ/‖v‖² (the identity when v = 0).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import fc from 'fast-check'
 * import { spdMatrices } from './arbitraries.js'
 * const [P] = fc.sample(spdMatrices(2), 1)
 * assert.equal(P[0][1], P[1][0])
 */
export const spdMatrices = (D: number): fc.Arbitrary<number[][]> =>
  fc.tuple(fc.array(number(0.5, 4), { minLength: D, maxLength: D }), fc.array(number(-1, 1), { minLength: D, maxLength: D })).map(([lambda, v]) => {
    const norm = v.reduce((s, x) => s + x * x, 0)
    const R = v.map((vi, i) => v.map((vj, j) => (i === j ? 1 : 0) - (norm === 0 ? 0 : (2 * vi * vj) / norm)))
    const P = R.map((ri) => R.map((rj) => lambda.reduce((s, l, k) => s + ri[k] * l * rj[k], 0)))
    // symmetric to the bit: the upper triangle mirrored
    return P.map((row, i) => row.map((v, j) => (j < i ? P[j][i] : v)))
  })

const vectors = (D: number, min: number, max: number): fc.Arbitrary<number[]> => fc.array(number(min, max), { minLength: D, maxLength: D })

/**
 * Gaussian targets: D in [1, 3], mean in [−2, 2]ᴰ, a random SPD precision, T in [0.3, 3].
 *
 * @example
 * import assert from 'node:assert/strict'
 * import fc from 'fast-check'
 * import { gaussianTargets } from './arbitraries.js'
 * const [t] = fc.sample(gaussianTargets({ dimension: { min: 2, max: 2 } }), 1)
 * assert.equal(t.dimension, 2)
 */
export const gaussianTargets = (o: TargetSizes = {}): fc.Arbitrary<Target> =>
  dimensions(o).chain((D) =>
    fc.record({ mean: vectors(D, -2, 2), precision: spdMatrices(D), temperature: o.temperature ?? temperatures() }).map((g) => gaussianTarget(g)),
  )

/**
 * Isotropic Gaussian mixtures: 2 or 3 components in D dimensions, means in [−3, 3]ᴰ, σ in [0.3, 1.5],
 * weights in [0.2, 1] (normalised), T in [0.3, 3] (the law is the mixture at any T).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import fc from 'fast-check'
 * import { mixtureTargets } from './arbitraries.js'
 * assert.ok(fc.sample(mixtureTargets(), 5).every((t) => t.energy.name === 'scale'))
 */
export const mixtureTargets = (o: TargetSizes = {}): fc.Arbitrary<Target> =>
  fc.tuple(dimensions(o), fc.integer({ min: 2, max: 3 })).chain(([D, K]) =>
    fc
      .record({
        means: fc.array(vectors(D, -3, 3), { minLength: K, maxLength: K }),
        sigma: number(0.3, 1.5),
        weights: fc.array(number(0.2, 1), { minLength: K, maxLength: K }),
        temperature: o.temperature ?? temperatures(),
      })
      .map((m) => mixtureTarget(m)),
  )

/**
 * Double wells E = a(x₀⁴ − 2b²x₀²) + ½Σxᵢ²: a in [0.5, 2], b in [0.5, 1.5], D in [1, 3], T in [0.3, 3].
 *
 * @example
 * import assert from 'node:assert/strict'
 * import fc from 'fast-check'
 * import { doubleWellTargets } from './arbitraries.js'
 * assert.ok(fc.sample(doubleWellTargets(), 5).every((t) => t.energy.name === 'doubleWell'))
 */
export const doubleWellTargets = (o: TargetSizes = {}): fc.Arbitrary<Target> =>
  fc.record({ a: number(0.5, 2), b: number(0.5, 1.5), dim: dimensions(o), temperature: o.temperature ?? temperatures() }).map((w) => doubleWellTarget(w))

/**
 * Gaussians tilted by a small tanh MLP of bounded weights (|f| ≤ height in [0.1, 1], 1 to 4 hidden
 * units), drawn exactly by rejection.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import fc from 'fast-check'
 * import { mlpTargets } from './arbitraries.js'
 * assert.ok(fc.sample(mlpTargets(), 3).every((t) => t.name.startsWith('tiltedGaussian')))
 */
export const mlpTargets = (o: TargetSizes = {}): fc.Arbitrary<Target> =>
  dimensions(o).chain((D) =>
    fc
      .record({ mean: vectors(D, -1, 1), precision: spdMatrices(D), hidden: fc.integer({ min: 1, max: 4 }), seed: seeds(), height: number(0.1, 1), temperature: o.temperature ?? temperatures() })
      .map((m) => tiltedGaussianTarget(m)),
  )

/**
 * Any of the target arbitraries (Gaussians first, so shrinking heads for them).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import fc from 'fast-check'
 * import { targets } from './arbitraries.js'
 * assert.ok(fc.sample(targets(), 8).every((t) => t.kind === 'heatbath.target'))
 */
export const targets = (o: TargetSizes = {}): fc.Arbitrary<Target> => fc.oneof(gaussianTargets(o), mixtureTargets(o), doubleWellTargets(o), mlpTargets(o))

/** The exact kernels of one family at temperature T, with step sizes in a given range. */
const exactFamilies = (T: number, step: { readonly min: number; readonly max: number }): fc.Arbitrary<sampler.Kernel> =>
  fc.oneof(
    number(step.min, step.max).map((h) => sampler.mala({ stepSize: h, temperature: T })),
    fc.tuple(number(step.min, step.max), fc.integer({ min: 1, max: 4 })).map(([h, L]) => sampler.hmc({ stepSize: h, leapfrogSteps: L, temperature: T })),
    number(step.min, step.max).map((s) => pipe(sampler.noise({ scale: 2 * s * Math.sqrt(T) }), sampler.metropolis({ temperature: T }))),
    // partial momentum refresh then a Metropolis-corrected leapfrog: exact for (x, p) ~ exp(−(E + ½‖p‖²)/T)
    fc.tuple(number(step.min, step.max), number(0.2, 2)).map(([h, friction]) =>
      sampler.sequence(sampler.momentum({ friction, stepSize: h, temperature: T }), pipe(sampler.leapfrog({ stepSize: h }), sampler.metropolis({ temperature: T }))),
    ),
  )

/**
 * Kernels that keep exp(−E/T) invariant (with the momentum at N(0, T·I)): MALA, HMC, random-walk
 * Metropolis and a Metropolis-corrected leapfrog after a partial momentum refresh, alone or composed
 * (a sequence of up to three, a repeat, an `every`). Step sizes in [0.05, 0.5] by default.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import fc from 'fast-check'
 * import { exactKernels } from './arbitraries.js'
 * import * as sampler from '../sampler/index.js'
 * assert.ok(fc.sample(exactKernels(0.5), 10).every((k) => sampler.isKernel(k)))
 */
export const exactKernels = (temperature: number, step: { readonly min: number; readonly max: number } = { min: 0.05, max: 0.5 }): fc.Arbitrary<sampler.Kernel> => {
  const one = exactFamilies(temperature, step)
  return fc.oneof(
    { weight: 3, arbitrary: one },
    { weight: 1, arbitrary: fc.array(one, { minLength: 2, maxLength: 3 }).map((ks) => sampler.sequence(...ks)) },
    { weight: 1, arbitrary: fc.tuple(one, fc.integer({ min: 2, max: 3 })).map(([k, n]) => pipe(k, sampler.repeat(n))) },
    { weight: 1, arbitrary: fc.tuple(one, fc.integer({ min: 2, max: 3 })).map(([k, n]) => pipe(k, sampler.every(n))) },
  )
}

/** An arbitrary of each registered block of the package, as a leaf or around blocks already drawn. */
const blockArbitraries = (inner: fc.Arbitrary<sampler.Kernel>): Readonly<Record<string, fc.Arbitrary<sampler.Kernel>>> => {
  const h = number(0.01, 0.5)
  return {
    drift: fc.tuple(h, fc.option(number(0.5, 5), { nil: null })).map(([stepSize, clip]) => sampler.drift({ stepSize, clip })),
    noise: fc.oneof(number(0, 1).map((scale) => sampler.noise({ scale })), fc.tuple(h, temperatures()).map(([stepSize, temperature]) => sampler.noise({ stepSize, temperature }))),
    clamp: fc.tuple(number(-5, 0), number(0.1, 5)).map(([low, width]) => sampler.clamp({ low, high: low + width })),
    reflect: fc.tuple(number(-5, 0), number(0.1, 5)).map(([low, width]) => sampler.reflect({ low, high: low + width })),
    momentum: fc.oneof(temperatures().map((temperature) => sampler.momentum({ temperature })), fc.tuple(number(0.1, 3), h, temperatures()).map(([friction, stepSize, temperature]) => sampler.momentum({ friction, stepSize, temperature }))),
    kick: h.map((stepSize) => sampler.kick({ stepSize })),
    move: h.map((stepSize) => sampler.move({ stepSize })),
    leapfrog: h.map((stepSize) => sampler.leapfrog({ stepSize })),
    nuts: fc.tuple(h, fc.integer({ min: 1, max: 5 }), temperatures()).map(([stepSize, maxTreeDepth, temperature]) => sampler.nuts({ stepSize, maxTreeDepth, temperature })),
    sequence: fc.array(inner, { minLength: 1, maxLength: 3 }).map((ks) => sampler.sequence(...ks)),
    repeat: fc.tuple(inner, fc.integer({ min: 1, max: 3 })).map(([k, n]) => pipe(k, sampler.repeat(n))),
    every: fc.tuple(inner, fc.integer({ min: 1, max: 3 })).map(([k, n]) => pipe(k, sampler.every(n))),
    // a proposal whose density is known: a random walk (optionally reflected), Langevin, or leapfrog steps
    metropolis: fc
      .tuple(
        fc.oneof(
          number(0.1, 1).map((scale) => sampler.noise({ scale })),
          number(0.1, 1).map((scale) => sampler.sequence(sampler.noise({ scale }), sampler.reflect({ low: -4, high: 4 }))),
          h.map((stepSize) => sampler.sequence(sampler.drift({ stepSize }), sampler.noise({ stepSize }))),
          fc.tuple(h, fc.integer({ min: 1, max: 3 })).map(([stepSize, n]) => pipe(sampler.leapfrog({ stepSize }), sampler.repeat(n))),
        ),
        temperatures(),
      )
      .map(([proposal, temperature]) => sampler.metropolis({ temperature })(proposal)),
  }
}

/**
 * The block types {@link kernels} draws from: every registered block for real coordinates. A spec checks that
 * no registered block is missing here.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { kernelBlockTypes } from './arbitraries.js'
 * assert.ok(kernelBlockTypes().includes('leapfrog'))
 */
export const kernelBlockTypes = (): readonly string[] => Object.keys(blockArbitraries(fc.constant(sampler.move({ stepSize: 0.1 }))))

/**
 * Any valid kernel: a random composition of the registered blocks (up to `depth` levels of combinators,
 * default 2), whether or not it samples anything in particular: for properties every kernel must have
 * (it checks, flattens, runs deterministically, agrees between runners).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import fc from 'fast-check'
 * import { kernels } from './arbitraries.js'
 * import * as sampler from '../sampler/index.js'
 * assert.ok(fc.sample(kernels(), 20).every((k) => sampler.checkKernel(JSON.parse(JSON.stringify(k)), 'k') !== undefined))
 */
export const kernels = (o: { readonly depth?: number } = {}): fc.Arbitrary<sampler.Kernel> => compositions(blockArbitraries, o.depth ?? 2)

/** Kernels drawn from a record of block arbitraries, each around kernels drawn the same way, up to `depth` levels. */
export const compositions = (blocks: (inner: fc.Arbitrary<sampler.Kernel>) => Readonly<Record<string, fc.Arbitrary<sampler.Kernel>>>, depth: number): fc.Arbitrary<sampler.Kernel> => {
  const { kernel } = fc.letrec<{ kernel: sampler.Kernel }>((tie) => ({ kernel: fc.oneof({ depthSize: 'small', maxDepth: depth }, ...Object.values(blocks(tie('kernel')))) }))
  return kernel
}
