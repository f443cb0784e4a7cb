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
 * import assert from 'node:assert/strict'
 * const show = (report: stream.EnergyTraceReport) => `step ${report.step}: ${report.rhat}`
 * assert.equal(show({ step: 100, traces: [], rhat: 1.002 }), 'step 100: 1.002')
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
 * import assert from 'node:assert/strict'
 * import { from, lastValueFrom, toArray } from 'rxjs'
 * import * as stream from './index.js'
 * // chain 0 wanders near energy 0, chain 1 near 10: they sample different regions
 * const energies = [[0, 10], [1, 11], [0.5, 10.5], [0.2, 10.2]]
 * const snapshots = energies.map((e, i) => ({ step: i + 1, chains: 2, dimension: 1, positions: new Float64Array(2), energies: Float64Array.from(e) }))
 * const [report] = await lastValueFrom(from(snapshots).pipe(stream.rollingEnergyTraces(4), toArray()))
 * assert.deepEqual(report.traces, [new Float64Array([0, 1, 0.5, 0.2]), new Float64Array([10, 11, 10.5, 10.2])])
 * assert.ok(report.rhat > 1.01)
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
