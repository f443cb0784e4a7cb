/**
 * The mass matrix of Hamiltonian blocks, given as its inverse (the metric Σ = M⁻¹, what warmup estimates:
 * the target's covariance), and the three things the blocks do with it, each written once here (and once
 * in native/sampler_metric.h): draw a momentum p ~ N(0, T·M), turn a momentum into a velocity M⁻¹p, and
 * the kinetic energy K(p) = pᵀM⁻¹p/2.
 *
 * With Σ = L·Lᵀ (Cholesky), M = L⁻ᵀL⁻¹, so p = √T·F·z with F = L⁻ᵀ (upper triangular) has covariance T·M.
 * A kernel holds the metric as plain numbers (JSON); flattening computes F once and lays Σ and F out in
 * the program's metric table, which the runners read.
 *
 * @module
 */
import { finite, object, oneOf, rangeError } from '../check/index.js'
import { cholesky } from '../energy/linear-algebra.js'

/** An inverse mass matrix: identity, diagonal (D variances) or dense (D × D covariance, row-major). */
export type Metric =
  | { readonly kind: 'identity' }
  | { readonly kind: 'diagonal'; readonly inverse: readonly number[] }
  | { readonly kind: 'dense'; readonly inverse: readonly number[] }

/** A metric's kind. */
export type MetricKind = Metric['kind']

/** A metric laid out for the runners: Σ and F as views of the program's metric table, from offset `at`. */
export interface MetricSlot {
  readonly kind: 'diagonal' | 'dense'
  readonly at: number
  readonly inverse: Float64Array
  readonly factor: Float64Array
}

// Metrics already checked (frozen, so they stay valid): a kernel rebuilt around one (warmup retunes the
// step size every iteration) neither checks nor factorises it again.
const checked = new WeakSet<Metric>()
const factored = new WeakMap<Metric, { readonly dimension: number; readonly numbers: Float64Array }>()

/**
 * Checks a metric argument; the identity (or none) is `undefined`, so descriptions without a metric stay
 * as they were.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkMetric } from './metric.js'
 * assert.equal(checkMetric({ kind: 'identity' }, 'leapfrog: metric'), undefined)
 * assert.deepEqual(checkMetric({ kind: 'diagonal', inverse: [1, 4] }, 'leapfrog: metric'), { kind: 'diagonal', inverse: [1, 4] })
 * assert.throws(() => checkMetric({ kind: 'diagonal', inverse: [1, 0] }, 'leapfrog: metric'), { message: 'leapfrog: metric.inverse[1]: expected a positive variance, got 0' })
 */
export const checkMetric = (v: unknown, where: string): Metric | undefined => {
  if (v === undefined || v === null) return undefined
  if (checked.has(v as Metric)) return v as Metric
  const o = object(v, where)
  const kind = oneOf(o.kind, `${where}.kind`, ['identity', 'diagonal', 'dense'] as const)
  if (kind === 'identity') return undefined
  if (!Array.isArray(o.inverse)) throw rangeError(`${where}.inverse`, kind === 'diagonal' ? 'an array of variances' : 'a D × D covariance, row-major', o.inverse)
  const inverse = o.inverse.map((x: unknown, i: number) => finite(x, `${where}.inverse[${i}]`))
  if (kind === 'diagonal') inverse.forEach((s, i) => {
    if (!(s > 0)) throw rangeError(`${where}.inverse[${i}]`, 'a positive variance', s)
  })
  const m = Object.freeze({ kind, inverse: Object.freeze(inverse) })
  checked.add(m)
  return m
}

const side = (m: Metric & { readonly kind: 'dense' }, where: string): number => {
  const D = Math.round(Math.sqrt(m.inverse.length))
  if (D * D !== m.inverse.length) throw rangeError(`${where}.inverse`, 'a square matrix (D × D numbers)', `${m.inverse.length} numbers`)
  return D
}

// F = L⁻ᵀ (upper triangular, row-major) of Σ = L·Lᵀ, by forward substitution on the columns of L⁻¹.
const momentumFactor = (sigma: readonly number[], D: number, where: string): Float64Array => {
  const rows = Array.from({ length: D }, (_, i) => sigma.slice(i * D, (i + 1) * D))
  for (let i = 0; i < D; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(rows[i][j] - rows[j][i]) > 1e-12 * Math.max(1, Math.abs(rows[i][j]))) throw new RangeError(`${where}.inverse: expected a symmetric matrix, got [${i}][${j}] = ${rows[i][j]} but [${j}][${i}] = ${rows[j][i]}`)
    }
  }
  const L = cholesky(rows)
  if (L === undefined) throw rangeError(`${where}.inverse`, 'a positive-definite matrix (its Cholesky factorisation fails)', `a ${D} × ${D} matrix`)
  const inv = new Float64Array(D * D) // L⁻¹, lower
  for (let c = 0; c < D; c++) {
    for (let i = c; i < D; i++) {
      let s = i === c ? 1 : 0
      for (let k = c; k < i; k++) s -= L[i][k] * inv[k * D + c]
      inv[i * D + c] = s / L[i][i]
    }
  }
  const F = new Float64Array(D * D)
  for (let i = 0; i < D; i++) for (let j = i; j < D; j++) F[i * D + j] = inv[j * D + i]
  return F
}

/**
 * Σ and F of a metric for configurations of D numbers, as one array [Σ, F] (what a program's metric
 * table holds for it); the error names a wrong size or a Σ that is not positive definite.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { metricNumbers } from './metric.js'
 * assert.deepEqual(metricNumbers({ kind: 'diagonal', inverse: [4, 0.25] }, 2, 'leapfrog: metric'), new Float64Array([4, 0.25, 0.5, 2]))
 * assert.deepEqual(metricNumbers({ kind: 'dense', inverse: [4, 0, 0, 1] }, 2, 'leapfrog: metric'), new Float64Array([4, 0, 0, 1, 0.5, 0, 0, 1]))
 */
export const metricNumbers = (m: Metric, D: number, where: string): Float64Array => {
  if (m.kind === 'identity') return new Float64Array(0)
  const known = factored.get(m)
  if (known !== undefined && known.dimension === D) return known.numbers
  const n = m.kind === 'diagonal' ? D : D * D
  if (m.kind === 'dense') side(m, where)
  if (m.inverse.length !== n) throw rangeError(`${where}.inverse`, `${n} numbers (${m.kind === 'diagonal' ? 'D' : 'D × D'} for D = ${D})`, `${m.inverse.length}`)
  const factor = m.kind === 'diagonal' ? Float64Array.from(m.inverse, (s) => 1 / Math.sqrt(s)) : momentumFactor(m.inverse, D, where)
  const out = new Float64Array(2 * n)
  out.set(m.inverse)
  out.set(factor, n)
  if (checked.has(m)) factored.set(m, { dimension: D, numbers: out })
  return out
}

/**
 * Coordinate j of the velocity M⁻¹p of the momentum row p[row … row + D − 1] (the identity without a slot:
 * null, or undefined in an instruction a block outside the package pushed without one).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { velocityAt } from './metric.js'
 * const slot = { kind: 'dense', at: 0, inverse: new Float64Array([2, 1, 1, 3]), factor: new Float64Array(4) } as const
 * assert.equal(velocityAt(slot, new Float64Array([1, 1]), 0, 2, 1), 4)
 */
export const velocityAt = (m: MetricSlot | null | undefined, p: Float64Array, row: number, D: number, j: number): number => {
  if (m === null || m === undefined) return p[row + j]
  if (m.kind === 'diagonal') return m.inverse[j] * p[row + j]
  let v = 0
  for (let k = 0; k < D; k++) v += m.inverse[j * D + k] * p[row + k]
  return v
}

/**
 * The kinetic energy pᵀM⁻¹p/2 of the momentum row p[row … row + D − 1].
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { kinetic } from './metric.js'
 * const slot = { kind: 'diagonal', at: 0, inverse: new Float64Array([2, 3]), factor: new Float64Array(2) } as const
 * assert.equal(kinetic(slot, new Float64Array([1, 2]), 0, 2), 7)
 */
export const kinetic = (m: MetricSlot | null | undefined, p: Float64Array, row: number, D: number): number => {
  let k = 0
  for (let j = 0; j < D; j++) k += p[row + j] * velocityAt(m, p, row, D, j)
  return 0.5 * k
}

/**
 * Coordinate j of F·z, a draw of N(0, M) from D standard normals z.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { momentumAt } from './metric.js'
 * const slot = { kind: 'diagonal', at: 0, inverse: new Float64Array([4]), factor: new Float64Array([0.5]) } as const
 * assert.equal(momentumAt(slot, new Float64Array([3]), 1, 0), 1.5)
 */
export const momentumAt = (m: MetricSlot | null | undefined, z: Float64Array, D: number, j: number): number => {
  if (m === null || m === undefined) return z[j]
  if (m.kind === 'diagonal') return m.factor[j] * z[j]
  let v = 0
  for (let k = j; k < D; k++) v += m.factor[j * D + k] * z[k]
  return v
}

/** A metric slot's fields in a native record: its kind and where its numbers start in the metric table. */
export const metricFields = { metric: { choice: ['identity', 'diagonal', 'dense'] }, metricAt: 'number' } as const

/**
 * The values of those fields.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { encodeMetric } from './metric.js'
 * assert.deepEqual(encodeMetric(null), { metric: 'identity', metricAt: 0 })
 */
export const encodeMetric = (m: MetricSlot | null | undefined): { readonly metric: MetricKind; readonly metricAt: number } => ({ metric: m?.kind ?? 'identity', metricAt: m?.at ?? 0 })
