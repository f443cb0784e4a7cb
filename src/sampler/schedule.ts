/**
 * Schedules: a number that changes over the steps of a run (a step size, a temperature, a noise scale),
 * described as data so that the native loop can compute it too.
 *
 * Step t counts the sampler's outer steps from 0. `linear`, `geometric` and `cosine` go from `from` at
 * step 0 to `to` at step `steps − 1` and stay at `to` afterwards.
 *
 * @module
 */

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
 * import { constant, scheduleAt } from './schedule.js'
 * scheduleAt(constant(0.1), 500) // 0.1
 */
export const constant = (value: number): Schedule => Object.freeze({ kind: 'constant' as const, value })

/**
 * A schedule going linearly from `from` (step 0) to `to` (step `steps − 1`).
 *
 * @example
 * import { linear, scheduleAt } from './schedule.js'
 * scheduleAt(linear(1, 0, 11), 5) // 0.5
 */
export const linear = (from: number, to: number, steps: number): Schedule => Object.freeze({ kind: 'linear' as const, from, to, steps })

/**
 * A schedule going geometrically from `from` to `to` over `steps` steps (both of one sign, non-zero),
 * as the noise levels of annealed Langevin dynamics.
 *
 * @example
 * import { geometric, scheduleAt } from './schedule.js'
 * scheduleAt(geometric(1, 0.01, 3), 1) // 0.1
 */
export const geometric = (from: number, to: number, steps: number): Schedule => Object.freeze({ kind: 'geometric' as const, from, to, steps })

/**
 * A half-cosine schedule from `from` to `to` over `steps` steps: flat at both ends.
 *
 * @example
 * import { cosine, scheduleAt } from './schedule.js'
 * scheduleAt(cosine(1, 0, 3), 1) // 0.5 (to rounding)
 */
export const cosine = (from: number, to: number, steps: number): Schedule => Object.freeze({ kind: 'cosine' as const, from, to, steps })

/**
 * The value of a schedule at step `step` (0-based).
 *
 * @example
 * import { linear, scheduleAt } from './schedule.js'
 * scheduleAt(linear(2, 4, 3), 10) // 4: a finished schedule stays at its end
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

/**
 * Checks a schedule argument and returns it as a Schedule; `where` names the argument in errors.
 * `positive` requires every value to be > 0, otherwise ≥ 0.
 *
 * @example
 * import { toSchedule } from './schedule.js'
 * toSchedule(0.1, 'ula: stepSize', true) // { kind: 'constant', value: 0.1 }
 */
export const toSchedule = (v: unknown, where: string, positive: boolean): Schedule => {
  const bound = positive ? 'a positive number' : 'a number ≥ 0'
  const check = (x: unknown, field: string): number => {
    if (typeof x !== 'number' || !Number.isFinite(x) || (positive ? !(x > 0) : !(x >= 0))) {
      throw new RangeError(`${where}${field}: expected ${bound}, got ${typeof x === 'number' ? x : JSON.stringify(x) ?? String(x)}`)
    }
    return x
  }
  if (typeof v === 'number') return constant(check(v, ''))
  if (typeof v !== 'object' || v === null || !kinds.has((v as Schedule).kind)) {
    throw new TypeError(`${where}: expected a number or a schedule (constant, linear, geometric, cosine), got ${v === null ? 'null' : typeof v}`)
  }
  const s = v as Schedule
  if (s.kind === 'constant') return constant(check(s.value, '.value'))
  const steps = s.steps
  if (!(Number.isSafeInteger(steps) && steps >= 1)) throw new RangeError(`${where}.steps: expected a positive integer, got ${steps}`)
  const from = check(s.from, '.from')
  const to = check(s.to, '.to')
  if (s.kind === 'geometric' && !(from > 0 && to > 0)) throw new RangeError(`${where}: a geometric schedule needs from and to > 0, got ${from} and ${to}`)
  return Object.freeze({ kind: s.kind, from, to, steps })
}
