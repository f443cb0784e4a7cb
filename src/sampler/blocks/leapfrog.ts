/**
 * One leapfrog step: p ← p − (h/2)·∇E(x); x ← x + h·M⁻¹p; p ← p − (h/2)·∇E(x). Volume-preserving and
 * reversible, the proposal of HMC.
 *
 * @module
 */
import { velocityAt } from '../metric.js'
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
 * One leapfrog step of size h (the gradient at the end is the next step's first: one evaluation a step),
 * with the velocity M⁻¹p of the mass matrix whose inverse is `metric` (default: the identity).
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
  const D = r.dimension
  r.rows((from, to) => {
    // the whole half kick first: a dense M⁻¹p reads every coordinate of p
    for (let j = from; j < to; j++) p[j] -= half * g[j]
    for (let j = 0; j < D; j++) x[from + j] += h * velocityAt(ins.metric, p, from, D, j)
  })
  r.moved()
  r.refresh()
  r.rows((from, to) => {
    for (let j = from; j < to; j++) p[j] -= half * g[j]
  })
}, { moves: true })
