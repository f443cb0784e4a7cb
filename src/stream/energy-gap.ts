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
 * const show = (report: stream.EnergyGapReport) => `step ${report.step}: ${report.meanGap}`
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
 * const monitor = stream.rollingEnergyGap(20)
 * // training$.pipe(monitor).subscribe((r) => console.log(r.step, r.meanGap))
 */
export const rollingEnergyGap = (size: number): OperatorFunction<ChainSnapshot, EnergyGapReport> =>
  rollingReport('rollingEnergyGap', size, (window) => {
    const gaps = window.map((s) => energyGap(required('rollingEnergyGap', s, 'dataEnergies'), s.energies))
    return { gap: gaps[gaps.length - 1], meanGap: gaps.reduce((a, b) => a + b) / gaps.length }
  })
