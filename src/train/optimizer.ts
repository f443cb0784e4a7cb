/**
 * What every optimizer shares: a learning rate (a number or one of the sampler's schedules, read at the
 * optimizer's step count t = 0, 1, …), clipping of the gradient by its global norm, and the shape of its
 * state: the step count and named slots (moment buffers) per parameter, all plain typed arrays so that a
 * checkpoint can hold them. Each optimizer (sgd.ts, momentum.ts, adam.ts, adamw.ts) is a value and a
 * rule; optimize.ts applies them.
 *
 * @module
 */
import { options as checkOptions, positive, rangeError, typeError } from '../check/index.js'
import { type Schedule, type ScheduleLike } from '../sampler/index.js'
import { positiveSchedule } from '../sampler/schedule.js'

/** The options every optimizer takes. */
export interface CommonOptions {
  /** The learning rate: a positive number or a schedule (`sampler.constant/linear/geometric/cosine`). */
  readonly lr: ScheduleLike
  /** Rescale the gradient to this global L2 norm when it is larger (torch.nn.utils.clip_grad_norm_). */
  readonly clipNorm?: number | null
}

/** The fields every optimizer value has. */
export interface Common {
  readonly lr: Schedule
  /** null: no clipping. */
  readonly clipNorm: number | null
}

/** An optimizer's state: its step count and its slots, slots[slot][parameter]. */
export interface OptimizerState {
  /** Updates done so far. */
  readonly t: number
  readonly slots: Readonly<Record<string, Readonly<Record<string, Float64Array>>>>
}

/** How an optimizer updates one parameter tensor in place. */
export interface Rule<O> {
  /** Names of its per-parameter slots, each initialised to zeros. */
  readonly slots: readonly string[]
  /**
   * Updates `param` (and its `slots`) in place from `grad` at learning rate `lr`; `t` counts this update
   * from 1.
   */
  readonly update: (o: O, lr: number, t: number, param: Float64Array, grad: Float64Array, slots: Readonly<Record<string, Float64Array>>) => void
}

/**
 * Checks the options of an optimizer named `where`, allowing `extra` option names besides lr and
 * clipNorm, and returns them with the common fields normalised.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { common } from './optimizer.js'
 * assert.deepEqual(common({ lr: 0.1 }, 'train.sgd', []).common, { lr: { kind: 'constant', value: 0.1 }, clipNorm: null })
 * assert.throws(() => common({ lr: 0 }, 'train.sgd', []), { message: 'train.sgd: lr: expected a positive number, got 0' })
 */
export const common = (o: unknown, where: string, extra: readonly string[]): { common: Common; options: Readonly<Record<string, unknown>> } => {
  const v = checkOptions(o, where, ['lr', 'clipNorm', ...extra])
  const clipNorm = v.clipNorm === undefined || v.clipNorm === null ? null : positive(v.clipNorm, `${where}: clipNorm`)
  return { common: { lr: positiveSchedule(v.lr, `${where}: lr`), clipNorm }, options: v }
}

/** A number in [0, 1): a momentum or a decay rate. */
export const rate = (v: unknown, where: string): number => {
  if (typeof v !== 'number') throw typeError(where, 'a number in [0, 1)', v)
  if (!(v >= 0 && v < 1)) throw rangeError(where, 'a number in [0, 1)', v)
  return v
}
