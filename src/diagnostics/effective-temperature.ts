/**
 * The effective temperature and stability of the unadjusted Langevin algorithm.
 *
 * @module
 */
import { finite, nonNegative, options as checkOptions, positive } from '../check/index.js'

/**
 * The temperature at which unadjusted Langevin x ← x − h∇E(x) + √(2hT)ξ actually samples along a
 * direction of curvature λ: T·2/(2 − hλ). On a quadratic the chain's stationary variance is
 * (T/λ)·2/(2 − hλ) instead of T/λ, so a step size that is not small against 1/λ samples a hotter
 * distribution than asked; at hλ ≥ 2 the chain diverges and this returns Infinity.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * assert.equal(diagnostics.effectiveTemperature(0.1, 10), 2) // at h·λ = 1 the chain samples at twice the temperature
 */
export const effectiveTemperature = (stepSize: number, curvature: number, temperature = 1): number => {
  positive(stepSize, 'effectiveTemperature: stepSize')
  finite(curvature, 'effectiveTemperature: curvature')
  nonNegative(temperature, 'effectiveTemperature: temperature')
  const hl = stepSize * curvature
  return hl >= 2 ? Infinity : (temperature * 2) / (2 - hl)
}

/**
 * The stability of a Langevin step size against the largest curvature.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * const report: diagnostics.LangevinStability = diagnostics.langevinStability(0.05, 10)
 * assert.equal(report.stepCurvature, 0.5)
 */
export interface LangevinStability {
  /** h·λ_max: stable below 2, accurate only well below 1. */
  readonly stepCurvature: number
  /** The temperature sampled along the stiffest direction, T·2/(2 − h·λ_max). */
  readonly effectiveTemperature: number
  /** h·λ_max ≥ 2: the chain diverges along the stiffest direction. */
  readonly diverges: boolean
  /** A sentence when h·λ_max reaches `warnAt` (1.8 by default), else undefined. */
  readonly warning: string | undefined
}

/**
 * Judges a Langevin step size against the largest curvature of the energy (λ_max, e.g. from
 * `largestEigenvalue` on Hessian-vector products): the effective temperature along the stiffest
 * direction and a warning when h·λ_max approaches 2, where the chain diverges.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * assert.match(diagnostics.langevinStability(0.19, 10).warning!, /^h·λ_max = 1.9 is near 2: the chain samples at temperature 20 /)
 */
export const langevinStability = (
  stepSize: number,
  largestCurvature: number,
  options: { readonly temperature?: number; readonly warnAt?: number } = {},
): LangevinStability => {
  const o = checkOptions(options, 'langevinStability: options', ['temperature', 'warnAt'])
  const temperature = o.temperature === undefined ? 1 : nonNegative(o.temperature, 'langevinStability: options.temperature')
  const warnAt = o.warnAt === undefined ? 1.8 : positive(o.warnAt, 'langevinStability: options.warnAt')
  positive(stepSize, 'langevinStability: stepSize')
  finite(largestCurvature, 'langevinStability: largestCurvature')
  const stepCurvature = stepSize * largestCurvature
  const effective = effectiveTemperature(stepSize, largestCurvature, temperature)
  const diverges = stepCurvature >= 2
  const show = (x: number) => Number(x.toPrecision(4))
  const warning = diverges
    ? `h·λ_max = ${show(stepCurvature)} is at least 2: Langevin diverges along the stiffest direction; use a step below ${show(2 / largestCurvature)}`
    : stepCurvature >= warnAt
      ? `h·λ_max = ${show(stepCurvature)} is near 2: the chain samples at temperature ${show(effective)} along the stiffest direction and is close to diverging; use a step below ${show(warnAt / largestCurvature)}`
      : undefined
  return { stepCurvature, effectiveTemperature: effective, diverges, warning }
}
