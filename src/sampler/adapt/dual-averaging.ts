/**
 * Dual averaging of the step size toward a target acceptance (Hoffman & Gelman 2014, §3.2.1, as Stan
 * runs it): after iteration m with acceptance statistic α,
 *   H̄ ← (1 − 1/(m + t₀))·H̄ + (δ − α)/(m + t₀),   log h ← μ − √m/γ·H̄,   log h̄ ← m^(−κ)·log h + (1 − m^(−κ))·log h̄,
 * with μ = log(10·h₀), γ = 0.05, t₀ = 10, κ = 0.75. The iterates h explore; h̄, their weighted average, is
 * the step size warmup ends with. With many chains α is the mean acceptance across them.
 *
 * @module
 */

/** The state of dual averaging. */
export interface DualAveraging {
  /** Iterations so far (m). */
  readonly count: number
  /** The target acceptance δ. */
  readonly target: number
  /** log(10·h₀): the point the iterates are shrunk toward. */
  readonly mu: number
  /** H̄: the running mean of δ − α. */
  readonly error: number
  /** log h: the step size to use next. */
  readonly logStepSize: number
  /** log h̄: the averaged step size. */
  readonly logAverage: number
}

/** Hoffman and Gelman's constants. */
export const dualAveragingConstants = { gamma: 0.05, t0: 10, kappa: 0.75 } as const

/**
 * Dual averaging started (or restarted, as after a new mass matrix) at step size h₀.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { dualAveraging } from './dual-averaging.js'
 * const s = dualAveraging(0.5, 0.8)
 * assert.equal(Math.exp(s.logStepSize), 0.5)
 * assert.equal(s.mu, Math.log(5))
 */
export const dualAveraging = (stepSize: number, target: number): DualAveraging => ({
  count: 0,
  target,
  mu: Math.log(10 * stepSize),
  error: 0,
  logStepSize: Math.log(stepSize),
  logAverage: 0,
})

/**
 * One iteration with acceptance statistic `acceptance` (a NaN, as from chains that all died, counts as 0:
 * the step was too large).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { dualAveraging, adaptStepSize } from './dual-averaging.js'
 * // by hand: m = 1, H̄ = (0.8 − 0.3)/11, log h = log 10 − (1/0.05)·H̄, log h̄ = log h
 * const s = adaptStepSize(dualAveraging(1, 0.8), 0.3)
 * assert.ok(Math.abs(s.logStepSize - (Math.log(10) - 20 * 0.5 / 11)) < 1e-15)
 * assert.equal(s.logAverage, s.logStepSize)
 */
export const adaptStepSize = (s: DualAveraging, acceptance: number): DualAveraging => {
  const { gamma, t0, kappa } = dualAveragingConstants
  const alpha = Number.isFinite(acceptance) ? Math.min(1, Math.max(0, acceptance)) : 0
  const m = s.count + 1
  const eta = 1 / (m + t0)
  const error = (1 - eta) * s.error + eta * (s.target - alpha)
  const logStepSize = s.mu - (Math.sqrt(m) / gamma) * error
  const w = Math.pow(m, -kappa)
  return { ...s, count: m, error, logStepSize, logAverage: w * logStepSize + (1 - w) * s.logAverage }
}

/**
 * The averaged step size h̄ that dual averaging ends with (h₀ before any iteration).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { dualAveraging, finalStepSize } from './dual-averaging.js'
 * assert.equal(finalStepSize(dualAveraging(0.25, 0.8)), 0.25)
 */
export const finalStepSize = (s: DualAveraging): number => Math.exp(s.count === 0 ? s.logStepSize : s.logAverage)
