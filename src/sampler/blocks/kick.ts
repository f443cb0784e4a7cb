/**
 * A momentum kick p ← p − h·∇E(x).
 *
 * @module
 */
import { scheduleAt } from '../schedule.js'
import { stepSizeBlock, type StepSizeBlock, type StepSizeInstruction } from './step-size.js'

declare module '../block.js' {
  interface Blocks {
    kick: StepSizeBlock<'kick'>
  }
  interface Instructions {
    kick: StepSizeInstruction<'kick'>
  }
}

/**
 * A momentum kick p ← p − h·∇E(x).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { kick } from './kick.js'
 * assert.equal(kick({ stepSize: 0.1 }).type, 'kick')
 */
export const kick = stepSizeBlock('kick', (ins, r) => {
  r.refresh()
  const h = scheduleAt(ins.stepSize, r.t)
  const { momentum: p, gradient: g } = r.state
  r.rows((from, to) => {
    for (let j = from; j < to; j++) p[j] -= h * g[j]
  })
})
