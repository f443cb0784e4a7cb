/**
 * Momentum refresh with friction γ over a step h at temperature T: p ← a·p + √(T(1 − a²))·ξ with
 * a = exp(−γ·h), the exact Ornstein–Uhlenbeck step, which leaves N(0, T·I) invariant. Without a friction
 * it is a full refresh p ~ N(0, T·I), as in HMC.
 *
 * @module
 */
import { object, positive, rangeError } from '../../check/index.js'
import { defineBlock, defineInstruction } from '../block.js'
import { nonNegativeSchedule, positiveSchedule, scheduleAt, type Schedule, type ScheduleLike } from '../schedule.js'

/** A momentum block: friction γ (null: a full refresh), step size h and temperature T. */
export interface Momentum {
  readonly type: 'momentum'
  readonly friction: number | null
  readonly stepSize: Schedule
  readonly temperature: Schedule
}

/** The momentum instruction: the block's fields and the offset of its D normals. */
export interface MomentumInstruction {
  readonly op: 'momentum'
  readonly friction: number | null
  readonly stepSize: Schedule
  readonly temperature: Schedule
  readonly draw: number
}

declare module '../block.js' {
  interface Blocks {
    momentum: Momentum
  }
  interface Instructions {
    momentum: MomentumInstruction
  }
}

const block = defineBlock<Momentum>({
  type: 'momentum',
  check: (k, where) =>
    Object.freeze({
      type: 'momentum' as const,
      friction: k.friction === undefined || k.friction === null ? null : positive(k.friction, where.field('friction')),
      stepSize: positiveSchedule(k.stepSize, where.field('stepSize')),
      temperature: nonNegativeSchedule(k.temperature, where.field('temperature')),
    }),
  flatten: (k, f) => {
    f.push({ op: 'momentum', friction: k.friction, stepSize: k.stepSize, temperature: k.temperature, draw: f.draws(f.dimension) })
  },
})

defineInstruction({
  op: 'momentum',
  fields: { draw: 'number', friction: 'number', stepSize: 'schedule', temperature: 'schedule' },
  // friction 0: a full refresh (a friction is > 0)
  encode: (ins: MomentumInstruction) => ({ draw: ins.draw, friction: ins.friction ?? 0, stepSize: ins.stepSize, temperature: ins.temperature }),
  reference: (ins: MomentumInstruction, r) => {
    const a = ins.friction === null ? 0 : Math.exp(-ins.friction * scheduleAt(ins.stepSize, r.t))
    const b = Math.sqrt(scheduleAt(ins.temperature, r.t) * (1 - a * a))
    const p = r.state.momentum
    r.rows((from, to, c) => {
      const z = r.normals(c, ins.draw)
      for (let j = 0; j < to - from; j++) p[from + j] = a * p[from + j] + b * z[j]
    })
  },
})

/**
 * Momentum refresh: partial with a friction (p ← a·p + √(T(1 − a²))·ξ, a = exp(−friction·stepSize)), full
 * without (p ~ N(0, T·I)).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { momentum } from './momentum.js'
 * assert.equal(momentum({ temperature: 1 }).friction, null)
 * assert.equal(momentum({ friction: 0.5, stepSize: 0.1 }).friction, 0.5)
 * assert.throws(() => momentum({ friction: 0.5 }), { message: 'momentum: stepSize: expected a step size with a friction (a = exp(−friction·stepSize)), got undefined' })
 */
export const momentum = (o: { readonly friction?: number; readonly stepSize?: ScheduleLike; readonly temperature?: ScheduleLike } = {}): Momentum => {
  const { friction, stepSize, temperature } = object(o, 'momentum: options')
  if (friction !== undefined && stepSize === undefined) throw rangeError('momentum: stepSize', 'a step size with a friction (a = exp(−friction·stepSize))', stepSize)
  return block.build({ type: 'momentum', friction, stepSize: stepSize ?? 1, temperature: temperature ?? 1 }, 'momentum')
}
