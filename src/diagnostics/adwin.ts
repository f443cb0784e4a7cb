/**
 * ADWIN, the adaptive window of Bifet and Gavaldà (2007, "Learning from time-changing data with adaptive
 * windowing"), in its exponential-histogram form (ADWIN2, as MOA and River implement it): the window of
 * recent values is kept as buckets of 1, 2, 4, … values (at most `maxBuckets` of each size, each its
 * count, sum and sum of squared deviations), so memory grows with the log of the window. Every `clock`
 * values it tries each cut of the window into an older part W₀ and a newer W₁ at bucket boundaries; when
 * the two means differ by more than
 *
 *   ε = √(2·(1/n₀ + 1/n₁)·σ²·ln(2 ln n / δ)) + ⅔·(1/n₀ + 1/n₁)·R·ln(2 ln n / δ)
 *
 * (a Bernstein bound: σ² the window's variance, n its length, R the range of the values) it drops the
 * oldest bucket and tries again, and signals a drift. While the mean stays constant, a check signals with
 * probability at most about δ; a change of the mean by more than 2ε is found with probability 1 − δ.
 *
 * @module
 */
import { finite, integer, options as checkOptions, positive, rangeError } from '../check/index.js'
import { type Drift, type DriftDetector } from './drift.js'

/** Options of {@link adwin}. */
export interface AdwinOptions {
  /** The confidence δ in (0, 1): a bound on the chance of a false alarm at a check; default 0.002. */
  readonly delta?: number
  /** Values between checks; default 32 (MOA's and River's). */
  readonly clock?: number
  /** Buckets of each size kept before the two oldest merge; default 5. */
  readonly maxBuckets?: number
  /** The fewest values on each side of a cut; default 5. */
  readonly minWindow?: number
  /** R, the range of the values (their spread, e.g. 1 for values in [0, 1]); default 1. */
  readonly range?: number
}

/** Buckets of one size, oldest first: their sums and their sums of squared deviations. */
export interface AdwinRow {
  readonly sums: readonly number[]
  readonly squares: readonly number[]
}

/** ADWIN's state: rows of buckets (row i holds buckets of 2^i values; higher rows are older), the window's length, sum and sum of squared deviations, and values since the last check. */
export interface AdwinState {
  readonly rows: readonly AdwinRow[]
  readonly width: number
  readonly sum: number
  readonly squares: number
  readonly sinceCheck: number
}

/** The sum of squared deviations of two groups together (Chan et al.'s pairwise update). */
const pooled = (n1: number, s1: number, q1: number, n2: number, s2: number, q2: number): number => q1 + q2 + ((n1 * n2) / (n1 + n2)) * (s1 / n1 - s2 / n2) ** 2

// Appends a one-value bucket and merges the two oldest of any row that overflows into the row above.
const insert = (s: AdwinState, x: number, maxBuckets: number): AdwinState => {
  const width = s.width + 1
  const squares = s.width === 0 ? 0 : s.squares + ((width - 1) * (x - s.sum / (width - 1)) ** 2) / width
  const rows = s.rows.slice()
  let carry: [number, number] | null = [x, 0]
  for (let i = 0; carry !== null; i++) {
    const row = rows[i] ?? { sums: [], squares: [] }
    const sums: number[] = [...row.sums, carry[0]]
    const sq: number[] = [...row.squares, carry[1]]
    carry = null
    if (sums.length > maxBuckets) {
      const n = 2 ** i
      carry = [sums[0] + sums[1], pooled(n, sums[0], sq[0], n, sums[1], sq[1])]
      sums.splice(0, 2)
      sq.splice(0, 2)
    }
    rows[i] = { sums, squares: sq }
  }
  return { rows, width, sum: s.sum + x, squares, sinceCheck: s.sinceCheck + 1 }
}

// Drops the oldest bucket (the first of the highest row).
const dropOldest = (s: AdwinState): AdwinState => {
  const top = s.rows.length - 1
  const row = s.rows[top]
  const n = 2 ** top
  const width = s.width - n
  const sum = s.sum - row.sums[0]
  // What is left: the whole's squares less the bucket's and the spread between the bucket's mean and the rest's.
  const squares = width === 0 ? 0 : Math.max(0, s.squares - pooled(n, row.sums[0], row.squares[0], width, sum, 0))
  const rest = { sums: row.sums.slice(1), squares: row.squares.slice(1) }
  const rows = rest.sums.length === 0 ? s.rows.slice(0, top) : [...s.rows.slice(0, top), rest]
  return { rows, width, sum, squares, sinceCheck: s.sinceCheck }
}

/**
 * ADWIN as a detector: the window grows while the values look stationary and sheds its older part when
 * its two parts' means differ beyond the bound, signalling a drift each time it does (the signal's
 * statistic is |mean W₀ − mean W₁| at the first cut found, its threshold ε there). Each value must be
 * finite. `where` names the caller in errors (the stream operator passes its own name).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * const detector = diagnostics.adwin({ delta: 0.002 })
 * let state = detector.init()
 * const signals: number[] = []
 * for (let i = 0; i < 2000; i++) {
 *   const [next, drift] = detector.update(state, i < 1000 ? 0.2 : 0.8) // the mean jumps at value 1000
 *   if (drift !== null) signals.push(i)
 *   state = next
 * }
 * assert.equal(signals.length > 0 && signals[0] >= 1000 && signals[0] < 1064, true) // found within two checks
 * assert.equal(state.sum / state.width > 0.7, true) // and the window holds mostly new values
 */
export const adwin = (options: AdwinOptions = {}, where = 'adwin'): DriftDetector<AdwinState> => {
  const o = checkOptions<AdwinOptions>(options, `${where}: options`, ['delta', 'clock', 'maxBuckets', 'minWindow', 'range'])
  const delta = finite(o.delta ?? 0.002, `${where}: delta`)
  if (!(delta > 0 && delta < 1)) throw rangeError(`${where}: delta`, 'a number in (0, 1)', delta)
  const clock = integer(o.clock ?? 32, `${where}: clock`, { min: 1 })
  const maxBuckets = integer(o.maxBuckets ?? 5, `${where}: maxBuckets`, { min: 2 })
  const minWindow = integer(o.minWindow ?? 5, `${where}: minWindow`, { min: 1 })
  const range = positive(o.range ?? 1, `${where}: range`)

  // The first cut whose means differ beyond ε, oldest buckets first, or null.
  const cut = (s: AdwinState): { statistic: number; threshold: number; direction: 'up' | 'down' } | null => {
    const variance = s.squares / s.width
    const log = Math.log((2 * Math.log(s.width)) / delta)
    let n0 = 0
    let s0 = 0
    for (let i = s.rows.length - 1; i >= 0; i--) {
      for (const b of s.rows[i].sums) {
        n0 += 2 ** i
        s0 += b
        const n1 = s.width - n0
        if (n1 < minWindow) return null
        if (n0 < minWindow) continue
        const m = 1 / n0 + 1 / n1
        const threshold = Math.sqrt(2 * m * variance * log) + (2 / 3) * m * range * log
        const difference = s0 / n0 - (s.sum - s0) / n1
        if (Math.abs(difference) > threshold) return { statistic: Math.abs(difference), threshold, direction: difference < 0 ? 'up' : 'down' }
      }
    }
    return null
  }

  const update = (s: AdwinState, x: number): readonly [AdwinState, Drift | null] => {
    let next = insert(s, finite(x, `${where}: value`), maxBuckets)
    if (next.sinceCheck < clock) return [next, null]
    next = { ...next, sinceCheck: 0 }
    const first = cut(next)
    if (first === null) return [next, null]
    for (let c: ReturnType<typeof cut> = first; c !== null; c = cut(next)) next = dropOldest(next)
    return [next, { detector: 'adwin', ...first }]
  }
  return Object.freeze({ name: 'adwin' as const, init: (): AdwinState => ({ rows: [], width: 0, sum: 0, squares: 0, sinceCheck: 0 }), update })
}
