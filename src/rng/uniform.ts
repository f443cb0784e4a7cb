/**
 * Uniform draws on the open interval (0, 1).
 *
 * Each Philox block (w0, w1, w2, w3) gives two uniforms, from the word pairs (w0, w1) and (w2, w3):
 *
 *     k = (a >>> 6) · 2^26 + (b >>> 6)      an integer in [0, 2^52): the top 26 bits of each word
 *     u = (k + 0.5) · 2^-52                 every step exact in double arithmetic
 *
 * so u lies on the midpoints of a grid of 2^52 cells: the smallest value is 2^-53, the largest 1 − 2^-53, and
 * 1 − u is a possible draw whenever u is. Neither 0 nor 1 can occur, so log(u) and log(1 − u) are finite.
 * (With 53 bits, k + 0.5 would need 54 significant bits and round, and could reach exactly 1.)
 *
 * Draw i of a stream uses block floor(i / 2): the first pair for even i, the second for odd i.
 *
 * @packageDocumentation
 */

import { drawAt, drawsInto } from './draws.js'

const two26 = 67108864
const twoToMinus52 = 2 ** -52

/**
 * The uniform in (0, 1) made from two uint32 words a and b: ((a >>> 6) · 2^26 + (b >>> 6) + 0.5) · 2^-52.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { uniformFromWords } from './uniform.js'
 * assert.equal(uniformFromWords(0, 0), 2 ** -53)
 * assert.equal(uniformFromWords(0xffffffff, 0xffffffff), 1 - 2 ** -53)
 */
export const uniformFromWords = (a: number, b: number): number =>
  ((a >>> 6) * two26 + (b >>> 6) + 0.5) * twoToMinus52

const uniformPair = (words: Uint32Array, out: Float64Array): void => {
  out[0] = uniformFromWords(words[0], words[1])
  out[1] = uniformFromWords(words[2], words[3])
}

/**
 * Uniform draw `index` of stream `stream` under `seed` (all integers in [0, 2^53)): a value in (0, 1)
 * that depends on nothing else.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { uniform } from './uniform.js'
 * const u = uniform(42, 0, 7)
 * assert.equal(u, 0.5864003506172607) // the same number on every run, machine and thread count
 * assert.throws(() => uniform(-1, 0, 7), { name: 'RangeError', message: 'uniform: seed: expected an integer in [0, 2^53), got -1' })
 */
export const uniform = (seed: number, stream: number, index: number): number =>
  drawAt('uniform', seed, stream, index, uniformPair)

/**
 * Uniform draws start, …, start + count − 1 of stream `stream` under `seed`, written into `out[0..count)`
 * (a new Float64Array(count) when `out` is omitted). Entry j equals uniform(seed, stream, start + j), so
 * splitting a range into batches never changes the values.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { uniform, uniforms } from './uniform.js'
 * const us = uniforms(42, 0, 0, 4)
 * assert.ok(us.length === 4 && us.every((u) => u > 0 && u < 1))
 * assert.equal(us[3], uniform(42, 0, 3))
 */
export const uniforms = (
  seed: number,
  stream: number,
  start: number,
  count: number,
  out?: Float64Array,
): Float64Array => drawsInto('uniforms', seed, stream, start, count, out, uniformPair)
