/**
 * Rolling energy traces of a snapshot stream.
 *
 * @module
 */
import type { OperatorFunction } from 'rxjs'
import { energyTraces, rhat, type ChainSnapshot } from '../diagnostics/index.js'
import { rollingReport } from './rolling-window.js'

/**
 * Each chain's energy over the window, and whether the chains agree on it.
 *
 * @example
 * const show = (report: stream.EnergyTraceReport) => `step ${report.step}: ${report.rhat}`
 */
export interface EnergyTraceReport {
  /** The step of the newest snapshot. */
  readonly step: number
  /** One energy trace per chain over the window, oldest first. */
  readonly traces: Float64Array[]
  /** Rank-normalised split R-hat of the traces; NaN when some energy is not finite. */
  readonly rhat: number
}

/**
 * Reports the energy traces over rolling windows of `size` snapshots (at least 4, which R-hat needs),
 * with the R-hat of the energies: above 1.01, the chains disagree on the energy, so they sample different
 * regions or are still burning in.
 *
 * Lossless: one report per snapshot from the `size`-th on; nothing is dropped.
 *
 * @example
 * const monitor = stream.rollingEnergyTraces(100)
 * // snapshots$.pipe(monitor).subscribe((r) => r.rhat > 1.01 && console.warn('chains disagree on the energy'))
 */
export const rollingEnergyTraces = (size: number): OperatorFunction<ChainSnapshot, EnergyTraceReport> =>
  rollingReport(
    'rollingEnergyTraces',
    size,
    (window) => {
      const traces = energyTraces(window.map((s) => s.energies))
      const finite = traces.every((trace) => trace.every(Number.isFinite))
      return { traces, rhat: finite ? rhat(traces) : NaN }
    },
    4,
  )
