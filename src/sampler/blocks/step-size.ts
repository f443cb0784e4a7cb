/**
 * The blocks whose fields are a step size and, for those that move positions by a velocity (move,
 * leapfrog), a mass matrix: one definition of their description, check, flatten and encoding; each
 * block's file gives its name and reference step.
 *
 * @module
 */
import { options as checkOptions } from '../../check/index.js'
import { defineBlock, defineInstruction, type Instruction, type Kernel } from '../block.js'
import { checkMetric, encodeMetric, metricFields, type Metric, type MetricSlot } from '../metric.js'
import type { ReferenceStep } from '../reference.js'
import { positiveSchedule, type Schedule, type ScheduleLike } from '../schedule.js'

/** A block of one step size h, of type T, with an inverse mass matrix where it moves by M⁻¹p. */
export interface StepSizeBlock<T extends string> {
  readonly type: T
  readonly stepSize: Schedule
  /** The inverse mass matrix (absent: the identity). */
  readonly metric?: Metric
}

/** Its instruction (`metric` null for the identity, and always for a kick). */
export interface StepSizeInstruction<T extends string> {
  readonly op: T
  readonly stepSize: Schedule
  readonly metric: MetricSlot | null
}

/** A step-size block's options. */
export interface StepSizeOptions {
  readonly stepSize: ScheduleLike
  /** The inverse mass matrix M⁻¹ of the velocity (move, leapfrog). */
  readonly metric?: Metric
}

/**
 * Registers a step-size block and its instruction, and returns the block's constructor; `moves` says
 * the block moves positions by the velocity M⁻¹p, so it takes a mass matrix.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { move } from './move.js'
 * assert.deepEqual(move({ stepSize: 0.1 }), { type: 'move', stepSize: { kind: 'constant', value: 0.1 } })
 */
export const stepSizeBlock = <T extends Kernel['type'] & Instruction['op']>(
  type: T,
  reference: (ins: StepSizeInstruction<T>, run: ReferenceStep) => void,
  o: { readonly moves: boolean } = { moves: false },
): ((o: StepSizeOptions) => StepSizeBlock<T>) => {
  // The registry's unions hold this block once its file has declared it; the casts say so.
  const block = defineBlock<Kernel>({
    type,
    check: (k, where) => {
      const metric = o.moves ? checkMetric(k.metric, where.field('metric')) : undefined
      return Object.freeze({ type, stepSize: positiveSchedule(k.stepSize, where.field('stepSize')), ...(metric === undefined ? {} : { metric }) }) as never
    },
    flatten: (k, f) => {
      const b = k as unknown as StepSizeBlock<T>
      f.push({ op: type, stepSize: b.stepSize, metric: f.metric(b.metric) } as never)
    },
  })
  const fields = o.moves ? { stepSize: 'schedule', ...metricFields } : { stepSize: 'schedule' }
  const encode = (ins: StepSizeInstruction<T>) => (o.moves ? { stepSize: ins.stepSize, ...encodeMetric(ins.metric) } : { stepSize: ins.stepSize })
  defineInstruction({ op: type, fields, encode, reference } as never)
  return (options) => {
    const given = checkOptions<{ stepSize: ScheduleLike; metric: Metric }>(options, `${type}: options`, o.moves ? ['stepSize', 'metric'] : ['stepSize'])
    return block.build({ type, stepSize: given.stepSize, ...(o.moves ? { metric: given.metric } : {}) }, type) as unknown as StepSizeBlock<T>
  }
}
