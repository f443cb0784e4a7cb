/**
 * Box clamping x ← min(max(x, low), high) in every coordinate (images in [0, 1] or [−1, 1]).
 *
 * @module
 */
import { options } from '../../check/index.js'
import { defineBlock, defineInstruction } from '../block.js'
import { box } from './box.js'

/** A clamp block. */
export interface Clamp {
  readonly type: 'clamp'
  readonly low: number
  readonly high: number
}

/** The clamp instruction: the block's box. */
export interface ClampInstruction {
  readonly op: 'clamp'
  readonly low: number
  readonly high: number
}

declare module '../block.js' {
  interface Blocks {
    clamp: Clamp
  }
  interface Instructions {
    clamp: ClampInstruction
  }
}

const block = defineBlock<Clamp>({
  type: 'clamp',
  check: (k, where) => Object.freeze({ type: 'clamp' as const, ...box(k, where) }),
  flatten: (k, f) => {
    f.push({ op: 'clamp', low: k.low, high: k.high })
  },
})

defineInstruction({
  op: 'clamp',
  fields: { low: 'number', high: 'number' },
  encode: (ins: ClampInstruction) => ({ low: ins.low, high: ins.high }),
  reference: ({ low, high }: ClampInstruction, r) => {
    const x = r.state.position
    r.rows((from, to) => {
      for (let j = from; j < to; j++) x[j] = x[j] < low ? low : x[j] > high ? high : x[j]
    })
    r.moved()
  },
})

/**
 * Box clamping x ← min(max(x, low), high) in every coordinate.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { clamp } from './clamp.js'
 * assert.deepEqual(clamp({ low: -1, high: 1 }), { type: 'clamp', low: -1, high: 1 })
 */
export const clamp = (o: { readonly low: number; readonly high: number }): Clamp => {
  const { low, high } = options<{ low: number; high: number }>(o, 'clamp: options', ['low', 'high'])
  return block.build({ type: 'clamp', low, high }, 'clamp')
}
