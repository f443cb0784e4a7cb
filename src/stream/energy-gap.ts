/**
 * The rolling energy difference between data and samples.
 *
 * @module
 */
import type { OperatorFunction } from 'rxjs'
import { energyGap, type ChainSnapshot } from '../diagnostics/index.js'
import { required, rollingReport } from './rolling-window.js'

/**
 * The energy gap d_t of the newest snapshot and its mean over the window.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const show = (report: stream.EnergyGapReport) => `step ${report.step}: ${report.meanGap}`
 * assert.equal(show({ step: 20, gap: 0.5, meanGap: 0.25 }), 'step 20: 0.25')
 */
export interface EnergyGapReport {
  readonly step: number
  /** d_t = mean E(data) − mean E(samples) at the newest snapshot. */
  readonly gap: number
  /** The mean of d_t over the window: stable learning keeps it near 0. */
  readonly meanGap: number
}

/**
 * Reports the energy difference d_t of Nijkamp et al. (2020) over rolling windows of `size` snapshots,
 * which must carry `dataEnergies` (a snapshot without them errors the stream).
 *
 * Lossless: one report per snapshot from the `size`-th on; nothing is dropped.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { from, lastValueFrom, toArray } from 'rxjs'
 * import * as stream from './index.js'
 * const snapshot = (step: number, dataEnergies: number[], energies: number[]) =>
 *   ({ step, chains: 2, dimension: 1, positions: new Float64Array(2), energies: Float64Array.from(energies), dataEnergies: Float64Array.from(dataEnergies) })
 * const snapshots = [snapshot(1, [1, 1], [0, 0]), snapshot(2, [2, 2], [1, 0])]
 * const [report] = await lastValueFrom(from(snapshots).pipe(stream.rollingEnergyGap(2), toArray()))
 * assert.deepEqual(report, { step: 2, gap: 1.5, meanGap: 1.25 }) // d = 2 − ½ now, 1 − 0 before
 */
export const rollingEnergyGap = (size: number): OperatorFunction<ChainSnapshot, EnergyGapReport> =>
  rollingReport('rollingEnergyGap', size, (window) => {
    const gaps = window.map((s) => energyGap(required('rollingEnergyGap', s, 'dataEnergies'), s.energies))
    return { gap: gaps[gaps.length - 1], meanGap: gaps.reduce((a, b) => a + b) / gaps.length }
  })
