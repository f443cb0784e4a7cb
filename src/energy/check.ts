/**
 * Argument checks shared by the catalogue and the combinators. Each names the argument it rejects, so a
 * bad option fails where it is given rather than as NaNs in a sampler.
 *
 * @module
 */

const show = (v: unknown): string => {
  if (typeof v === 'number') return String(v)
  try {
    return JSON.stringify(v) ?? String(v)
  } catch {
    return String(v)
  }
}

/**
 * A finite number.
 *
 * @example
 * import { finite } from './check.js'
 * finite(2.5, 'energy.gmm: sigma') // 2.5; NaN would throw 'energy.gmm: sigma: expected a finite number, got NaN'
 */
export const finite = (v: unknown, what: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${what}: expected a finite number, got ${show(v)}`)
  return v
}

/**
 * A finite number > 0.
 *
 * @example
 * import { positive } from './check.js'
 * positive(0.1, 'energy.temper: T') // 0.1
 */
export const positive = (v: unknown, what: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new RangeError(`${what}: expected a positive number, got ${show(v)}`)
  return v
}

/**
 * An integer ≥ `min`.
 *
 * @example
 * import { integer } from './check.js'
 * integer(3, 'energy.mlp: widths[0]') // 3
 */
export const integer = (v: unknown, what: string, min = 1): number => {
  if (!Number.isSafeInteger(v) || (v as number) < min) throw new RangeError(`${what}: expected an integer ≥ ${min}, got ${show(v)}`)
  return v as number
}

/**
 * A non-empty array of finite numbers, optionally of a given length.
 *
 * @example
 * import { vector } from './check.js'
 * vector([1, 2], 'energy.gaussian: mean', 2) // [1, 2]
 */
export const vector = (v: unknown, what: string, length?: number): number[] => {
  if (!(Array.isArray(v) || ArrayBuffer.isView(v))) throw new TypeError(`${what}: expected an array of numbers, got ${show(v)}`)
  const a = Array.from(v as ArrayLike<unknown>)
  if (a.length === 0) throw new RangeError(`${what}: expected at least one number, got []`)
  if (length !== undefined && a.length !== length) throw new RangeError(`${what}: has ${a.length} numbers; expected ${length}`)
  a.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`${what}[${i}]: expected a finite number, got ${show(x)}`)
  })
  return a as number[]
}

/**
 * A rectangular non-empty matrix of finite numbers (rows of equal length), optionally with `columns`.
 *
 * @example
 * import { matrix } from './check.js'
 * matrix([[1, 2], [3, 4]], 'energy.gmm: means') // [[1, 2], [3, 4]]
 */
export const matrix = (v: unknown, what: string, columns?: number): number[][] => {
  if (!Array.isArray(v) || v.length === 0) throw new TypeError(`${what}: expected a non-empty array of rows, got ${show(v)}`)
  const rows = v.map((r, i) => vector(r, `${what}[${i}]`))
  const c = columns ?? rows[0].length
  rows.forEach((r, i) => {
    if (r.length !== c) throw new RangeError(`${what}[${i}]: has ${r.length} numbers; expected ${c} (rows must have equal length)`)
  })
  return rows
}

/**
 * The Cholesky factor L (row-major, lower) of a symmetric matrix, or undefined when it is not positive
 * definite. Used to check precision matrices and for their log-determinants.
 *
 * @example
 * import { cholesky } from './check.js'
 * cholesky([[4, 2], [2, 2]]) // [[2, 0], [1, 1]]
 */
export const cholesky = (a: readonly (readonly number[])[]): number[][] | undefined => {
  const n = a.length
  const l = a.map(() => new Array<number>(n).fill(0))
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j]
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k]
      if (i === j) {
        if (!(s > 0)) return undefined
        l[i][i] = Math.sqrt(s)
      } else l[i][j] = s / l[j][j]
    }
  }
  return l
}

/**
 * A symmetric positive-definite matrix of size n × n; the error says which property fails and where.
 *
 * @example
 * import { precisionMatrix } from './check.js'
 * precisionMatrix([[2, 0.5], [0.5, 1]], 'energy.gaussian: precision', 2) // accepted
 */
export const precisionMatrix = (v: unknown, what: string, n: number): number[][] => {
  const p = matrix(v, what, n)
  if (p.length !== n) throw new RangeError(`${what}: is ${p.length}×${p[0].length}; expected ${n}×${n} (the mean has ${n} entries)`)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      // Relative tolerance: a matrix symmetric up to rounding is accepted.
      if (Math.abs(p[i][j] - p[j][i]) > 1e-12 * Math.max(1, Math.abs(p[i][j]), Math.abs(p[j][i]))) {
        throw new RangeError(`${what}: is not symmetric ([${i}][${j}] = ${p[i][j]} but [${j}][${i}] = ${p[j][i]})`)
      }
    }
  }
  if (cholesky(p) === undefined) throw new RangeError(`${what}: is not positive definite (its Cholesky factorisation fails)`)
  return p
}

/**
 * log det of a symmetric positive-definite matrix, from its Cholesky factor.
 *
 * @example
 * import { logDeterminant } from './check.js'
 * logDeterminant([[2, 0], [0, 3]]) // log 6
 */
export const logDeterminant = (a: readonly (readonly number[])[]): number => {
  const l = cholesky(a)
  if (l === undefined) throw new RangeError('logDeterminant: matrix is not positive definite')
  return 2 * l.reduce((s, row, i) => s + Math.log(row[i]), 0)
}
