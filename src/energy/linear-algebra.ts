/**
 * The linear algebra of the Gaussian energies: Cholesky factors, checked precision matrices and
 * log-determinants (argument checks in general are src/check's).
 *
 * @module
 */
import { matrix, rangeError } from '../check/index.js'

/**
 * The Cholesky factor L (row-major, lower) of a symmetric matrix, or undefined when it is not positive
 * definite. Used to check precision matrices and for their log-determinants.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { cholesky } from './linear-algebra.js'
 * assert.deepEqual(cholesky([[4, 2], [2, 2]]), [[2, 0], [1, 1]])
 * assert.equal(cholesky([[1, 2], [2, 1]]), undefined)
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
 * import assert from 'node:assert/strict'
 * import { precisionMatrix } from './linear-algebra.js'
 * assert.deepEqual(precisionMatrix([[2, 0.5], [0.5, 1]], 'energy.gaussian: precision', 2), [[2, 0.5], [0.5, 1]])
 * assert.throws(() => precisionMatrix([[1, 2], [2, 1]], 'energy.gaussian: precision', 2), { name: 'RangeError', message: 'energy.gaussian: precision: expected a positive-definite matrix (its Cholesky factorisation fails), got an array of length 2' })
 */
export const precisionMatrix = (v: unknown, where: string, n: number): number[][] => {
  const p = matrix(v, where, n)
  if (p.length !== n) throw rangeError(where, `${n} rows (the mean has ${n} entries)`, v)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      // Relative tolerance: a matrix symmetric up to rounding is accepted.
      if (Math.abs(p[i][j] - p[j][i]) > 1e-12 * Math.max(1, Math.abs(p[i][j]), Math.abs(p[j][i]))) {
        throw new RangeError(`${where}: expected a symmetric matrix, got [${i}][${j}] = ${p[i][j]} but [${j}][${i}] = ${p[j][i]}`)
      }
    }
  }
  if (cholesky(p) === undefined) throw rangeError(where, 'a positive-definite matrix (its Cholesky factorisation fails)', v)
  return p
}

/**
 * log det of a symmetric positive-definite matrix, from its Cholesky factor.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { logDeterminant } from './linear-algebra.js'
 * assert.ok(Math.abs(logDeterminant([[2, 0], [0, 3]]) - Math.log(6)) < 1e-15)
 */
export const logDeterminant = (a: readonly (readonly number[])[]): number => {
  const l = cholesky(a)
  if (l === undefined) throw rangeError('logDeterminant: a', 'a positive-definite matrix', a)
  return 2 * l.reduce((s, row, i) => s + Math.log(row[i]), 0)
}
