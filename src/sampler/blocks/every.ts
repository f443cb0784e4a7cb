/**
 * A block run only on every `period`-th step (steps period − 1, 2·period − 1, …): flattened behind a skip
 * instruction that jumps over it on the other steps. Its draws are reserved on every step, so the draws
 * of other blocks never shift.
 *
 * @module
 */
import { positiveInteger } from '../../check/index.js'
import { checkKernel, defineBlock, defineInstruction, type Kernel } from '../block.js'

/** A block run every `period` steps. */
export interface Every {
  readonly type: 'every'
  readonly period: number
  readonly block: Kernel
}

/** Skips the `length` instructions after it except on steps t with (t + 1) divisible by `period`. */
export interface SkipInstruction {
  readonly op: 'skip'
  readonly period: number
  readonly length: number
}

declare module '../block.js' {
  interface Blocks {
    every: Every
  }
  interface Instructions {
    skip: SkipInstruction
  }
}

const definition = defineBlock<Every>({
  type: 'every',
  check: (k, where, { inProposal }) => {
    if (inProposal) throw new RangeError(`${where.at}: expected no 'every' inside a Metropolis proposal, got one`)
    return Object.freeze({
      type: 'every' as const,
      period: positiveInteger(k.period, where.field('period')),
      block: checkKernel(k.block, where.field('block'), { inProposal }),
    })
  },
  flatten: (k, f) => {
    const at = f.push({ op: 'skip', period: k.period, length: 0 })
    f.walk(k.block)
    f.set(at, { op: 'skip', period: k.period, length: f.length - at - 1 })
  },
  domains: 'any',
})

defineInstruction({
  op: 'skip',
  fields: { period: 'number', length: 'number' },
  encode: (ins: SkipInstruction) => ({ period: ins.period, length: ins.length }),
  reference: (ins: SkipInstruction, r) => ((r.t + 1) % ins.period === 0 ? 0 : ins.length),
})

/**
 * Runs a block only on every `period`-th step; on other steps it does nothing (data-last, for `pipe`).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { every, drift } from '../kernel.js'
 * const occasional = every(10)(drift({ stepSize: 0.1 }))
 * assert.equal(occasional.period, 10)
 * assert.throws(() => every(1.5)(drift({ stepSize: 0.1 })), { message: 'every: period: expected an integer ≥ 1, got 1.5' })
 */
export const every =
  (period: number) =>
  (block: Kernel): Every =>
    definition.build({ type: 'every', period, block }, 'every')
