/**
 * Rolling detection of chains that stopped moving.
 *
 * @module
 */
import { nonNegative } from '../check/index.js'
import type { OperatorFunction } from 'rxjs'
import { stagnantChains, type ChainSnapshot } from '../diagnostics/index.js'
import { rollingReport } from './rolling-window.js'

/**
 * The chains that did not move over the window.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const show = (report: stream.StagnationReport) => `step ${report.step}: ${report.stagnant}`
 * assert.equal(show({ step: 20, stagnant: [2] }), 'step 20: 2')
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
 * import assert from 'node:assert/strict'
 * import { from, lastValueFrom, toArray } from 'rxjs'
 * import * as stream from './index.js'
 * const snapshot = (step: number, positions: number[]) =>
 *   ({ step, chains: 2, dimension: 1, positions: Float64Array.from(positions), energies: new Float64Array(2) })
 * const snapshots = [snapshot(1, [0.5, 0]), snapshot(2, [0.5, 0.1]), snapshot(3, [0.5, 0.1])]
 * const reports = await lastValueFrom(from(snapshots).pipe(stream.rollingStagnation(2), toArray()))
 * assert.deepEqual(reports.map((r) => r.stagnant), [[0], [0, 1]]) // chain 1 moved once, then stopped too
 */
export const rollingStagnation = (size: number, tolerance = 0): OperatorFunction<ChainSnapshot, StagnationReport> => {
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
