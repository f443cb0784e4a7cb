/**
 * The rolling stability of a Langevin step size against the energy's curvature along the chains.
 *
 * @module
 */
import { func, nonNegative, options as checkOptions, positive } from '../check/index.js'
import type { OperatorFunction } from 'rxjs'
import { langevinStability, type LangevinStability, type ChainSnapshot } from '../diagnostics/index.js'
import { rollingReport } from './rolling-window.js'

/**
 * The largest curvature seen over the window and what it means for the step size.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const show = (r: stream.LangevinStabilityReport) => `step ${r.step}: h·λ_max = ${r.stability.stepCurvature}`
 * const stability = diagnostics.langevinStability(0.01, 50)
 * assert.equal(show({ step: 10, largestCurvature: 50, stability }), 'step 10: h·λ_max = 0.5')
 */
export interface LangevinStabilityReport {
  readonly step: number
  /** The largest curvature λ_max estimated over the window's snapshots. */
  readonly largestCurvature: number
  readonly stability: LangevinStability
}

/** What `rollingLangevinStability` needs: the step size, and how to estimate λ_max at a snapshot. */
export interface LangevinStabilityOptions {
  readonly stepSize: number
  /** λ_max at a snapshot, e.g. `(s) => diagnostics.largestCurvature(energy, params, s.positions.subarray(0, d)).eigenvalue`. */
  readonly curvature: (snapshot: ChainSnapshot) => number
  readonly temperature?: number
  /** h·λ_max at which a warning is given (default 1.8). */
  readonly warnAt?: number
}

/**
 * Reports, over rolling windows of `size` snapshots, the largest curvature the chains met and the
 * effective temperature T·2/(2 − h·λ_max) of unadjusted Langevin at that curvature, with a warning as
 * h·λ_max approaches 2, where the chain diverges. The curvature is estimated once per snapshot.
 *
 * Lossless: one report per snapshot from the `size`-th on; nothing is dropped.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { from, lastValueFrom, toArray } from 'rxjs'
 * import * as stream from './index.js'
 * const snapshots = [1, 2, 3].map((step) => ({ step, chains: 1, dimension: 1, positions: new Float64Array(1), energies: new Float64Array(1) }))
 * // λ_max at each snapshot (as diagnostics.largestCurvature would estimate it): 4, then 6, then 7.6
 * const curvature = (s: { step: number }) => [4, 6, 7.6][s.step - 1]
 * const watch = stream.rollingLangevinStability(2, { stepSize: 0.25, curvature })
 * const reports = await lastValueFrom(from(snapshots).pipe(watch, toArray()))
 * assert.deepEqual(reports.map((r) => r.largestCurvature), [6, 7.6]) // the largest in each window
 * assert.equal(reports[0].stability.warning, undefined) // h·λ_max = 1.5
 * assert.match(reports[1].stability.warning!, /^h·λ_max = 1.9 is near 2/)
 * assert.ok(Math.abs(reports[1].stability.effectiveTemperature - 20) < 1e-12) // 2/(2 − 1.9), to rounding
 */
export const rollingLangevinStability = (size: number, options: LangevinStabilityOptions): OperatorFunction<ChainSnapshot, LangevinStabilityReport> => {
  const o = checkOptions<LangevinStabilityOptions>(options, 'rollingLangevinStability: options', ['stepSize', 'curvature', 'temperature', 'warnAt'])
  func(o.curvature, 'rollingLangevinStability: options.curvature')
  // Checked here, when the operator is built, rather than as a stream error at the first report.
  positive(o.stepSize, 'rollingLangevinStability: options.stepSize')
  if (o.temperature !== undefined) nonNegative(o.temperature, 'rollingLangevinStability: options.temperature')
  if (o.warnAt !== undefined) positive(o.warnAt, 'rollingLangevinStability: options.warnAt')
  // Estimates are cached per snapshot so that each is computed once, not once per window it falls in.
  const cache = new WeakMap<ChainSnapshot, number>()
  const curvatureOf = (s: ChainSnapshot) => {
    let c = cache.get(s)
    if (c === undefined) {
      c = options.curvature(s)
      cache.set(s, c)
    }
    return c
  }
  return rollingReport('rollingLangevinStability', size, (window) => {
    const largestCurvature = Math.max(...window.map(curvatureOf))
    return {
      largestCurvature,
      stability: langevinStability(options.stepSize, largestCurvature, { temperature: options.temperature, warnAt: options.warnAt }),
    }
  })
}
