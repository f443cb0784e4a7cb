/**
 * The rolling stability of a Langevin step size against the energy's curvature along the chains.
 *
 * @module
 */
import { func, nonNegative, options as checkOptions, positive } from '../check/index.js'
import type { OperatorFunction } from 'rxjs'
import { langevinStability, type LangevinStability, type Snapshot } from '../diagnostics/index.js'
import { rollingReport } from './rolling-window.js'

/**
 * The largest curvature seen over the window and what it means for the step size.
 *
 * @example
 * const show = (r: stream.LangevinStabilityReport) => `step ${r.step}: h·λ_max = ${r.stability.stepCurvature}`
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
  readonly curvature: (snapshot: Snapshot) => number
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
 * const watch = stream.rollingLangevinStability(10, { stepSize: 0.01, curvature: () => 50 })
 * // snapshots$.pipe(watch).subscribe((r) => r.stability.warning && console.warn(r.stability.warning))
 */
export const rollingLangevinStability = (size: number, options: LangevinStabilityOptions): OperatorFunction<Snapshot, LangevinStabilityReport> => {
  const o = checkOptions<LangevinStabilityOptions>(options, 'rollingLangevinStability: options', ['stepSize', 'curvature', 'temperature', 'warnAt'])
  func(o.curvature, 'rollingLangevinStability: options.curvature')
  // Checked here, when the operator is built, rather than as a stream error at the first report.
  positive(o.stepSize, 'rollingLangevinStability: options.stepSize')
  if (o.temperature !== undefined) nonNegative(o.temperature, 'rollingLangevinStability: options.temperature')
  if (o.warnAt !== undefined) positive(o.warnAt, 'rollingLangevinStability: options.warnAt')
  // Estimates are cached per snapshot so that each is computed once, not once per window it falls in.
  const cache = new WeakMap<Snapshot, number>()
  const curvatureOf = (s: Snapshot) => {
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
