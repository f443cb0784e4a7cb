/**
 * The built-in samplers, each a composition of the blocks (src/sampler/blocks/): nothing here runs anything.
 *
 * @module
 */
import { pipe } from 'fp-ts/lib/function.js'
import { options, positive, positiveInteger } from '../check/index.js'
import { clamp, drift, kick, leapfrog, metropolis, momentum, move, named, noise, repeat, type Sequence } from './kernel.js'
import { nonNegativeSchedule, positiveSchedule, type ScheduleLike } from './schedule.js'
import { checkMetric, type Metric } from './metric.js'

/** Options of `ula`. */
export interface UlaOptions {
  /** The step size h of the drift x ← x − h·∇E(x). */
  readonly stepSize: ScheduleLike
  /** The temperature T: noise σ = √(2hT). Default 1. Ignored when `noiseScale` is given. */
  readonly temperature?: ScheduleLike
  /** The decoupled form: noise σ set directly, whatever the step size (IGEBM, JEM). */
  readonly noiseScale?: ScheduleLike
  /** Clip every coordinate of the gradient to [−clip, clip] before the drift. */
  readonly clip?: number
  /** Clamp positions into the box [low, high] after every step. */
  readonly clamp?: { readonly low: number; readonly high: number }
}

/**
 * The unadjusted Langevin algorithm: x ← x − h·∇E(x) + √(2hT)·ξ, or with `noiseScale` the decoupled
 * x ← x − h·∇E(x) + σ·ξ of short-run EBM sampling, optionally with gradient clipping and box clamping.
 * It is biased for any h > 0: on E = a·x²/2 it samples variance 2T/(a(2 − a·h)).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { ula } from './builtins.js'
 * const langevin = ula({ stepSize: 0.01 })
 * assert.deepEqual(langevin.blocks.map((b) => b.type), ['drift', 'noise'])
 * const jem = ula({ stepSize: 1, noiseScale: 0.01, clamp: { low: -1, high: 1 } })
 * assert.deepEqual(jem.blocks.map((b) => b.type), ['drift', 'noise', 'clamp'])
 */
export const ula = (o: UlaOptions): Sequence => {
  options<UlaOptions>(o, 'ula: options', ['stepSize', 'temperature', 'noiseScale', 'clip', 'clamp'])
  const stepSize = positiveSchedule(o.stepSize, 'ula: stepSize')
  const temperature = nonNegativeSchedule(o.temperature ?? 1, 'ula: temperature')
  const noiseBlock = o.noiseScale === undefined ? noise({ stepSize, temperature }) : noise({ scale: nonNegativeSchedule(o.noiseScale, 'ula: noiseScale') })
  const clip = o.clip === undefined ? null : positive(o.clip, 'ula: clip')
  const blocks = [drift({ stepSize, clip }), noiseBlock]
  return named('ula', o.clamp === undefined ? blocks : [...blocks, clamp(o.clamp)])
}

/**
 * The Metropolis-adjusted Langevin algorithm: the Langevin move x′ = x − h·∇E(x) + √(2hT)·ξ, accepted
 * with the exact Metropolis–Hastings ratio (both Gaussian proposal densities), so it samples exp(−E/T)
 * exactly for any step size.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { mala } from './builtins.js'
 * const k = mala({ stepSize: 0.1 })
 * assert.equal(k.name, 'mala')
 */
export const mala = (o: { readonly stepSize: ScheduleLike; readonly temperature?: ScheduleLike }): Sequence => {
  options<{ stepSize: ScheduleLike; temperature: ScheduleLike }>(o, 'mala: options', ['stepSize', 'temperature'])
  const stepSize = positiveSchedule(o.stepSize, 'mala: stepSize')
  const temperature = positiveSchedule(o.temperature ?? 1, 'mala: temperature')
  return named('mala', [pipe(named(null, [drift({ stepSize }), noise({ stepSize, temperature })]), metropolis({ temperature }))])
}

/**
 * Hamiltonian Monte Carlo: a full momentum refresh p ~ N(0, T·M), `leapfrogSteps` leapfrog steps of size
 * h, and a Metropolis accept/reject on H = E + pᵀM⁻¹p/2 at temperature T. `metric` is the inverse mass
 * matrix M⁻¹ (default the identity; warmup estimates it as the target's covariance).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { hmc } from './builtins.js'
 * const k = hmc({ stepSize: 0.2, leapfrogSteps: 10 })
 * assert.deepEqual(k.blocks.map((b) => b.type), ['momentum', 'metropolis'])
 */
export const hmc = (o: { readonly stepSize: ScheduleLike; readonly leapfrogSteps: number; readonly temperature?: ScheduleLike; readonly metric?: Metric }): Sequence => {
  options<{ stepSize: ScheduleLike; leapfrogSteps: number; temperature: ScheduleLike; metric: Metric }>(o, 'hmc: options', ['stepSize', 'leapfrogSteps', 'temperature', 'metric'])
  const stepSize = positiveSchedule(o.stepSize, 'hmc: stepSize')
  const temperature = positiveSchedule(o.temperature ?? 1, 'hmc: temperature')
  const leapfrogSteps = positiveInteger(o.leapfrogSteps, 'hmc: leapfrogSteps')
  const metric = checkMetric(o.metric, 'hmc: metric')
  return named('hmc', [momentum({ temperature, metric }), pipe(leapfrog({ stepSize, metric }), repeat(leapfrogSteps), metropolis({ temperature }))])
}

/**
 * Stochastic-gradient HMC without gradient noise, i.e. underdamped Langevin dynamics with friction γ:
 * each step refreshes the momentum partially (p ← e^(−γh)·p + √(T(1 − e^(−2γh)))·ξ, ξ ~ N(0, M)), kicks it
 * (p ← p − h·∇E(x)) and moves (x ← x + h·M⁻¹p), M the mass matrix whose inverse is `metric`. docs/samplers.md derives its stationary variance on a
 * quadratic.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { sghmc } from './builtins.js'
 * const k = sghmc({ stepSize: 0.1, friction: 1 })
 * assert.deepEqual(k.blocks.map((b) => b.type), ['momentum', 'kick', 'move'])
 */
export const sghmc = (o: { readonly stepSize: ScheduleLike; readonly friction: number; readonly temperature?: ScheduleLike; readonly metric?: Metric }): Sequence => {
  options<{ stepSize: ScheduleLike; friction: number; temperature: ScheduleLike; metric: Metric }>(o, 'sghmc: options', ['stepSize', 'friction', 'temperature', 'metric'])
  const stepSize = positiveSchedule(o.stepSize, 'sghmc: stepSize')
  const temperature = nonNegativeSchedule(o.temperature ?? 1, 'sghmc: temperature')
  const friction = positive(o.friction, 'sghmc: friction')
  const metric = checkMetric(o.metric, 'sghmc: metric')
  return named('sghmc', [
    momentum({ friction, stepSize, temperature, metric }),
    kick({ stepSize }),
    move({ stepSize, metric }),
  ])
}
