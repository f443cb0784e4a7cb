/**
 * The blocks whose only field is a step size (kick, move, leapfrog): one definition of their
 * description, check, flatten and encoding; each block's file gives its name and reference step.
 *
 * @module
 */
import { object } from '../../check/index.js'
import { defineBlock, defineInstruction, type Instruction, type Kernel } from '../block.js'
import type { ReferenceStep } from '../reference.js'
import { positiveSchedule, type Schedule, type ScheduleLike } from '../schedule.js'

/** A block of one step size h, of type T. */
export interface StepSizeBlock<T extends string> {
  readonly type: T
  readonly stepSize: Schedule
}

/** Its instruction. */
export interface StepSizeInstruction<T extends string> {
  readonly op: T
  readonly stepSize: Schedule
}

/**
 * Registers a step-size block and its instruction, and returns the block's constructor.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { move } from './move.js'
 * assert.deepEqual(move({ stepSize: 0.1 }), { type: 'move', stepSize: { kind: 'constant', value: 0.1 } })
 */
export const stepSizeBlock = <T extends Kernel['type'] & Instruction['op']>(
  type: T,
  reference: (ins: StepSizeInstruction<T>, run: ReferenceStep) => void,
): ((o: { readonly stepSize: ScheduleLike }) => StepSizeBlock<T>) => {
  // The registry's unions hold this block once its file has declared it; the casts say so.
  const block = defineBlock<Kernel>({
    type,
    check: (k, where) => Object.freeze({ type, stepSize: positiveSchedule(k.stepSize, where.field('stepSize')) }) as never,
    flatten: (k, f) => {
      f.push({ op: type, stepSize: (k as unknown as StepSizeBlock<T>).stepSize } as never)
    },
  })
  defineInstruction({ op: type, fields: { stepSize: 'schedule' }, encode: (ins: StepSizeInstruction<T>) => ({ stepSize: ins.stepSize }), reference } as never)
  return (o) => block.build({ type, stepSize: object(o, `${type}: options`).stepSize }, type) as unknown as StepSizeBlock<T>
}
