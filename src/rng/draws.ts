/**
 * The draw layout shared by uniforms and normals: draw i of a stream comes from Philox block floor(i / 2)
 * of that stream, which yields a pair of values; even i takes the first, odd i the second.
 *
 * @packageDocumentation
 */

import { rangeError, seed as uint53, typeError } from '../check/index.js'
import { blockInto } from './philox.js'

/** Turns the four words of one block into two values, written into `out[0]` and `out[1]`. */
export type PairFromBlock = (words: Uint32Array, out: Float64Array) => void

// Scratch space reused across calls: JavaScript runs one call at a time, and no call here re-enters.
const words = new Uint32Array(4)
const pair = new Float64Array(2)

/**
 * Writes draws start, …, start + count − 1 of `stream` under `seed` into `out[0..count)`, after checking
 * every argument; `where` names the public function in error messages.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { drawsInto } from './draws.js'
 * import { philox4x32 } from './philox.js'
 * const out = drawsInto('uniforms', 0, 0, 0, 3, undefined, (w, p) => { p[0] = w[0]; p[1] = w[2] })
 * const [block0, block1] = [philox4x32([0, 0, 0, 0], [0, 0]), philox4x32([1, 0, 0, 0], [0, 0])]
 * assert.deepEqual(out, new Float64Array([block0[0], block0[2], block1[0]])) // words 0 and 2 of block 0, then word 0 of block 1
 * assert.throws(() => drawsInto('uniforms', -1, 0, 0, 3, undefined, () => {}), { name: 'RangeError', message: 'uniforms: seed: expected an integer in [0, 2^53), got -1' })
 */
export const drawsInto = (
  where: string,
  seed: number,
  stream: number,
  start: number,
  count: number,
  out: Float64Array | undefined,
  pairFromBlock: PairFromBlock,
): Float64Array => {
  uint53(seed, `${where}: seed`)
  uint53(stream, `${where}: stream`)
  uint53(start, `${where}: start`)
  uint53(count, `${where}: count`)
  // The last index, start + count − 1, must stay below 2^53; 2^53 − start is exact where start + count may not be.
  if (count > 2 ** 53 - start) throw rangeError(`${where}: count`, `at most 2^53 − start = ${2 ** 53 - start} (the last draw index stays below 2^53)`, count)
  if (out !== undefined && !(out instanceof Float64Array)) throw typeError(`${where}: out`, 'a Float64Array', out)
  // Checked before allocating: the engine's own error for a huge length names neither function nor argument.
  if (out === undefined && count > 2 ** 31) throw rangeError(`${where}: count`, 'at most 2^31 draws in a new array (pass out to fill one of your own)', count)
  const target = out ?? new Float64Array(count)
  if (target.length < count) throw rangeError(`${where}: out`, `at least ${count} values (count)`, target)
  let i = 0
  while (i < count) {
    const index = start + i
    blockInto(seed, stream, Math.floor(index / 2), words)
    pairFromBlock(words, pair)
    for (let half = index % 2; half < 2 && i < count; half++) {
      target[i] = pair[half]
      i++
    }
  }
  return target
}

/**
 * Draw `index` of `stream` under `seed`, after checking every argument.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { drawAt } from './draws.js'
 * import { philox4x32 } from './philox.js'
 * assert.equal(drawAt('uniform', 0, 0, 1, (w, p) => { p[0] = w[0]; p[1] = w[2] }), philox4x32([0, 0, 0, 0], [0, 0])[2]) // word 2 of block 0
 */
export const drawAt = (
  where: string,
  seed: number,
  stream: number,
  index: number,
  pairFromBlock: PairFromBlock,
): number => {
  uint53(seed, `${where}: seed`)
  uint53(stream, `${where}: stream`)
  uint53(index, `${where}: index`)
  blockInto(seed, stream, Math.floor(index / 2), words)
  pairFromBlock(words, pair)
  return pair[index % 2]
}
