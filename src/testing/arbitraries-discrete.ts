/**
 * fast-check arbitraries of finite state spaces: random small discrete energies (Boltzmann machines with
 * random symmetric couplings and fields, RBMs' joint energies, 2 × 2 Ising lattices, on spins or binary
 * units) and discrete kernels (random compositions of the discrete blocks that apply to an energy).
 * Couplings are multiples of 1/1000, so counterexamples shrink to few units, zeros and round numbers.
 *
 * @module
 */
import fc from 'fast-check'
import { pipe } from 'fp-ts/lib/function.js'
import * as energy from '../energy/index.js'
import { lattice } from '../energy/ising.js'
import { colourClasses, type DiscreteDomain } from '../energy/structure.js'
import * as sampler from '../sampler/index.js'
import { compositions, number } from './arbitraries.js'

const couplings = (n: number): fc.Arbitrary<number[]> => fc.array(number(-1.5, 1.5), { minLength: n, maxLength: n })
const domains = (o: { readonly domain?: DiscreteDomain }): fc.Arbitrary<DiscreteDomain> => (o.domain === undefined ? fc.constantFrom('spins' as const, 'binary' as const) : fc.constant(o.domain))

/**
 * Boltzmann machines E = −½xᵀWx − bᵀx of `units` (default 2 … 5) units, W symmetric with a zero
 * diagonal, couplings and fields in [−1.5, 1.5], on spins or binary units (or `domain`).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import fc from 'fast-check'
 * import { boltzmannMachines } from './arbitraries-discrete.js'
 * assert.ok(fc.sample(boltzmannMachines({ units: { min: 3, max: 3 }, domain: 'binary' }), 5).every((e) => e.shape[0] === 3 && e.domain === 'binary'))
 */
export const boltzmannMachines = (o: { readonly units?: { readonly min?: number; readonly max?: number }; readonly domain?: DiscreteDomain } = {}): fc.Arbitrary<energy.Energy> =>
  fc.integer({ min: o.units?.min ?? 2, max: o.units?.max ?? 5 }).chain((D) =>
    fc.record({ upper: couplings((D * (D - 1)) / 2), bias: couplings(D), domain: domains(o) }).map(({ upper, bias, domain }) => {
      const W = Array.from({ length: D }, () => new Array<number>(D).fill(0))
      let k = 0
      for (let i = 0; i < D; i++) for (let j = i + 1; j < D; j++) W[i][j] = W[j][i] = upper[k++]
      return energy.boltzmann({ weights: W, bias, domain })
    }),
  )

/**
 * RBMs' joint energies over 1 … 3 visible and 1 … 3 hidden units, weights and biases in [−1.5, 1.5].
 *
 * @example
 * import assert from 'node:assert/strict'
 * import fc from 'fast-check'
 * import { bipartiteModels } from './arbitraries-discrete.js'
 * assert.ok(fc.sample(bipartiteModels(), 5).every((e) => e.structure?.kind === 'bipartite'))
 */
export const bipartiteModels = (o: { readonly domain?: DiscreteDomain } = {}): fc.Arbitrary<energy.Energy> =>
  fc.record({ V: fc.integer({ min: 1, max: 3 }), H: fc.integer({ min: 1, max: 3 }) }).chain(({ V, H }) =>
    fc.record({ W: fc.array(couplings(H), { minLength: V, maxLength: V }), a: couplings(V), b: couplings(H), domain: domains(o) }).map(({ W, a, b, domain }) => energy.bipartite({ weights: W, visibleBias: a, hiddenBias: b, domain })),
  )

/**
 * Gaussian–Bernoulli RBMs' joint energies (domain 'mixed': real visible units, binary hidden ones) over
 * 1 … 3 visible and 1 … 3 hidden units, weights and biases in [−1.5, 1.5], σ in [0.3, 2]: what block
 * Gibbs samples with a Gaussian visible layer.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import fc from 'fast-check'
 * import { gaussianBipartiteModels } from './arbitraries-discrete.js'
 * assert.ok(fc.sample(gaussianBipartiteModels(), 5).every((e) => e.domain === 'mixed' && e.structure?.kind === 'bipartite'))
 */
export const gaussianBipartiteModels = (): fc.Arbitrary<energy.Energy> =>
  fc.record({ V: fc.integer({ min: 1, max: 3 }), H: fc.integer({ min: 1, max: 3 }) }).chain(({ V, H }) =>
    fc.record({ W: fc.array(couplings(H), { minLength: V, maxLength: V }), a: couplings(V), b: couplings(H), sigma: number(0.3, 2) }).map(({ W, a, b, sigma }) => energy.gaussianBipartite({ weights: W, visibleBias: a, hiddenBias: b, sigma })),
  )

/**
 * 2 × 2 Ising lattices (periodic: each neighbour pair bonded twice) with coupling and field in [−1.5, 1.5].
 *
 * @example
 * import assert from 'node:assert/strict'
 * import fc from 'fast-check'
 * import { isingLattices } from './arbitraries-discrete.js'
 * assert.ok(fc.sample(isingLattices(), 5).every((e) => e.structure?.kind === 'lattice' && e.domain === 'spins'))
 */
export const isingLattices = (): fc.Arbitrary<energy.Energy> => fc.tuple(couplings(1), couplings(1)).map(([[J], [h]]) => lattice({ size: 2, coupling: J, field: h }))

/**
 * Any of the discrete energy arbitraries, of at most 6 units (Boltzmann machines first, so shrinking
 * heads for them).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import fc from 'fast-check'
 * import { discreteEnergies } from './arbitraries-discrete.js'
 * assert.ok(fc.sample(discreteEnergies(), 10).every((e) => e.domain !== 'real'))
 */
export const discreteEnergies = (): fc.Arbitrary<energy.Energy> => fc.oneof(boltzmannMachines(), bipartiteModels(), isingLattices())

const orders = fc.constantFrom('random' as const, 'sequential' as const)

/** An arbitrary of each discrete block that applies to `e` at temperature T (descent, at T = 0, only with `descent`), and of the combinators around `inner`. */
const discreteBlockArbitraries = (e: energy.Energy, T: number, inner: fc.Arbitrary<sampler.Kernel>, o: { readonly descent: boolean; readonly every: boolean }): Readonly<Record<string, fc.Arbitrary<sampler.Kernel>>> => {
  const lattice = e.structure?.kind === 'lattice'
  const siteOrders = lattice ? fc.constantFrom('random' as const, 'sequential' as const, 'checkerboard' as const) : orders
  const classes = e.structure === undefined ? [] : colourClasses(e.structure)
  // A mixed joint (Gaussian visible units) is sampled by block Gibbs alone: no unit of it flips.
  const flips: Readonly<Record<string, fc.Arbitrary<sampler.Kernel>>> = e.domain === 'mixed' ? {} : { heatBath: siteOrders.map((order) => sampler.heatBath({ temperature: T, order })), metropolisFlips: siteOrders.map((order) => sampler.metropolisFlips({ temperature: T, order })) }
  return {
    ...flips,
    ...(classes.length === 0 ? {} : { gibbs: fc.subarray(classes as sampler.ColourClass[], { minLength: 1 }).chain((cs) => fc.shuffledSubarray(cs, { minLength: cs.length })).map((cs) => sampler.gibbs({ temperature: T, classes: cs })) }),
    ...(e.domain === 'spins' ? { wolff: fc.constant(sampler.wolff({ temperature: T })) } : {}),
    ...(o.descent && e.domain !== 'mixed' ? { descent: fc.constantFrom('random' as const, 'sequential' as const, 'synchronous' as const).map((order) => sampler.descent({ order })) } : {}),
    sequence: fc.array(inner, { minLength: 1, maxLength: 3 }).map((ks) => sampler.sequence(...ks)),
    repeat: fc.tuple(inner, fc.integer({ min: 1, max: 3 })).map(([k, n]) => pipe(k, sampler.repeat(n))),
    ...(o.every ? { every: fc.tuple(inner, fc.integer({ min: 1, max: 3 })).map(([k, n]) => pipe(k, sampler.every(n))) } : {}),
  }
}

/**
 * Kernels that keep π ∝ exp(−E/T) on a discrete energy `e`: its heat-bath, Metropolis-flip, block Gibbs
 * (bipartite models and even lattices) and Wolff (spins) updates, alone or in sequences and repeats (up
 * to `depth` levels, default 2). Each has an exact transition matrix (`exactTransitions`).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import fc from 'fast-check'
 * import * as energy from '../energy/index.js'
 * import { exactDiscreteKernels } from './arbitraries-discrete.js'
 * import { hasExactTransitions } from './exact-transitions.js'
 * const e = energy.bipartite({ weights: [[0.5]], domain: 'spins' })
 * assert.ok(fc.sample(exactDiscreteKernels(e, 1.5), 20).every(hasExactTransitions))
 */
export const exactDiscreteKernels = (e: energy.Energy, temperature: number, o: { readonly depth?: number } = {}): fc.Arbitrary<sampler.Kernel> =>
  compositions((inner) => discreteBlockArbitraries(e, temperature, inner, { descent: false, every: false }), o.depth ?? 2)

/**
 * Any valid kernel of discrete blocks for `e` (zero-temperature descent and `every` included), for the
 * properties every kernel must have (it checks, runs deterministically, agrees between runners). On a
 * Gaussian–Bernoulli joint (domain 'mixed') the only block is block Gibbs, in compositions.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import fc from 'fast-check'
 * import * as energy from '../energy/index.js'
 * import * as sampler from '../sampler/index.js'
import { compositions, number } from './arbitraries.js'
 * import { discreteKernels } from './arbitraries-discrete.js'
 * const e = energy.boltzmann({ weights: [[0, 1], [1, 0]] })
 * assert.ok(fc.sample(discreteKernels(e, 0.7), 20).every((k) => sampler.isKernel(k)))
 */
export const discreteKernels = (e: energy.Energy, temperature: number, o: { readonly depth?: number } = {}): fc.Arbitrary<sampler.Kernel> =>
  compositions((inner) => discreteBlockArbitraries(e, temperature, inner, { descent: true, every: true }), o.depth ?? 2)

/**
 * The block types {@link discreteKernels} draws from on a spin lattice (where every discrete block
 * applies). A spec checks that no registered discrete block is missing.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { discreteBlockTypes } from './arbitraries-discrete.js'
 * assert.ok(discreteBlockTypes().includes('wolff'))
 */
export const discreteBlockTypes = (): readonly string[] => Object.keys(discreteBlockArbitraries(lattice({ size: 2 }), 1, fc.constant(sampler.descent()), { descent: true, every: true }))
