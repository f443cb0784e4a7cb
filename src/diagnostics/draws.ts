/**
 * Draws as chains: validation and the small statistics the convergence diagnostics share.
 *
 * @module
 */

/**
 * Draws of one scalar quantity: one array per chain, all chains of equal length, in draw order.
 *
 * @example
 * const draws: Draws = [[0.1, 0.3, -0.2, 0.5], new Float64Array([0.2, -0.1, 0.4, 0.0])]
 */
export type Draws = ReadonlyArray<ReadonlyArray<number> | Float64Array>

/**
 * The fewest draws per chain a diagnostic accepts: split chains need at least two draws per half.
 *
 * @example
 * import { minimumDraws } from './draws.js'
 * minimumDraws // 4
 */
export const minimumDraws = 4

/**
 * Checks draws and copies them into Float64Arrays; `name` is the calling function, used in errors.
 * Throws when there are no chains, chains have unequal lengths, fewer than 4 draws, or a non-finite draw.
 *
 * @example
 * import { checkDraws } from './draws.js'
 * checkDraws('rhat', [[1, 2, 3, 4]]) // [Float64Array [1, 2, 3, 4]]
 */
export const checkDraws = (name: string, draws: Draws): Float64Array[] => {
  if (!Array.isArray(draws) || draws.length === 0) {
    throw new Error(`${name}: expected draws as a non-empty array of chains, got ${describe(draws)}`)
  }
  const chains = draws.map((chain, c) => {
    if (!(chain instanceof Float64Array) && !Array.isArray(chain)) {
      throw new Error(`${name}: chain ${c} is ${describe(chain)}; expected an array or a Float64Array of numbers`)
    }
    return Float64Array.from(chain as ArrayLike<number>)
  })
  const n = chains[0].length
  chains.forEach((chain, c) => {
    if (chain.length !== n) {
      throw new Error(`${name}: chain ${c} has ${chain.length} draws; chain 0 has ${n} (chains must have equal length)`)
    }
  })
  if (n < minimumDraws) {
    throw new Error(`${name}: chains have ${n} draws; at least ${minimumDraws} are needed`)
  }
  chains.forEach((chain, c) => {
    const i = chain.findIndex((x) => !Number.isFinite(x))
    if (i >= 0) {
      throw new Error(`${name}: draw ${i} of chain ${c} is ${String((draws[c] as ArrayLike<unknown>)[i])}; expected finite numbers`)
    }
  })
  return chains
}

const describe = (x: unknown): string =>
  Array.isArray(x) ? `an empty array` : x === null ? 'null' : typeof x === 'object' ? 'an object' : `${typeof x} ${String(x)}`

/**
 * Splits every chain into its first and second half, as posterior's `.split_chains` does: with an odd
 * number of draws the middle draw is dropped.
 *
 * @example
 * import { splitChains } from './draws.js'
 * splitChains([new Float64Array([1, 2, 3, 4, 5])]) // [Float64Array [1, 2], Float64Array [4, 5]]
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
 * import { pool } from './draws.js'
 * pool([new Float64Array([1, 2]), new Float64Array([3, 4])]) // Float64Array [1, 2, 3, 4]
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
 * import { mapDraws } from './draws.js'
 * mapDraws([new Float64Array([1, -2])], Math.abs) // [Float64Array [1, 2]]
 */
export const mapDraws = (chains: readonly Float64Array[], f: (x: number) => number): Float64Array[] =>
  chains.map((c) => c.map(f))

/**
 * Arithmetic mean, refined by a second pass over the residuals (as R's mean does).
 *
 * @example
 * import { mean } from './draws.js'
 * mean([1, 2, 6]) // 3
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
 * import { variance } from './draws.js'
 * variance([1, 2, 3]) // 1
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
 * import { sorted } from './draws.js'
 * sorted([3, 1, 2]) // Float64Array [1, 2, 3]
 */
export const sorted = (x: ArrayLike<number>): Float64Array => Float64Array.from(x).sort()

/**
 * Median: the middle draw, or the mean of the two middle draws.
 *
 * @example
 * import { median } from './draws.js'
 * median([4, 1, 3, 2]) // 2.5
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
 * import { quantile } from './draws.js'
 * quantile(new Float64Array([1, 2, 3, 4]), 0.5) // 2.5
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
 * import { isConstant } from './draws.js'
 * isConstant([new Float64Array([2, 2]), new Float64Array([2, 2])]) // true
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
