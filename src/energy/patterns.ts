/**
 * Stored patterns: rows of equal length, checked once, held as one row-major Float64Array.
 *
 * @module
 */
import { array, rangeError, typeError } from '../check/index.js'

/** Patterns as one row-major array. */
export interface Patterns {
  readonly values: Float64Array
  readonly count: number
  readonly dimension: number
}

/**
 * Checks patterns given as rows: at least one, all of the length of the first, every value finite (with
 * `spins`, every value −1 or +1).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkPatterns } from './patterns.js'
 * assert.equal(checkPatterns([[1, -1], [-1, -1]], 'hopfield.store: patterns', true).count, 2)
 * assert.throws(() => checkPatterns([[1, -1], [1]], 'hopfield.store: patterns', true), { message: 'hopfield.store: patterns[1]: expected a pattern of 2 values (the length of the first), got 1' })
 * assert.throws(() => checkPatterns([[1, 0]], 'hopfield.store: patterns', true), { message: 'hopfield.store: patterns[0][1]: expected a spin (−1 or +1), got 0' })
 */
export const checkPatterns = (rows: unknown, where: string, spins: boolean): Patterns => {
  const list = array<readonly unknown[]>(rows, where)
  if (list.length === 0) throw rangeError(where, 'at least one pattern', list)
  const first = list[0]
  if (!Array.isArray(first) && !ArrayBuffer.isView(first)) throw typeError(`${where}[0]`, 'a pattern (an array of numbers)', first)
  const dimension = (first as ArrayLike<number>).length
  if (dimension === 0) throw rangeError(`${where}[0]`, 'a pattern of at least one value', first)
  const values = new Float64Array(list.length * dimension)
  for (let p = 0; p < list.length; p++) {
    const row = list[p] as ArrayLike<unknown>
    if (!Array.isArray(row) && !ArrayBuffer.isView(row)) throw typeError(`${where}[${p}]`, 'a pattern (an array of numbers)', row)
    if (row.length !== dimension) throw rangeError(`${where}[${p}]`, `a pattern of ${dimension} values (the length of the first)`, row.length)
    for (let i = 0; i < dimension; i++) {
      const x = row[i]
      if (spins ? x !== 1 && x !== -1 : typeof x !== 'number' || !Number.isFinite(x)) throw rangeError(`${where}[${p}][${i}]`, spins ? 'a spin (−1 or +1)' : 'a finite number', x)
      values[p * dimension + i] = x as number
    }
  }
  return { values, count: list.length, dimension }
}
