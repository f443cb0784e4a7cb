/**
 * Targets: an energy, the temperature T at which exp(−E/T) is sampled, and exact draws of that law, which
 * the checkers start chains from and compare them with. The catalogue's targets (Gaussians with a full
 * precision, isotropic mixtures, double wells, a Gaussian tilted by a small bounded MLP) draw exactly;
 * `target` wraps a user's energy and sampler of its law.
 *
 * Draws are keyed like every random number of heatbath: `draw(count, seed, stream)` is a pure function of
 * its arguments.
 *
 * @module
 */
import * as check from '../check/index.js'
import * as energy from '../energy/index.js'
import { cholesky, precisionMatrix } from '../energy/linear-algebra.js'
import * as ir from '../ir/index.js'
import * as rng from '../rng/index.js'

/** Exact draws of a law: `count` rows of D numbers, row-major, a pure function of (count, seed, stream). */
export type ExactDraws = (count: number, seed: number, stream: number) => Float64Array

/** An energy, a temperature, and exact draws of exp(−E/T). */
export interface Target {
  readonly kind: 'heatbath.target'
  /** What it is, for messages: 'gaussian(D = 2, T = 0.5)'. */
  readonly name: string
  readonly energy: energy.Energy
  readonly temperature: number
  /** Numbers per configuration. */
  readonly dimension: number
  readonly draw: ExactDraws
}

/** True for a Target value. */
export const isTarget = (v: unknown): v is Target => typeof v === 'object' && v !== null && (v as Target).kind === 'heatbath.target'

/**
 * A Target, or an error that says what is missing: an energy alone has no exact draws.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkTarget } from './target.js'
 * import * as energy from '../energy/index.js'
 * assert.throws(() => checkTarget(energy.doubleWell(), 'checkStationarity: target'), { name: 'TypeError', message: /expected a target with exact draws \(testing\.target\(\{ energy, temperature, draw \}\) or a catalogue target such as testing\.gaussianTarget\), got an energy without exact draws/ })
 */
export const checkTarget = (v: unknown, where: string): Target => {
  if (isTarget(v)) return v
  const expected = 'a target with exact draws (testing.target({ energy, temperature, draw }) or a catalogue target such as testing.gaussianTarget)'
  if (energy.isEnergy(v)) throw new TypeError(`${where}: expected ${expected}, got an energy without exact draws`)
  throw check.typeError(where, expected, v)
}

/** What `target` takes. */
export interface TargetOptions {
  readonly energy: energy.Energy
  /** Default 1. */
  readonly temperature?: number
  readonly draw: ExactDraws
  readonly name?: string
}

/**
 * A target from a user's energy and exact sampler of exp(−E/T): `draw(count, seed, stream)` must return
 * count × D numbers and be a pure function of its arguments (use heatbath's rng with them).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { target } from './target.js'
 * import * as energy from '../energy/index.js'
 * import * as rng from '../rng/index.js'
 * // E = ½x² at T = 2: x ~ N(0, 2)
 * const t = target({ energy: energy.gaussian({ mean: [0] }), temperature: 2, draw: (n, seed, stream) => rng.normals(seed, stream, 0, n).map((z) => Math.SQRT2 * z) })
 * assert.equal(t.draw(5, 1, 0).length, 5)
 */
export const target = (o: TargetOptions): Target => {
  check.options<TargetOptions>(o, 'testing.target: options', ['energy', 'temperature', 'draw', 'name'])
  const e = energy.checkEnergy(o.energy, 'testing.target: energy')
  const temperature = check.positive(o.temperature ?? 1, 'testing.target: temperature')
  const draw = check.func<ExactDraws>(o.draw, 'testing.target: draw')
  const dimension = ir.size(e.shape)
  const checked: ExactDraws = (count, seed, stream) => check.numbers(draw(count, seed, stream), `testing.target(${e.name}): draw(${count}, ${seed}, ${stream})`, { length: count * dimension, lengthReason: `${count} draws × ${dimension} dimensions` })
  return Object.freeze({ kind: 'heatbath.target' as const, name: o.name ?? `${e.name}(T = ${temperature})`, energy: e, temperature, dimension, draw: checked })
}

type Matrix = readonly (readonly number[])[]

const identity = (d: number): number[][] => Array.from({ length: d }, (_r, i) => Array.from({ length: d }, (_c, j) => (i === j ? 1 : 0)))

/** Solves Lᵀx = z for a lower-triangular L (back-substitution), in place on a row of z. */
const solveTransposed = (L: Matrix, z: Float64Array, at: number, out: Float64Array): void => {
  const d = L.length
  for (let i = d - 1; i >= 0; i--) {
    let s = z[at + i]
    for (let k = i + 1; k < d; k++) s -= L[k][i] * out[at + k]
    out[at + i] = s / L[i][i]
  }
}

/** Options of {@link gaussianTarget}. */
export interface GaussianTargetOptions {
  readonly mean: readonly number[]
  /** Symmetric positive definite; the identity when omitted. */
  readonly precision?: Matrix
  /** Default 1. */
  readonly temperature?: number
}

/**
 * The Gaussian E = ½(x − μ)ᵀP(x − μ) at temperature T: exp(−E/T) is N(μ, T·P⁻¹), drawn as μ + √T·L⁻ᵀz
 * with P = LLᵀ.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { gaussianTarget } from './target.js'
 * const t = gaussianTarget({ mean: [1, -1], precision: [[2, 0.5], [0.5, 1]], temperature: 0.5 })
 * const xs = t.draw(20000, 1, 0)
 * const mean0 = xs.filter((_v, i) => i % 2 === 0).reduce((s, v) => s + v, 0) / 20000
 * assert.ok(Math.abs(mean0 - 1) < 4 * Math.sqrt(0.5 * (1 / (2 - 0.25)) / 20000)) // Var x₀ = T·(P⁻¹)₀₀ = 0.5 · 1/1.75
 */
export const gaussianTarget = (o: GaussianTargetOptions): Target => {
  check.options<GaussianTargetOptions>(o, 'testing.gaussianTarget: options', ['mean', 'precision', 'temperature'])
  const mean = check.vector(o.mean, 'testing.gaussianTarget: mean')
  const d = mean.length
  const P = o.precision === undefined ? identity(d) : precisionMatrix(o.precision, 'testing.gaussianTarget: precision', d)
  const T = check.positive(o.temperature ?? 1, 'testing.gaussianTarget: temperature')
  const L = cholesky(P) as number[][] // precisionMatrix has checked that it factorises
  const scale = Math.sqrt(T)
  const draw: ExactDraws = (count, seed, stream) => {
    const z = rng.normals(seed, stream, 0, count * d).map((v) => v * scale)
    const x = new Float64Array(count * d)
    for (let c = 0; c < count; c++) solveTransposed(L, z, c * d, x)
    for (let i = 0; i < x.length; i++) x[i] += mean[i % d]
    return x
  }
  return target({ energy: energy.gaussian({ mean, precision: P }), temperature: T, draw, name: `gaussian(D = ${d}, T = ${T})` })
}

/**
 * The law unadjusted Langevin (`sampler.ula({ stepSize: h, temperature: T })`) samples on a Gaussian
 * target instead of it: x′ = x − hP(x − μ) + √(2hT)ξ is stationary at N(μ, T·(P − hP²/2)⁻¹), each
 * direction of curvature λ at the effective temperature T·2/(2 − hλ) (diagnostics.effectiveTemperature).
 * For `checkStationarity`'s `law` option: it tests ULA's implementation, not its bias.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { gaussianTarget, ulaLaw } from './target.js'
 * const biased = ulaLaw(gaussianTarget({ mean: [0], precision: [[4]], temperature: 0.5 }), 0.25)
 * const xs = biased.draw(20000, 1, 0)
 * const variance = xs.reduce((s, v) => s + v * v, 0) / 20000
 * // the variance (T/λ)·2/(2 − hλ)
 * const want = (0.5 / 4) * 2 / (2 - 0.25 * 4)
 * assert.ok(Math.abs(variance - want) < 4 * want * Math.sqrt(2 / 20000))
 */
export const ulaLaw = (gaussian: Target, stepSize: number): Target => {
  const t = checkTarget(gaussian, 'testing.ulaLaw: target')
  const description = t.energy.description as { readonly name?: string; readonly mean?: number[]; readonly precision?: number[][] }
  if (description.name !== 'gaussian' || description.mean === undefined || description.precision === undefined) {
    throw check.rangeError('testing.ulaLaw: target', 'a Gaussian target (testing.gaussianTarget)', t.name)
  }
  const h = check.positive(stepSize, 'testing.ulaLaw: stepSize')
  const P = description.precision
  const d = P.length
  // P − hP²/2, positive definite exactly when every h·λ < 2 (else ULA diverges)
  const effective = P.map((row, i) => row.map((v, j) => v - (h / 2) * P[i].reduce((s, pik, k) => s + pik * P[k][j], 0)))
  if (cholesky(effective) === undefined) throw check.rangeError('testing.ulaLaw: stepSize', `a step size below 2/λ_max of the precision (ULA diverges at h·λ ≥ 2)`, h)
  const law = gaussianTarget({ mean: description.mean, precision: effective, temperature: t.temperature })
  return { ...law, energy: t.energy, name: `ula(h = ${h}) law of ${t.name}`, dimension: d }
}

/** Options of {@link mixtureTarget}. */
export interface MixtureTargetOptions {
  /** K means of D coordinates. */
  readonly means: readonly (readonly number[])[]
  /** The components' shared standard deviation. */
  readonly sigma: number
  /** Positive, normalised to sum 1; equal when omitted. */
  readonly weights?: readonly number[]
  /** Default 1. */
  readonly temperature?: number
}

/**
 * An isotropic Gaussian mixture Σ w_k N(μ_k, σ²I) as the law exp(−E/T): E = T·E_gmm (the mixture's
 * negative log density scaled by T, so that the law is the mixture at any T). Drawn by picking a
 * component, then a Gaussian.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { mixtureTarget } from './target.js'
 * const t = mixtureTarget({ means: [[-2, 0], [2, 0]], sigma: 0.5, weights: [1, 3], temperature: 2 })
 * const xs = t.draw(4000, 1, 0)
 * const right = xs.filter((v, i) => i % 2 === 0 && v > 0).length / 4000
 * assert.ok(Math.abs(right - 0.75) < 4 * Math.sqrt(0.75 * 0.25 / 4000))
 */
export const mixtureTarget = (o: MixtureTargetOptions): Target => {
  check.options<MixtureTargetOptions>(o, 'testing.mixtureTarget: options', ['means', 'sigma', 'weights', 'temperature'])
  const T = check.positive(o.temperature ?? 1, 'testing.mixtureTarget: temperature')
  const mixture = energy.gmm({ means: o.means, sigma: o.sigma, ...(o.weights === undefined ? {} : { weights: o.weights }) })
  const { means, sigma, weights } = mixture.description as { readonly means: number[][]; readonly sigma: number; readonly weights: number[] }
  const d = means[0].length
  const cumulative = weights.map((_w, k) => weights.slice(0, k + 1).reduce((s, w) => s + w, 0))
  const draw: ExactDraws = (count, seed, stream) => {
    const u = rng.uniforms(seed, stream, 0, count)
    const z = rng.normals(seed, stream, count + (count % 2), count * d)
    const x = new Float64Array(count * d)
    for (let c = 0; c < count; c++) {
      const k = Math.max(0, cumulative.findIndex((w) => u[c] < w))
      for (let i = 0; i < d; i++) x[c * d + i] = means[k][i] + sigma * z[c * d + i]
    }
    return x
  }
  return target({ energy: energy.scale(T)(mixture), temperature: T, draw, name: `mixture(K = ${means.length}, D = ${d}, σ = ${sigma}, T = ${T})` })
}

/** Options of {@link doubleWellTarget}. */
export interface DoubleWellTargetOptions extends energy.DoubleWellOptions {
  /** Default 1. */
  readonly temperature?: number
}

/**
 * The double well of `energy.doubleWell` at temperature T: x₀ drawn by rejection from the uniform on
 * |x₀| ≤ R, where a(x₀² − b²)² ≥ 40T (the mass beyond is below e^(−40)), the other coordinates N(0, T).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { doubleWellTarget } from './target.js'
 * const t = doubleWellTarget({ dim: 2, temperature: 0.5 })
 * const xs = t.draw(2000, 1, 0)
 * assert.equal(xs.length, 4000)
 * assert.ok(xs.every(Number.isFinite))
 */
export const doubleWellTarget = (o: DoubleWellTargetOptions = {}): Target => {
  const { temperature, ...shape } = check.options<DoubleWellTargetOptions>(o, 'testing.doubleWellTarget: options', ['a', 'b', 'dim', 'temperature'])
  const T = check.positive(temperature ?? 1, 'testing.doubleWellTarget: temperature')
  const e = energy.doubleWell(shape)
  const { a, b, dim } = e.description as { readonly a: number; readonly b: number; readonly dim: number }
  const reach = Math.sqrt(b * b + Math.sqrt((40 * T) / a))
  const draw: ExactDraws = (count, seed, stream) => {
    const x = new Float64Array(count * dim)
    const z = rng.normals(seed, stream, 0, count * dim)
    let at = 0
    const uv = new Float64Array(2)
    for (let c = 0; c < count; c++) {
      for (;;) {
        // the uniforms sit past the normals on the same stream: index 2^40 on
        rng.uniforms(seed, stream, 2 ** 40 + at, 2, uv)
        at += 2
        const x0 = reach * (2 * uv[0] - 1)
        if (uv[1] < Math.exp(-(a * (x0 * x0 - b * b) ** 2) / T)) {
          x[c * dim] = x0
          break
        }
      }
      for (let i = 1; i < dim; i++) x[c * dim + i] = Math.sqrt(T) * z[c * dim + i]
    }
    return x
  }
  return target({ energy: e, temperature: T, draw, name: `doubleWell(a = ${a}, b = ${b}, D = ${dim}, T = ${T})` })
}

/** Options of {@link tiltedGaussianTarget}. */
export interface TiltedGaussianTargetOptions extends GaussianTargetOptions {
  /** Hidden units of the tanh layer. Default 4. */
  readonly hidden?: number
  /** The seed of the weights (uniform in ±1/√fan_in, as an nn.Linear's). */
  readonly seed: number
  /** The largest |f(x)| the MLP may add (its output weights are scaled to it). Default 1. */
  readonly height?: number
}

/**
 * A Gaussian tilted by a small MLP: E(x) = ½(x − μ)ᵀP(x − μ) + f(x), f(x) = tanh(xW₀ + b₀)·w₁ + b₁ with
 * weights fixed by `seed` and scaled so that |f| ≤ height. Bounded, so exp(−E/T) is drawn exactly by
 * rejection from the Gaussian N(μ, T·P⁻¹), accepting with exp(−(f(x) + height)/T) ≥ exp(−2·height/T).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { tiltedGaussianTarget } from './target.js'
 * const t = tiltedGaussianTarget({ mean: [0, 0], seed: 3, height: 0.5, temperature: 0.7 })
 * assert.equal(t.draw(100, 1, 0).length, 200)
 */
export const tiltedGaussianTarget = (o: TiltedGaussianTargetOptions): Target => {
  const { hidden: h, seed, height: bound, ...gaussianOptions } = check.options<TiltedGaussianTargetOptions>(o, 'testing.tiltedGaussianTarget: options', ['mean', 'precision', 'temperature', 'hidden', 'seed', 'height'])
  const base = gaussianTarget(gaussianOptions as GaussianTargetOptions)
  const hidden = check.positiveInteger(h ?? 4, 'testing.tiltedGaussianTarget: hidden')
  const height = check.positive(bound ?? 1, 'testing.tiltedGaussianTarget: height')
  const key = check.seed(seed, 'testing.tiltedGaussianTarget: seed')
  const d = base.dimension
  const u = rng.uniforms(key, 0, 0, d * hidden + 2 * hidden + 1).map((v) => 2 * v - 1)
  const W0 = Array.from({ length: d }, (_r, i) => Array.from({ length: hidden }, (_c, j) => u[i * hidden + j] / Math.sqrt(d)))
  const b0 = Array.from({ length: hidden }, (_c, j) => u[d * hidden + j] / Math.sqrt(d))
  const raw = Array.from({ length: hidden }, (_c, j) => u[d * hidden + hidden + j])
  const rawBias = u[d * hidden + 2 * hidden]
  const total = raw.reduce((s, w) => s + Math.abs(w), Math.abs(rawBias))
  const w1 = raw.map((w) => [(w * height) / total])
  const b1 = (rawBias * height) / total
  const tilt = energy.define({
    name: 'tilt',
    shape: [d],
    build: (x) => ir.add(ir.reshape(ir.matmul(ir.tanh(ir.add(ir.matmul(x, ir.constant(W0)), ir.constant(b0))), ir.constant(w1)), [x.shape[0]]), b1),
  })
  const T = base.temperature
  const draw: ExactDraws = (count, seed, stream) => {
    const out = new Float64Array(count * d)
    let filled = 0
    for (let round = 0; filled < count; round++) {
      // a round of proposals on its own part of the stream: round r's draws never meet round r′'s
      const proposals = base.draw(count, seed, stream + round * 2 ** 32)
      const f = energy.energyAt(tilt, proposals)
      const v = rng.uniforms(seed, stream + round * 2 ** 32 + 2 ** 31, 0, count)
      for (let c = 0; c < count && filled < count; c++) {
        if (v[c] < Math.exp(-(f[c] + height) / T)) out.set(proposals.subarray(c * d, (c + 1) * d), d * filled++)
      }
    }
    return out
  }
  return target({ energy: energy.sum(base.energy, tilt), temperature: T, draw, name: `tiltedGaussian(D = ${d}, hidden = ${hidden}, height = ${height}, T = ${T}, seed = ${key})` })
}
