/**
 * The Page–Hinkley test (Page 1954, Hinkley 1971), as River's PageHinkley: a cumulative sum of the
 * deviations of each value from the running mean, less a tolerance δ, signals when it has risen more
 * than λ above its lowest point. On a shift of the mean by Δ > δ after a long stationary stretch it
 * grows by about Δ − δ a value, so it signals about λ/(Δ − δ) values after the change.
 *
 * @module
 */
import { finite, integer, oneOf, options as checkOptions, positive, nonNegative, rangeError } from '../check/index.js'
import { type Drift, type DriftDetector } from './drift.js'

/** Options of {@link pageHinkley}. */
export interface PageHinkleyOptions {
  /** δ, the change in mean tolerated (subtracted from every deviation); default 0.005. */
  readonly delta?: number
  /** λ, how far the sum must rise above its minimum (or fall below its maximum); default 50. */
  readonly threshold?: number
  /** The forgetting factor of the sums, in (0, 1]; default 1 − 10⁻⁴ (River's), 1 for the textbook test. */
  readonly alpha?: number
  /** Values before the test may signal; default 30. */
  readonly minInstances?: number
  /** Which changes to detect: 'up' (the default: a drift makes an anomaly score rise), 'down' or 'both'. */
  readonly direction?: 'up' | 'down' | 'both'
}

/** The test's state: the count and running mean since the last signal, and the two cumulative sums with their extremes. */
export interface PageHinkleyState {
  readonly n: number
  readonly mean: number
  readonly up: number
  readonly lowest: number
  readonly down: number
  readonly highest: number
}

const fresh: PageHinkleyState = Object.freeze({ n: 0, mean: 0, up: 0, lowest: 0, down: 0, highest: 0 })

/**
 * The Page–Hinkley test as a detector. After a signal it starts afresh (count, mean and sums), as
 * River's does. Each value must be finite. `where` names the caller in
 * errors (the stream operator passes its own name).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * const ph = diagnostics.pageHinkley({ delta: 0.5, threshold: 10, alpha: 1, minInstances: 1 })
 * let state = ph.init()
 * const signals: number[] = []
 * for (let i = 0; i < 200; i++) {
 *   const [next, drift] = ph.update(state, i < 100 ? 0 : 2) // the mean jumps by 2 at value 100
 *   if (drift !== null) signals.push(i)
 *   state = next
 * }
 * assert.deepEqual(signals, [107]) // Σ (2·100/(100 + j) − ½) over j = 1 … 8 first exceeds 10
 */
export const pageHinkley = (options: PageHinkleyOptions = {}, where = 'pageHinkley'): DriftDetector<PageHinkleyState> => {
  const o = checkOptions<PageHinkleyOptions>(options, `${where}: options`, ['delta', 'threshold', 'alpha', 'minInstances', 'direction'])
  const delta = nonNegative(o.delta ?? 0.005, `${where}: delta`)
  const threshold = positive(o.threshold ?? 50, `${where}: threshold`)
  const alpha = positive(o.alpha ?? 1 - 1e-4, `${where}: alpha`)
  if (alpha > 1) throw rangeError(`${where}: alpha`, 'a number in (0, 1]', alpha)
  const minInstances = integer(o.minInstances ?? 30, `${where}: minInstances`, { min: 1 })
  const direction = oneOf(o.direction ?? 'up', `${where}: direction`, ['up', 'down', 'both'] as const)
  const update = (s: PageHinkleyState, x: number): readonly [PageHinkleyState, Drift | null] => {
    const n = s.n + 1
    const mean = s.mean + (finite(x, `${where}: value`) - s.mean) / n
    const deviation = x - mean
    const up = alpha * s.up + deviation - delta
    const down = alpha * s.down + deviation + delta
    const next = { n, mean, up, lowest: Math.min(s.lowest, up), down, highest: Math.max(s.highest, down) }
    if (n < minInstances) return [next, null]
    const rise = next.up - next.lowest
    const fall = next.highest - next.down
    if (direction !== 'down' && rise > threshold) return [fresh, { detector: 'pageHinkley', statistic: rise, threshold, direction: 'up' }]
    if (direction !== 'up' && fall > threshold) return [fresh, { detector: 'pageHinkley', statistic: fall, threshold, direction: 'down' }]
    return [next, null]
  }
  return Object.freeze({ name: 'pageHinkley' as const, init: () => fresh, update })
}
