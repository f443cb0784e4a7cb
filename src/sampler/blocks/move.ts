/**
 * A position move x ← x + h·M⁻¹p.
 *
 * @module
 */
import { velocityAt } from '../metric.js'
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
 * A position move x ← x + h·M⁻¹p (M the mass matrix: `metric` is M⁻¹, default the identity).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { move } from './move.js'
 * assert.equal(move({ stepSize: 0.1 }).type, 'move')
 */
export const move = stepSizeBlock('move', (ins, r) => {
  const h = scheduleAt(ins.stepSize, r.t)
  const { position: x, momentum: p } = r.state
  const D = r.dimension
  r.rows((from) => {
    for (let j = 0; j < D; j++) x[from + j] += h * velocityAt(ins.metric, p, from, D, j)
  })
  r.moved()
}, { moves: true })
