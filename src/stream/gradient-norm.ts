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
 * const show = (report: stream.GradientNormReport) => `step ${report.step}: ${report.meanGradientNorm}`
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
 * const monitor = stream.rollingGradientNorm(50)
 * // snapshots$.pipe(monitor).subscribe((r) => console.log(r.meanGradientNorm))
 */
export const rollingGradientNorm = (size: number): OperatorFunction<ChainSnapshot, GradientNormReport> =>
  rollingReport('rollingGradientNorm', size, (window) => ({
    meanGradientNorm: meanGradientNorm(window.map((s) => required('rollingGradientNorm', s, 'gradientNorms'))),
  }))
