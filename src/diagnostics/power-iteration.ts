/**
 * The largest eigenvalue of a Hessian by power iteration on Hessian-vector products.
 *
 * @module
 */
import { array, func, nonNegative, options as checkOptions, positiveInteger, rangeError } from '../check/index.js'

/**
 * What power iteration found.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * const found: diagnostics.Eigenpair = diagnostics.largestEigenvalue((v) => v.map((x) => 3 * x), 2)
 * assert.ok(Math.abs(found.eigenvalue - 3) < 1e-12)
 */
export interface Eigenpair {
  /** The Rayleigh quotient vᵀHv of the last unit vector: the eigenvalue of largest magnitude, signed. */
  readonly eigenvalue: number
  /** The unit eigenvector estimate. */
  readonly vector: Float64Array
  /** How many Hessian-vector products were taken. */
  readonly iterations: number
  /** Whether the residual ‖Hv − λv‖ fell below `tolerance`·|λ| within `maxIterations`. */
  readonly converged: boolean
}

/**
 * Options of power iteration.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const options: diagnostics.PowerIterationOptions = { tolerance: 1e-6, maxIterations: 100 }
 * const found = diagnostics.largestEigenvalue((v) => new Float64Array([2 * v[0], 5 * v[1]]), 2, options)
 * assert.ok(found.converged && found.iterations <= 100)
 * // the Rayleigh quotient is off by about the residual squared over the gap: (1e-6·5)²/3 ≈ 1e-11
 * assert.ok(Math.abs(found.eigenvalue - 5) < 1e-10)
 */
export interface PowerIterationOptions {
  /** Relative residual ‖Hv − λv‖/|λ| at which to stop; 1e-10 by default (λ is then exact to about its square). */
  readonly tolerance?: number
  /** The most Hessian-vector products to take; 1000 by default. */
  readonly maxIterations?: number
}

// The start vector: a Weyl sequence frac((i + 1)·(√5 − 1)/2) − ½, normalised. It is deterministic (no RNG)
// yet has no structure (not constant, not alternating), so it is unlikely to be orthogonal to the top
// eigenvector of a real Hessian.
const startVector = (dimension: number): Float64Array => {
  const golden = (Math.sqrt(5) - 1) / 2
  const v = Float64Array.from({ length: dimension }, (_, i) => (((i + 1) * golden) % 1) - 0.5)
  return scale(v, 1 / norm(v))
}

const norm = (v: Float64Array): number => {
  let s = 0
  for (let i = 0; i < v.length; i++) s += v[i] * v[i]
  return Math.sqrt(s)
}
const scale = (v: Float64Array, a: number): Float64Array => v.map((x) => x * a)

/**
 * Power iteration v ← Hv/‖Hv‖ over a Hessian-vector product, returning the eigenvalue of largest
 * magnitude of the (symmetric) Hessian H: for a Hessian whose spectrum is dominated by positive
 * curvature, λ_max, the curvature that limits the Langevin step size. It converges at the rate
 * |λ₂/λ₁| per step; `converged` says whether it got there.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * const hessian = (v: Float64Array) => new Float64Array([2 * v[0], 5 * v[1]])
 * assert.equal(diagnostics.largestEigenvalue(hessian, 2).eigenvalue, 5)
 */
export const largestEigenvalue = (
  hessianVectorProduct: (v: Float64Array) => Float64Array,
  dimension: number,
  options: PowerIterationOptions = {},
): Eigenpair => {
  func(hessianVectorProduct, 'largestEigenvalue: hessianVectorProduct')
  positiveInteger(dimension, 'largestEigenvalue: dimension')
  const o = checkOptions(options, 'largestEigenvalue: options', ['tolerance', 'maxIterations'])
  const tolerance = o.tolerance === undefined ? 1e-10 : nonNegative(o.tolerance, 'largestEigenvalue: options.tolerance')
  const maxIterations = o.maxIterations === undefined ? 1000 : positiveInteger(o.maxIterations, 'largestEigenvalue: options.maxIterations')
  let v = startVector(dimension)
  let eigenvalue = 0
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    // A product that is not a vector of the dimension, or not finite, is the caller's bad function.
    const w = array<Float64Array>(hessianVectorProduct(v), `largestEigenvalue: hessianVectorProduct(v) at iteration ${iteration}`, { length: dimension, lengthReason: 'vectors of the dimension' })
    const bad = w.findIndex((x) => !Number.isFinite(x))
    if (bad >= 0) throw rangeError(`largestEigenvalue: hessianVectorProduct(v)[${bad}] at iteration ${iteration}`, 'a finite number', w[bad])
    eigenvalue = 0
    for (let i = 0; i < dimension; i++) eigenvalue += v[i] * w[i]
    let residual = 0
    for (let i = 0; i < dimension; i++) residual += (w[i] - eigenvalue * v[i]) ** 2
    const size = norm(w)
    // A zero product means H v = 0: v is an eigenvector with eigenvalue 0 (a flat energy).
    if (Math.sqrt(residual) <= tolerance * Math.abs(eigenvalue) || size === 0) {
      return { eigenvalue, vector: v, iterations: iteration, converged: true }
    }
    v = scale(w, 1 / size)
  }
  return { eigenvalue, vector: v, iterations: maxIterations, converged: false }
}
