/**
 * Reflection at the faces of a box [low, high]ᴰ: every coordinate outside the box is folded back into it,
 * as a mirror at each face would send it; a far excursion folds repeatedly (the fold is periodic with
 * period 2(high − low)). Coordinates inside the box are left exactly as they are.
 *
 * A reflected random walk is still a symmetric proposal on the box (the density of landing at x′ from x
 * is a sum over the mirror images of x′, and each term is symmetric in x and x′), so `reflect` may follow
 * the `noise` of a random-walk Metropolis proposal: started inside the box, the chain samples exp(−E/T)
 * restricted to the box exactly.
 *
 * @module
 */
import { options } from '../../check/index.js'
import { defineBlock, defineInstruction } from '../block.js'
import { box } from './box.js'

/** A reflect block. */
export interface Reflect {
  readonly type: 'reflect'
  readonly low: number
  readonly high: number
}

/** The reflect instruction: the block's box. */
export interface ReflectInstruction {
  readonly op: 'reflect'
  readonly low: number
  readonly high: number
}

declare module '../block.js' {
  interface Blocks {
    reflect: Reflect
  }
  interface Instructions {
    reflect: ReflectInstruction
  }
}

/**
 * A coordinate folded into [low, high] (native/sampler_blocks.cc computes the same operations).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { folded } from './reflect.js'
 * assert.equal(folded(1.25, 0, 1), 0.75)  // a mirror at 1
 * assert.equal(folded(-0.25, 0, 1), 0.25) // a mirror at 0
 * assert.equal(folded(2.25, 0, 1), 0.25)  // at 1, then at 0: period 2
 * assert.equal(folded(0.3, 0, 1), 0.3)    // inside: unchanged
 */
export const folded = (v: number, low: number, high: number): number => {
  if (!(v < low || v > high)) return v
  const width = high - low
  const period = 2 * width
  const y = v - low
  const m = y - period * Math.floor(y / period) // in [0, period] (period itself by rounding)
  const f = m <= width ? low + m : high - (m - width)
  return f < low ? low : f > high ? high : f
}

const block = defineBlock<Reflect>({
  type: 'reflect',
  check: (k, where) => Object.freeze({ type: 'reflect' as const, ...box(k, where) }),
  flatten: (k, f) => {
    f.push({ op: 'reflect', low: k.low, high: k.high })
  },
  keepsSymmetry: true,
})

defineInstruction({
  op: 'reflect',
  fields: { low: 'number', high: 'number' },
  encode: (ins: ReflectInstruction) => ({ low: ins.low, high: ins.high }),
  reference: ({ low, high }: ReflectInstruction, r) => {
    const x = r.state.position
    r.rows((from, to) => {
      for (let j = from; j < to; j++) x[j] = folded(x[j], low, high)
    })
    r.moved()
  },
})

/**
 * Reflects every chain at the faces of the box [low, high]ᴰ (for data in [0, 1]ᴰ, say): after a random
 * walk it keeps chains in the box without piling them up on its faces, as clamping does.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { reflect } from './reflect.js'
 * import { noise, metropolis, sequence, correctionOf } from '../kernel.js'
 * assert.deepEqual(reflect({ low: 0, high: 1 }), { type: 'reflect', low: 0, high: 1 })
 * const walk = sequence(noise({ scale: 0.3 }), reflect({ low: 0, high: 1 }))
 * assert.equal(correctionOf(walk), 'symmetric') // so pipe(walk, metropolis()) is exact on the box
 * assert.equal(pipe(walk, metropolis({ temperature: 2 })).correction, 'symmetric')
 */
export const reflect = (o: { readonly low: number; readonly high: number }): Reflect => {
  const { low, high } = options<{ low: number; high: number }>(o, 'reflect: options', ['low', 'high'])
  return block.build({ type: 'reflect', low, high }, 'reflect')
}
