/**
 * Rolling acceptance rates.
 *
 * @module
 */
import type { OperatorFunction } from 'rxjs'
import { acceptanceRates, type ChainSnapshot } from '../diagnostics/index.js'
import { required, rollingReport } from './rolling-window.js'

/**
 * Acceptance rates over the window.
 *
 * @example
 * const show = (report: stream.AcceptanceReport) => `step ${report.step}: ${report.rate}`
 */
export interface AcceptanceReport {
  readonly step: number
  /** Each chain's acceptance rate. */
  readonly rates: Float64Array
  /** The rate over all chains. */
  readonly rate: number
}

/**
 * Reports acceptance rates over rolling windows of `size` snapshots, which must carry `accepted` (a
 * snapshot without it errors the stream).
 *
 * Lossless: one report per snapshot from the `size`-th on; nothing is dropped.
 *
 * @example
 * const monitor = stream.rollingAcceptance(100)
 * // snapshots$.pipe(monitor).subscribe((r) => console.log(r.rate))
 */
export const rollingAcceptance = (size: number): OperatorFunction<ChainSnapshot, AcceptanceReport> =>
  rollingReport('rollingAcceptance', size, (window) => {
    const rates = acceptanceRates(window.map((s) => required('rollingAcceptance', s, 'accepted')))
    return { rates, rate: rates.reduce((a, b) => a + b) / rates.length }
  })
