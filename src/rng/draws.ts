/**
 * The draw layout shared by uniforms and normals: draw i of a stream comes from Philox block floor(i / 2)
 * of that stream, which yields a pair of values; even i takes the first, odd i the second.
 *
 * @packageDocumentation
 */

import { checkUint53 } from './check.js'
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
 * const out = drawsInto('uniforms', 0, 0, 0, 3, undefined, (w, p) => { p[0] = w[0]; p[1] = w[2] })
 * // out holds words 0 and 2 of block 0, then word 0 of block 1
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
  checkUint53(where, 'seed', seed)
  checkUint53(where, 'stream', stream)
  checkUint53(where, 'start', start)
  checkUint53(where, 'count', count)
  // The last index, start + count − 1, must stay below 2^53; 2^53 − start is exact where start + count may not be.
  if (count > 2 ** 53 - start) {
    throw new RangeError(`${where}: start ${start} + count ${count} passes 2^53 (the last draw index)`)
  }
  const target = out ?? new Float64Array(count)
  if (target.length < count) {
    throw new RangeError(`${where}: out has ${target.length} values; count ${count} needs at least ${count}`)
  }
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
 * drawAt('uniform', 0, 0, 1, (w, p) => { p[0] = w[0]; p[1] = w[2] }) // word 2 of block 0
 */
export const drawAt = (
  where: string,
  seed: number,
  stream: number,
  index: number,
  pairFromBlock: PairFromBlock,
): number => {
  checkUint53(where, 'seed', seed)
  checkUint53(where, 'stream', stream)
  checkUint53(where, 'index', index)
  blockInto(seed, stream, Math.floor(index / 2), words)
  pairFromBlock(words, pair)
  return pair[index % 2]
}
