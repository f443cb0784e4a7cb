/**
 * The rolling mean gradient norm along the chains.
 *
 * @module
 */
import type { OperatorFunction } from 'rxjs'
import { meanGradientNorm, type ChainSnapshot } from '../diagnostics/index.js'
import { required, rollingReport } from './rolling-window.js'

/**
 * The mean gradient norm over chains and the window.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const show = (report: stream.GradientNormReport) => `step ${report.step}: ${report.meanGradientNorm}`
 * assert.equal(show({ step: 50, meanGradientNorm: 2 }), 'step 50: 2')
 */
export interface GradientNormReport {
  readonly step: number
  readonly meanGradientNorm: number
}

/**
 * Reports the mean of ‖∇E‖ over chains and rolling windows of `size` snapshots, which must carry
 * `gradientNorms` (a snapshot without them errors the stream).
 *
 * Lossless: one report per snapshot from the `size`-th on; nothing is dropped.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { from, lastValueFrom, toArray } from 'rxjs'
 * import * as stream from './index.js'
 * const snapshot = (step: number, gradientNorms: number[]) =>
 *   ({ step, chains: 2, dimension: 1, positions: new Float64Array(2), energies: new Float64Array(2), gradientNorms: Float64Array.from(gradientNorms) })
 * const snapshots = [snapshot(1, [1, 3]), snapshot(2, [2, 2]), snapshot(3, [4, 4])]
 * const reports = await lastValueFrom(from(snapshots).pipe(stream.rollingGradientNorm(2), toArray()))
 * assert.deepEqual(reports.map((r) => r.meanGradientNorm), [2, 3]) // over 2 chains × 2 snapshots
 */
export const rollingGradientNorm = (size: number): OperatorFunction<ChainSnapshot, GradientNormReport> =>
  rollingReport('rollingGradientNorm', size, (window) => ({
    meanGradientNorm: meanGradientNorm(window.map((s) => required('rollingGradientNorm', s, 'gradientNorms'))),
  }))
