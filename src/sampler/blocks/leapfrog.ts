/**
 * One leapfrog step: p ← p − (h/2)·∇E(x); x ← x + h·p; p ← p − (h/2)·∇E(x). Volume-preserving and
 * reversible, the proposal of HMC.
 *
 * @module
 */
import { scheduleAt } from '../schedule.js'
import { stepSizeBlock, type StepSizeBlock, type StepSizeInstruction } from './step-size.js'

declare module '../block.js' {
  interface Blocks {
    leapfrog: StepSizeBlock<'leapfrog'>
  }
  interface Instructions {
    leapfrog: StepSizeInstruction<'leapfrog'>
  }
}

/**
 * One leapfrog step of size h (the gradient at the end is the next step's first: one evaluation a step).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { leapfrog } from './leapfrog.js'
 * assert.equal(leapfrog({ stepSize: 0.2 }).type, 'leapfrog')
 */
export const leapfrog = stepSizeBlock('leapfrog', (ins, r) => {
  r.refresh()
  const h = scheduleAt(ins.stepSize, r.t)
  const half = 0.5 * h
  const { position: x, momentum: p, gradient: g } = r.state
  r.rows((from, to) => {
    for (let j = from; j < to; j++) {
      p[j] -= half * g[j]
      x[j] += h * p[j]
    }
  })
  r.moved()
  r.refresh()
  r.rows((from, to) => {
    for (let j = from; j < to; j++) p[j] -= half * g[j]
  })
})
