/**
 * Schedules: a number that changes over the steps of a run (a step size, a temperature, a noise scale),
 * described as data so that the native loop can compute it too.
 *
 * Step t counts the sampler's outer steps from 0. `linear`, `geometric` and `cosine` go from `from` at
 * step 0 to `to` at step `steps − 1` and stay at `to` afterwards.
 *
 * @module
 */
import { nonNegative, positive, positiveInteger, rangeError, typeError } from '../check/index.js'

/** A number over steps: constant, or going from `from` to `to` over `steps` steps. */
export type Schedule =
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'linear' | 'geometric' | 'cosine'; readonly from: number; readonly to: number; readonly steps: number }

/** What a schedule argument may be: a number means a constant. */
export type ScheduleLike = number | Schedule

const kinds = new Set(['constant', 'linear', 'geometric', 'cosine'])

/**
 * A constant schedule.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { constant, scheduleAt } from './schedule.js'
 * assert.equal(scheduleAt(constant(0.1), 500), 0.1)
 */
export const constant = (value: number): Schedule => Object.freeze({ kind: 'constant' as const, value })

/**
 * A schedule going linearly from `from` (step 0) to `to` (step `steps − 1`).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { linear, scheduleAt } from './schedule.js'
 * assert.equal(scheduleAt(linear(1, 0, 11), 5), 0.5)
 */
export const linear = (from: number, to: number, steps: number): Schedule => Object.freeze({ kind: 'linear' as const, from, to, steps })

/**
 * A schedule going geometrically from `from` to `to` over `steps` steps (both of one sign, non-zero),
 * as the noise levels of annealed Langevin dynamics.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { geometric, scheduleAt } from './schedule.js'
 * assert.ok(Math.abs(scheduleAt(geometric(1, 0.01, 3), 1) - 0.1) < 1e-15)
 */
export const geometric = (from: number, to: number, steps: number): Schedule => Object.freeze({ kind: 'geometric' as const, from, to, steps })

/**
 * A half-cosine schedule from `from` to `to` over `steps` steps: flat at both ends.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { cosine, scheduleAt } from './schedule.js'
 * assert.ok(Math.abs(scheduleAt(cosine(1, 0, 3), 1) - 0.5) < 1e-15)
 */
export const cosine = (from: number, to: number, steps: number): Schedule => Object.freeze({ kind: 'cosine' as const, from, to, steps })

/**
 * The value of a schedule at step `step` (0-based).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { linear, scheduleAt } from './schedule.js'
 * assert.equal(scheduleAt(linear(2, 4, 3), 10), 4) // a finished schedule stays at its end
 */
export const scheduleAt = (s: Schedule, step: number): number => {
  if (s.kind === 'constant') return s.value
  const f = s.steps <= 1 ? 1 : Math.min(step, s.steps - 1) / (s.steps - 1)
  switch (s.kind) {
    case 'linear':
      return s.from + (s.to - s.from) * f
    case 'geometric':
      return s.from * Math.pow(s.to / s.from, f)
    case 'cosine':
      return s.to + (s.from - s.to) * 0.5 * (1 + Math.cos(Math.PI * f))
  }
}

const kindsList = 'constant, linear, geometric, cosine'

// Checks a schedule whose every value must pass `value` (positive, or ≥ 0).
const checked = (v: unknown, where: string, value: (x: unknown, where: string) => number): Schedule => {
  if (typeof v === 'number') return constant(value(v, where))
  if (typeof v !== 'object' || v === null || !kinds.has((v as Schedule).kind)) throw typeError(where, `a number or a schedule (${kindsList})`, v)
  const s = v as Schedule
  if (s.kind === 'constant') return constant(value(s.value, `${where}.value`))
  const steps = positiveInteger(s.steps, `${where}.steps`)
  const from = value(s.from, `${where}.from`)
  const to = value(s.to, `${where}.to`)
  if (s.kind === 'geometric' && !(from > 0)) throw rangeError(`${where}.from`, 'a positive number (a geometric schedule)', from)
  if (s.kind === 'geometric' && !(to > 0)) throw rangeError(`${where}.to`, 'a positive number (a geometric schedule)', to)
  return Object.freeze({ kind: s.kind, from, to, steps })
}

/**
 * Checks a schedule argument whose every value must be > 0 (a step size, a Metropolis temperature) and
 * returns it as a Schedule; a number means a constant. `where` names the argument in errors.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { positiveSchedule } from './schedule.js'
 * assert.deepEqual(positiveSchedule(0.1, 'ula: stepSize'), { kind: 'constant', value: 0.1 })
 * assert.throws(() => positiveSchedule(0, 'ula: stepSize'), { message: 'ula: stepSize: expected a positive number, got 0' })
 */
export const positiveSchedule = (v: unknown, where: string): Schedule => checked(v, where, positive)

/**
 * Checks a schedule argument whose every value must be ≥ 0 (a noise scale, a Langevin temperature) and
 * returns it as a Schedule; a number means a constant.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { nonNegativeSchedule } from './schedule.js'
 * assert.deepEqual(nonNegativeSchedule(0, 'noise: scale'), { kind: 'constant', value: 0 })
 * assert.throws(() => nonNegativeSchedule({ kind: 'linear', from: 1, to: 0, steps: 0 }, 'noise: scale'), { message: 'noise: scale.steps: expected an integer ≥ 1, got 0' })
 */
export const nonNegativeSchedule = (v: unknown, where: string): Schedule => checked(v, where, nonNegative)
