/**
 * Rolling detection of chains that diverged to NaN or infinity.
 *
 * @module
 */
import type { OperatorFunction } from 'rxjs'
import { nonFiniteChains, type ChainSnapshot } from '../diagnostics/index.js'
import { rollingReport } from './rolling-window.js'

/**
 * The chains that were not finite somewhere in the window.
 *
 * @example
 * const show = (report: stream.NonFiniteReport) => `step ${report.step}: ${report.nonFinite}`
 */
export interface NonFiniteReport {
  readonly step: number
  /** Indices of chains with a non-finite coordinate or energy in some snapshot of the window, ascending. */
  readonly nonFinite: number[]
}

/**
 * Reports the chains with a NaN or infinite coordinate or energy in any snapshot of rolling windows of
 * `size` snapshots.
 *
 * Lossless: one report per snapshot from the `size`-th on; nothing is dropped.
 *
 * @example
 * const monitor = stream.rollingNonFinite(1)
 * // snapshots$.pipe(monitor).subscribe((r) => r.nonFinite.length > 0 && console.error(r.nonFinite))
 */
export const rollingNonFinite = (size: number): OperatorFunction<ChainSnapshot, NonFiniteReport> =>
  rollingReport('rollingNonFinite', size, (window) => {
    const chains = new Set(window.flatMap((s) => nonFiniteChains(s.positions, s.dimension, s.energies)))
    return { nonFinite: [...chains].sort((a, b) => a - b) }
  })
