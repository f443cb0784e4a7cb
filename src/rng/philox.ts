/**
 * Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror and Shaw, "Parallel random numbers:
 * as easy as 1, 2, 3" (SC 2011), as published in Random123.
 *
 * The generator is a keyed bijection of 128-bit counters: block = philox4x32(counter, key). Nothing is
 * carried from one call to the next, so any draw can be computed on its own, in any order, on any thread.
 *
 * Algorithm (every value a uint32, all arithmetic mod 2^32; the C++ mirror uses uint32_t/uint64_t):
 *
 *     (x0, x1, x2, x3) = counter; (k0, k1) = key
 *     repeat 10 times:
 *       p = 0xD2511F53 · x0   (exact 64-bit product; hi0 = p >> 32, lo0 = p mod 2^32)
 *       q = 0xCD9E8D57 · x2   (hi1 = q >> 32, lo1 = q mod 2^32)
 *       (x0, x1, x2, x3) = (hi1 ^ x1 ^ k0, lo1, hi0 ^ x3 ^ k1, lo0)
 *       k0 = k0 + 0x9E3779B9; k1 = k1 + 0xBB67AE85   (the key bump; after the last round it is unused)
 *     return (x0, x1, x2, x3)
 *
 * @packageDocumentation
 */

import { array, integer, seed as uint53, typeError } from '../check/index.js'

/** Four uint32 words: the 128-bit counter of one Philox block. */
export type Counter = readonly [number, number, number, number]

/** Two uint32 words: the 64-bit Philox key. */
export type Key = readonly [number, number]

const multiplier0 = 0xd2511f53
const multiplier1 = 0xcd9e8d57
const weyl0 = 0x9e3779b9
const weyl1 = 0xbb67ae85
const rounds = 10
const two16 = 65536
const two32 = 4294967296

/**
 * The high 32 bits of the exact 64-bit product of two uint32 values.
 *
 * A double holds integers exactly only up to 2^53, so the product is split into 16-bit halves whose partial
 * products all stay below 2^34. In C++ this is simply `(uint32_t)(((uint64_t)a * b) >> 32)`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { mulhi32 } from './philox.js'
 * assert.equal(mulhi32(0xffffffff, 0xffffffff), 0xfffffffe)
 */
export const mulhi32 = (a: number, b: number): number => {
  const aHigh = a >>> 16
  const aLow = a & 0xffff
  const bHigh = b >>> 16
  const bLow = b & 0xffff
  const cross = aHigh * bLow + aLow * bHigh
  const low = aLow * bLow
  // The carry out of the low word: the low 16 bits of `cross`, shifted up, plus the low product.
  const carry = Math.floor(((cross % two16) * two16 + low) / two32)
  return (aHigh * bHigh + Math.floor(cross / two16) + carry) >>> 0
}

/**
 * Philox4x32-10 on a counter and key given as words, writing the four output words into `out[0..3]`.
 * The allocation-free core that the other entry points call.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { philox4x32Words } from './philox.js'
 * const out = new Uint32Array(4)
 * philox4x32Words(0, 0, 0, 0, 0, 0, out)
 * assert.deepEqual(out, Uint32Array.of(0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8)) // Random123's known answer
 */
export const philox4x32Words = (
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array,
): Uint32Array => {
  let x0 = c0 >>> 0
  let x1 = c1 >>> 0
  let x2 = c2 >>> 0
  let x3 = c3 >>> 0
  let key0 = k0 >>> 0
  let key1 = k1 >>> 0
  for (let round = 0; round < rounds; round++) {
    const hi0 = mulhi32(multiplier0, x0)
    const lo0 = Math.imul(multiplier0, x0) >>> 0
    const hi1 = mulhi32(multiplier1, x2)
    const lo1 = Math.imul(multiplier1, x2) >>> 0
    x0 = (hi1 ^ x1 ^ key0) >>> 0
    x1 = lo1
    x2 = (hi0 ^ x3 ^ key1) >>> 0
    x3 = lo0
    key0 = (key0 + weyl0) >>> 0
    key1 = (key1 + weyl1) >>> 0
  }
  out[0] = x0
  out[1] = x1
  out[2] = x2
  out[3] = x3
  return out
}

/**
 * Philox4x32-10 of `counter` under `key`, written into the caller's `out` (no allocation).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { philox4x32Into } from './philox.js'
 * const out = new Uint32Array(4)
 * assert.equal(philox4x32Into([0, 0, 0, 0], [0, 0], out), out)
 * assert.deepEqual(out, Uint32Array.of(0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8))
 */
export const philox4x32Into = (counter: Counter, key: Key, out: Uint32Array): Uint32Array => {
  words(counter, 'philox4x32: counter', 4)
  words(key, 'philox4x32: key', 2)
  if (!(out instanceof Uint32Array)) throw typeError('philox4x32Into: out', 'a Uint32Array of at least 4 words', out)
  if (out.length < 4) throw new RangeError(`philox4x32Into: out: expected at least 4 words, got ${out.length}`)
  return philox4x32Words(counter[0], counter[1], counter[2], counter[3], key[0], key[1], out)
}

// A counter or key: `n` integers in [0, 2^32) (philox4x32Words, the inner loop's entry, trusts its words).
const words = (v: readonly number[], where: string, n: number): void => {
  array(v, where, { length: n, lengthReason: `${n === 4 ? 'counters (128 bits)' : 'keys (64 bits)'}` })
  for (let i = 0; i < n; i++) integer(v[i], `${where}[${i}]`, { max: two32 - 1 })
}

/**
 * Philox4x32-10 of `counter` under `key`: four fresh uint32 words.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { philox4x32 } from './philox.js'
 * assert.deepEqual(philox4x32([0, 0, 0, 0], [0, 0]), Uint32Array.of(0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8))
 * assert.throws(() => philox4x32([0, 0, 0, 2 ** 32], [0, 0]), { name: 'RangeError', message: 'philox4x32: counter[3]: expected an integer in [0, 4294967295], got 4294967296' })
 */
export const philox4x32 = (counter: Counter, key: Key): Uint32Array =>
  philox4x32Into(counter, key, new Uint32Array(4))

/**
 * The Philox key of a seed: [seed mod 2^32, floor(seed / 2^32)], for an integer seed in [0, 2^53).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { keyFromSeed } from './philox.js'
 * assert.deepEqual(keyFromSeed(2 ** 32 + 7), [7, 1])
 */
export const keyFromSeed = (seed: number): Key => {
  uint53(seed, 'keyFromSeed: seed')
  return [seed % two32, Math.floor(seed / two32)]
}

/**
 * The counter of block `block` of stream `stream`:
 * [block mod 2^32, floor(block / 2^32), stream mod 2^32, floor(stream / 2^32)], both integers in [0, 2^53).
 *
 * Blocks count along a stream (a chain, a data point, a random quantity), so a stream's draws never meet
 * another stream's whatever their number.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { counterFor } from './philox.js'
 * assert.deepEqual(counterFor(5, 2), [5, 0, 2, 0])
 */
export const counterFor = (block: number, stream: number): Counter => {
  uint53(block, 'counterFor: block')
  uint53(stream, 'counterFor: stream')
  return [block % two32, Math.floor(block / two32), stream % two32, Math.floor(stream / two32)]
}

/**
 * Block `block` of stream `stream` under the key of `seed`, written into `out`; arguments are trusted
 * (callers check them once, at their boundary).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { blockInto, philox4x32 } from './philox.js'
 * assert.deepEqual(blockInto(0, 0, 0, new Uint32Array(4)), philox4x32([0, 0, 0, 0], [0, 0]))
 */
export const blockInto = (seed: number, stream: number, block: number, out: Uint32Array): Uint32Array =>
  philox4x32Words(
    block % two32,
    Math.floor(block / two32),
    stream % two32,
    Math.floor(stream / two32),
    seed % two32,
    Math.floor(seed / two32),
    out,
  )
