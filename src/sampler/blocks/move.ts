/**
 * A position move x ← x + h·p.
 *
 * @module
 */
import { scheduleAt } from '../schedule.js'
import { stepSizeBlock, type StepSizeBlock, type StepSizeInstruction } from './step-size.js'

declare module '../block.js' {
  interface Blocks {
    move: StepSizeBlock<'move'>
  }
  interface Instructions {
    move: StepSizeInstruction<'move'>
  }
}

/**
 * A position move x ← x + h·p.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { move } from './move.js'
 * assert.equal(move({ stepSize: 0.1 }).type, 'move')
 */
export const move = stepSizeBlock('move', (ins, r) => {
  const h = scheduleAt(ins.stepSize, r.t)
  const { position: x, momentum: p } = r.state
  r.rows((from, to) => {
    for (let j = from; j < to; j++) x[j] += h * p[j]
  })
  r.moved()
})
