/**
 * The analytic catalogue: energies with closed forms, used as targets for samplers and as test cases.
 * Location parameters (the quadratic's θ, the Gaussian's mean, the mixture's means) are trainable
 * parameters initialised at the given values; the other options are constants of the energy.
 *
 * @module
 */
import * as ir from '../ir/index.js'
import { array, finite, integer, matrix, options as checkOptions, positive, positiveInteger, vector } from '../check/index.js'
import { define, type Energy } from './energy.js'
import { precisionMatrix } from './linear-algebra.js'

// Coordinate i of a batch x [batch, d], as [batch].
const coordinate = (x: ir.Expr, i: number): ir.Expr => ir.reshape(ir.slice(x, 1, i, i + 1), [x.shape[0]])

/** Options of {@link quadratic}. */
export interface QuadraticOptions {
  /** The initial θ; its length is the dimension. */
  readonly center: readonly number[]
}

/**
 * The quadratic toy model E(x) = ½‖x − θ‖², with θ a trainable parameter named 'theta'.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { quadratic, evaluate } from './index.js'
 * assert.deepEqual(evaluate(quadratic({ center: [1, 0] }), [[1, 2]]), new Float64Array([2]))
 */
export const quadratic = (options: QuadraticOptions): Energy => {
  const o = checkOptions<QuadraticOptions>(options, 'energy.quadratic: options', ['center'])
  const center = vector(o.center, 'energy.quadratic: center')
  return define({
    name: 'quadratic',
    shape: [center.length],
    params: { theta: { shape: [center.length], init: { kind: 'values', values: center } } },
    build: (x, p) => ir.mul(ir.sum(ir.square(ir.sub(x, p.theta)), 1), 0.5),
    description: { name: 'quadratic', center },
  })
}

/** Options of {@link gaussian}. */
export interface GaussianOptions {
  readonly mean: readonly number[]
  /** The precision matrix Σ⁻¹ (symmetric positive definite); the identity when omitted. */
  readonly precision?: readonly (readonly number[])[]
}

/**
 * The Gaussian energy E(x) = ½(x − μ)ᵀ P (x − μ) with a full precision matrix P. It is not normalised:
 * log Z = (d/2) log 2π − ½ log det P. The mean is a trainable parameter named 'mean'.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { gaussian, evaluate } from './index.js'
 * const e = gaussian({ mean: [0, 0], precision: [[2, 0.5], [0.5, 1]] })
 * assert.deepEqual(evaluate(e, [[1, 0]]), new Float64Array([1]))
 */
export const gaussian = (options: GaussianOptions): Energy => {
  const o = checkOptions<GaussianOptions>(options, 'energy.gaussian: options', ['mean', 'precision'])
  const mean = vector(o.mean, 'energy.gaussian: mean')
  const d = mean.length
  const precision =
    o.precision === undefined
      ? mean.map((_m, i) => mean.map((_n, j) => (i === j ? 1 : 0)))
      : precisionMatrix(o.precision, 'energy.gaussian: precision', d)
  const P = ir.constant(precision)
  return define({
    name: 'gaussian',
    shape: [d],
    params: { mean: { shape: [d], init: { kind: 'values', values: mean } } },
    build: (x, p) => {
      const r = ir.sub(x, p.mean)
      return ir.mul(ir.sum(ir.mul(r, ir.matmul(r, P)), 1), 0.5)
    },
    description: { name: 'gaussian', mean, precision },
  })
}

/** Options of {@link gmm}. */
export interface GmmOptions {
  /** K means of d coordinates each. */
  readonly means: readonly (readonly number[])[]
  /** The standard deviation shared by every component (isotropic). */
  readonly sigma: number
  /** Positive weights, one per component, normalised to sum 1; equal when omitted. */
  readonly weights?: readonly number[]
}

/**
 * A Gaussian mixture with isotropic components of a shared σ, as a normalised energy (log Z = 0):
 * E(x) = −log Σ_k w_k N(x; μ_k, σ²I). The means are a trainable parameter 'means' of shape [K, d].
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { gmm, evaluate } from './index.js'
 * const e = gmm({ means: [[-2, 0], [2, 0]], sigma: 0.5 })
 * assert.equal(evaluate(e, [[2, 0]])[0] < evaluate(e, [[0, 0]])[0], true)
 */
export const gmm = (options: GmmOptions): Energy => {
  const o = checkOptions<GmmOptions>(options, 'energy.gmm: options', ['means', 'sigma', 'weights'])
  const means = matrix(o.means, 'energy.gmm: means')
  const sigma = positive(o.sigma, 'energy.gmm: sigma')
  const k = means.length
  const d = means[0].length
  const raw = o.weights === undefined ? new Array<number>(k).fill(1) : vector(array(o.weights, 'energy.gmm: weights', { length: k, lengthReason: 'the means' }), 'energy.gmm: weights')
  raw.forEach((w, i) => positive(w, `energy.gmm: weights[${i}]`))
  const total = raw.reduce((s, w) => s + w, 0)
  const weights = raw.map((w) => w / total)
  const logWeights = ir.constant(weights.map(Math.log))
  const logNormaliser = (d / 2) * Math.log(2 * Math.PI * sigma * sigma)
  return define({
    name: 'gmm',
    shape: [d],
    params: { means: { shape: [k, d], init: { kind: 'values', values: means.flat() } } },
    build: (x, p) => {
      const b = x.shape[0]
      const squared = ir.sum(ir.square(ir.sub(ir.reshape(x, [b, 1, d]), p.means)), 2) // [batch, K]
      const logJoint = ir.add(ir.mul(squared, -1 / (2 * sigma * sigma)), logWeights)
      return ir.add(ir.neg(ir.logsumexp(logJoint, 1)), logNormaliser)
    },
    description: { name: 'gmm', means, sigma, weights },
  })
}

/** Options of {@link doubleWell}. */
export interface DoubleWellOptions {
  /** Height scale: the barrier is a·b⁴ above the minima. Default 1. */
  readonly a?: number
  /** Position of the minima ±b along the first coordinate. Default 1. */
  readonly b?: number
  /** Dimension; coordinates after the first are harmonic, ½x². Default 1. */
  readonly dim?: number
}

/**
 * The double well E(x) = a(x₀⁴ − 2b²x₀²) + ½Σ_{i≥1} xᵢ²: minima at x₀ = ±b with energy −a·b⁴ and a
 * barrier of height a·b⁴ at 0. The defaults give U(θ) = −2θ² + θ⁴ of the SGHMC paper (Chen, Fox and
 * Guestrin 2014).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { doubleWell, evaluate } from './index.js'
 * assert.deepEqual(evaluate(doubleWell(), [[0.5]]), new Float64Array([-0.4375])) // −2·0.25 + 0.0625
 */
export const doubleWell = (options: DoubleWellOptions = {}): Energy => {
  const o = checkOptions<DoubleWellOptions>(options, 'energy.doubleWell: options', ['a', 'b', 'dim'])
  const a = positive(o.a ?? 1, 'energy.doubleWell: a')
  const b = positive(o.b ?? 1, 'energy.doubleWell: b')
  const dim = positiveInteger(o.dim ?? 1, 'energy.doubleWell: dim')
  return define({
    name: 'doubleWell',
    shape: [dim],
    build: (x) => {
      const x0 = coordinate(x, 0)
      const well = ir.mul(ir.sub(ir.pow(x0, 4), ir.mul(ir.square(x0), 2 * b * b)), a)
      return dim === 1 ? well : ir.add(well, ir.mul(ir.sum(ir.square(ir.slice(x, 1, 1, dim)), 1), 0.5))
    },
    description: { name: 'doubleWell', a, b, dim },
  })
}

/** Options of {@link rosenbrock}. */
export interface RosenbrockOptions {
  readonly a?: number
  readonly b?: number
  readonly dim?: number
}

/**
 * The Rosenbrock "banana" E(x) = Σ_{i<d−1} b(x_{i+1} − xᵢ²)² + (a − xᵢ)², minimum 0 at (a, a², ...) for
 * d = 2. Defaults a = 1, b = 100, d = 2; for sampling, temper it (b = 100 is a very narrow valley).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { rosenbrock, evaluate } from './index.js'
 * assert.deepEqual(evaluate(rosenbrock(), [[1, 1], [0, 0]]), new Float64Array([0, 1]))
 */
export const rosenbrock = (options: RosenbrockOptions = {}): Energy => {
  const o = checkOptions<RosenbrockOptions>(options, 'energy.rosenbrock: options', ['a', 'b', 'dim'])
  const a = finite(o.a ?? 1, 'energy.rosenbrock: a')
  const b = positive(o.b ?? 100, 'energy.rosenbrock: b')
  const dim = integer(o.dim ?? 2, 'energy.rosenbrock: dim', { min: 2 })
  return define({
    name: 'rosenbrock',
    shape: [dim],
    build: (x) => {
      const head = ir.slice(x, 1, 0, dim - 1)
      const tail = ir.slice(x, 1, 1, dim)
      const valley = ir.mul(ir.square(ir.sub(tail, ir.square(head))), b)
      return ir.sum(ir.add(valley, ir.square(ir.sub(a, head))), 1)
    },
    description: { name: 'rosenbrock', a, b, dim },
  })
}

/** Options of {@link rastrigin}. */
export interface RastriginOptions {
  readonly A?: number
  readonly dim?: number
}

/**
 * The Rastrigin energy E(x) = A·d + Σ xᵢ² − A cos(2πxᵢ): a global minimum 0 at the origin among a lattice
 * of local minima near the integers. Defaults A = 10, d = 2.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { rastrigin, evaluate } from './index.js'
 * assert.deepEqual(evaluate(rastrigin(), [[0, 0]]), new Float64Array([0]))
 */
export const rastrigin = (options: RastriginOptions = {}): Energy => {
  const o = checkOptions<RastriginOptions>(options, 'energy.rastrigin: options', ['A', 'dim'])
  const A = positive(o.A ?? 10, 'energy.rastrigin: A')
  const dim = positiveInteger(o.dim ?? 2, 'energy.rastrigin: dim')
  return define({
    name: 'rastrigin',
    shape: [dim],
    build: (x) => ir.add(ir.sum(ir.sub(ir.square(x), ir.mul(ir.cos(ir.mul(x, 2 * Math.PI)), A)), 1), A * dim),
    description: { name: 'rastrigin', A, dim },
  })
}

/** Options of {@link funnel}. */
export interface FunnelOptions {
  /** Standard deviation of the neck coordinate v. Default 3. */
  readonly sigma?: number
  /** Dimension d: v and d − 1 coordinates z. Default 2. */
  readonly dim?: number
}

/**
 * Neal's funnel (Neal 2003): v ~ N(0, σ²) and zᵢ | v ~ N(0, eᵛ), as the energy
 * E(v, z) = v²/(2σ²) + e^(−v)·Σzᵢ²/2 + (d − 1)·v/2, so log Z = (d/2) log 2π + log σ. The first coordinate
 * is v.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { funnel, evaluate } from './index.js'
 * assert.deepEqual(evaluate(funnel(), [[0, 1]]), new Float64Array([0.5]))
 */
export const funnel = (options: FunnelOptions = {}): Energy => {
  const o = checkOptions<FunnelOptions>(options, 'energy.funnel: options', ['sigma', 'dim'])
  const sigma = positive(o.sigma ?? 3, 'energy.funnel: sigma')
  const dim = integer(o.dim ?? 2, 'energy.funnel: dim', { min: 2 })
  return define({
    name: 'funnel',
    shape: [dim],
    build: (x) => {
      const v = coordinate(x, 0)
      const z = ir.sum(ir.square(ir.slice(x, 1, 1, dim)), 1)
      const neck = ir.mul(ir.square(v), 1 / (2 * sigma * sigma))
      return ir.add(ir.add(neck, ir.mul(ir.mul(ir.exp(ir.neg(v)), z), 0.5)), ir.mul(v, (dim - 1) / 2))
    },
    description: { name: 'funnel', sigma, dim },
  })
}
