/**
 * Rolling detection of chains that stopped moving.
 *
 * @module
 */
import { nonNegative } from '../check/index.js'
import type { OperatorFunction } from 'rxjs'
import { stagnantChains, type Snapshot } from '../diagnostics/index.js'
import { rollingReport } from './rolling-window.js'

/**
 * The chains that did not move over the window.
 *
 * @example
 * const show = (report: stream.StagnationReport) => `step ${report.step}: ${report.stagnant}`
 */
export interface StagnationReport {
  readonly step: number
  /** Indices of chains whose coordinates all stayed within the tolerance over the window. */
  readonly stagnant: number[]
}

/**
 * Reports the chains that stayed within `tolerance` (0 by default: did not move at all) of their
 * position at the start of each rolling window of `size` snapshots (at least 2).
 *
 * Lossless: one report per snapshot from the `size`-th on; nothing is dropped.
 *
 * @example
 * const monitor = stream.rollingStagnation(20)
 * // snapshots$.pipe(monitor).subscribe((r) => r.stagnant.length > 0 && console.warn(r.stagnant))
 */
export const rollingStagnation = (size: number, tolerance = 0): OperatorFunction<Snapshot, StagnationReport> => {
  nonNegative(tolerance, 'rollingStagnation: tolerance')
  return rollingReport(
    'rollingStagnation',
    size,
    (window) => ({
      stagnant: stagnantChains(window.map((s) => s.positions), window[0].dimension, tolerance),
    }),
    2,
  )
}
