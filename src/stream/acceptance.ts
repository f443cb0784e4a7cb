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
 * import assert from 'node:assert/strict'
 * const show = (report: stream.AcceptanceReport) => `step ${report.step}: ${report.rate}`
 * assert.equal(show({ step: 3, rates: new Float64Array([0.5, 1]), rate: 0.75 }), 'step 3: 0.75')
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
 * import assert from 'node:assert/strict'
 * import { from, lastValueFrom, toArray } from 'rxjs'
 * import * as stream from './index.js'
 * const snapshot = (step: number, accepted: number[]) =>
 *   ({ step, chains: 2, dimension: 1, positions: new Float64Array(2), energies: new Float64Array(2), accepted: Float64Array.from(accepted) })
 * const snapshots = [snapshot(1, [1, 0]), snapshot(2, [1, 1]), snapshot(3, [0, 0])]
 * const reports = await lastValueFrom(from(snapshots).pipe(stream.rollingAcceptance(2), toArray()))
 * // windows of steps 1–2 and 2–3: chain rates (1, ½) then (½, ½)
 * assert.deepEqual(reports.map((r) => [r.step, r.rate]), [[2, 0.75], [3, 0.5]])
 */
export const rollingAcceptance = (size: number): OperatorFunction<ChainSnapshot, AcceptanceReport> =>
  rollingReport('rollingAcceptance', size, (window) => {
    const rates = acceptanceRates(window.map((s) => required('rollingAcceptance', s, 'accepted')))
    return { rates, rate: rates.reduce((a, b) => a + b) / rates.length }
  })
