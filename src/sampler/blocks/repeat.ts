/**
 * A block run `times` times within one step, each repetition with its own range of draws.
 *
 * @module
 */
import { positiveInteger } from '../../check/index.js'
import { checkKernel, defineBlock, type Kernel } from '../block.js'

/** A repeated block. */
export interface Repeat {
  readonly type: 'repeat'
  readonly times: number
  readonly block: Kernel
}

declare module '../block.js' {
  interface Blocks {
    repeat: Repeat
  }
}

const definition = defineBlock<Repeat>({
  type: 'repeat',
  check: (k, where, { inProposal }) =>
    Object.freeze({
      type: 'repeat' as const,
      times: positiveInteger(k.times, where.field('times')),
      block: checkKernel(k.block, where.field('block'), { inProposal }),
    }),
  flatten: (k, f) => {
    for (let i = 0; i < k.times; i++) f.walk(k.block)
  },
  leaves: (k) => Array.from({ length: k.times }, () => k.block),
  domains: 'any',
})

/**
 * Runs a block `times` times within one step (data-last, for `pipe`).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { leapfrog, repeat } from '../kernel.js'
 * const trajectory = pipe(leapfrog({ stepSize: 0.1 }), repeat(10))
 * assert.equal(trajectory.times, 10)
 */
export const repeat =
  (times: number) =>
  (block: Kernel): Repeat =>
    definition.build({ type: 'repeat', times, block }, 'repeat')
