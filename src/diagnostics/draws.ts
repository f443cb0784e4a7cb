/**
 * Draws as chains: validation and the small statistics the convergence diagnostics share.
 *
 * @module
 */
import { boolean, numbers, options, rangeError, typeError } from '../check/index.js'

/**
 * Draws of one scalar quantity: one array per chain, all chains of equal length, in draw order.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const draws: Draws = [[0.1, 0.3, -0.2, 0.5], new Float64Array([0.2, -0.1, 0.4, 0.0])]
 * // plain arrays and Float64Arrays alike, checked into Float64Arrays
 * assert.deepEqual(checkDraws('rhat', draws)[0], new Float64Array([0.1, 0.3, -0.2, 0.5]))
 */
export type Draws = ReadonlyArray<ReadonlyArray<number> | Float64Array>

/**
 * The fewest draws per chain a diagnostic accepts: split chains need at least two draws per half.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { minimumDraws } from './draws.js'
 * assert.equal(minimumDraws, 4)
 */
export const minimumDraws = 4

/**
 * Checks draws and copies them into Float64Arrays; `name` is the calling function, used in errors.
 * Throws a TypeError when draws are not an array of arrays of numbers, and a RangeError when there are
 * no chains, chains have unequal lengths, fewer than 4 draws, or a non-finite draw.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkDraws } from './draws.js'
 * assert.deepEqual(checkDraws('rhat', [[1, 2, 3, 4]]), [new Float64Array([1, 2, 3, 4])])
 * assert.throws(() => checkDraws('rhat', [[1, 2, 3, 4], [1, 2, 3]]), { name: 'RangeError', message: 'rhat: draws[1]: expected 4 draws (chains of equal length, as draws[0]), got an array of length 3' })
 */
export const checkDraws = (name: string, draws: Draws): Float64Array[] => {
  const where = `${name}: draws`
  if (!Array.isArray(draws)) throw typeError(where, 'a non-empty array of chains', draws)
  if (draws.length === 0) throw rangeError(where, 'a non-empty array of chains', draws)
  const chains = draws.map((chain, c) => numbers(chain, `${where}[${c}]`, { finite: false }))
  const n = chains[0].length
  chains.forEach((chain, c) => {
    if (chain.length !== n) throw rangeError(`${where}[${c}]`, `${n} draws (chains of equal length, as draws[0])`, draws[c])
  })
  if (n < minimumDraws) throw rangeError(`${where}[0]`, `at least ${minimumDraws} draws (two in each half of a split chain)`, draws[0])
  chains.forEach((chain, c) => {
    const i = chain.findIndex((x) => !Number.isFinite(x))
    if (i >= 0) throw rangeError(`${where}[${c}][${i}]`, 'a finite number', chain[i])
  })
  return chains
}

/** The options of the diagnostics that may run on whole chains. */
export interface SplitOptions {
  /** Split each chain in halves first (default true), so that a drift within a chain shows. */
  readonly split?: boolean
}

/**
 * The `split` option of `rhatBasic` and `essBasic`, checked; true when omitted.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { splitOption } from './draws.js'
 * assert.equal(splitOption('essBasic', {}), true)
 * assert.throws(() => splitOption('essBasic', { split: 'no' } as never), { name: 'TypeError', message: 'essBasic: options.split: expected true or false, got "no"' })
 */
export const splitOption = (name: string, o: SplitOptions | undefined): boolean => {
  const split = options(o, `${name}: options`, ['split']).split
  return split === undefined ? true : boolean(split, `${name}: options.split`)
}

/**
 * Splits every chain into its first and second half, as posterior's `.split_chains` does: with an odd
 * number of draws the middle draw is dropped.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { splitChains } from './draws.js'
 * assert.deepEqual(splitChains([new Float64Array([1, 2, 3, 4, 5])]), [new Float64Array([1, 2]), new Float64Array([4, 5])])
 */
export const splitChains = (chains: readonly Float64Array[]): Float64Array[] => {
  const n = chains[0].length
  const half = Math.floor(n / 2)
  return chains.flatMap((c) => [c.slice(0, half), c.slice(n - half)])
}

/**
 * All draws of all chains in one array, chain after chain.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { pool } from './draws.js'
 * assert.deepEqual(pool([new Float64Array([1, 2]), new Float64Array([3, 4])]), new Float64Array([1, 2, 3, 4]))
 */
export const pool = (chains: readonly Float64Array[]): Float64Array => {
  const out = new Float64Array(chains.length * chains[0].length)
  chains.forEach((c, i) => out.set(c, i * c.length))
  return out
}

/**
 * Applies `f` to every draw, keeping the chain structure.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { mapDraws } from './draws.js'
 * assert.deepEqual(mapDraws([new Float64Array([1, -2])], Math.abs), [new Float64Array([1, 2])])
 */
export const mapDraws = (chains: readonly Float64Array[], f: (x: number) => number): Float64Array[] =>
  chains.map((c) => c.map(f))

/**
 * Arithmetic mean, refined by a second pass over the residuals (as R's mean does).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { mean } from './draws.js'
 * assert.equal(mean([1, 2, 6]), 3)
 */
export const mean = (x: ArrayLike<number>): number => {
  const n = x.length
  let s = 0
  for (let i = 0; i < n; i++) s += x[i]
  const m = s / n
  let r = 0
  for (let i = 0; i < n; i++) r += x[i] - m
  return m + r / n
}

/**
 * Sample variance with the n − 1 denominator, by two passes.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { variance } from './draws.js'
 * assert.equal(variance([1, 2, 3]), 1)
 */
export const variance = (x: ArrayLike<number>): number => {
  const n = x.length
  const m = mean(x)
  let s = 0
  for (let i = 0; i < n; i++) s += (x[i] - m) * (x[i] - m)
  return s / (n - 1)
}

/**
 * A sorted copy.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { sorted } from './draws.js'
 * assert.deepEqual(sorted([3, 1, 2]), new Float64Array([1, 2, 3]))
 */
export const sorted = (x: ArrayLike<number>): Float64Array => Float64Array.from(x).sort()

/**
 * Median: the middle draw, or the mean of the two middle draws.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { median } from './draws.js'
 * assert.equal(median([4, 1, 3, 2]), 2.5)
 */
export const median = (x: ArrayLike<number>): number => {
  const s = sorted(x)
  const h = s.length >> 1
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2
}

/**
 * Quantile by linear interpolation between order statistics (R's type 7, the default of `quantile`),
 * evaluated in R's exact arithmetic so that comparisons with draws agree to the last bit.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { quantile } from './draws.js'
 * assert.equal(quantile(new Float64Array([1, 2, 3, 4]), 0.5), 2.5)
 */
export const quantile = (sortedDraws: Float64Array, prob: number): number => {
  // R's 1-based index, kept 1-based so that h has R's rounding
  const index = 1 + (sortedDraws.length - 1) * prob
  const lo = Math.floor(index)
  const hi = Math.ceil(index)
  const q = sortedDraws[lo - 1]
  const h = index - lo
  return h > 0 && sortedDraws[hi - 1] !== q ? (1 - h) * q + h * sortedDraws[hi - 1] : q
}

/**
 * True when all draws are equal up to machine epsilon (absolute, as posterior's `is_constant`): such
 * draws carry no information about mixing, and the diagnostics return NaN for them.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { isConstant } from './draws.js'
 * assert.equal(isConstant([new Float64Array([2, 2]), new Float64Array([2, 2])]), true)
 */
export const isConstant = (chains: readonly Float64Array[]): boolean => {
  let lo = Infinity
  let hi = -Infinity
  for (const c of chains) {
    for (let i = 0; i < c.length; i++) {
      if (c[i] < lo) lo = c[i]
      if (c[i] > hi) hi = c[i]
    }
  }
  return Math.abs(hi - lo) < Number.EPSILON
}
