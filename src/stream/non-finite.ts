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
 * import assert from 'node:assert/strict'
 * const show = (report: stream.NonFiniteReport) => `step ${report.step}: ${report.nonFinite}`
 * assert.equal(show({ step: 7, nonFinite: [0, 3] }), 'step 7: 0,3')
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
 * import assert from 'node:assert/strict'
 * import { from, lastValueFrom, toArray } from 'rxjs'
 * import * as stream from './index.js'
 * const snapshot = (step: number, positions: number[], energies: number[]) =>
 *   ({ step, chains: 3, dimension: 1, positions: Float64Array.from(positions), energies: Float64Array.from(energies) })
 * const snapshots = [snapshot(1, [0, NaN, 1], [0, NaN, 0.5]), snapshot(2, [0, 1, 2], [0, 0.5, Infinity])]
 * const reports = await lastValueFrom(from(snapshots).pipe(stream.rollingNonFinite(1), toArray()))
 * assert.deepEqual(reports.map((r) => r.nonFinite), [[1], [2]]) // a NaN position, then an infinite energy
 */
export const rollingNonFinite = (size: number): OperatorFunction<ChainSnapshot, NonFiniteReport> =>
  rollingReport('rollingNonFinite', size, (window) => {
    const chains = new Set(window.flatMap((s) => nonFiniteChains(s.positions, s.dimension, s.energies)))
    return { nonFinite: [...chains].sort((a, b) => a - b) }
  })
