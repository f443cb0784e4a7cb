/**
 * Standard normal draws by the Box–Muller transform.
 *
 * Each Philox block gives two uniforms u1 (from words w0, w1) and u2 (from w2, w3) as in uniform.ts, and
 * two independent normals:
 *
 *     r = sqrt(−2 · log(u1)),  z0 = r · cos(2π·u2),  z1 = r · sin(2π·u2)
 *
 * with `log` and `sincos2pi` from math.ts (not Math.log/Math.cos, so that C++ gives the same bits) and an
 * IEEE square root. Draw i of a stream uses block floor(i / 2): z0 for even i, z1 for odd i. Since
 * u1 ≥ 2^-53, |z| ≤ sqrt(106 · ln 2) ≈ 8.57.
 *
 * @packageDocumentation
 */

import { drawAt, drawsInto } from './draws.js'
import { log, sincos2pi } from './math.js'
import { uniformFromWords } from './uniform.js'

/**
 * The Box–Muller pair of two uniforms in (0, 1), written into `out` as [z0, z1] =
 * [r·cos(2π·u2), r·sin(2π·u2)] with r = sqrt(−2·log(u1)).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { boxMuller } from './normal.js'
 * assert.deepEqual(boxMuller(Math.exp(-0.5), 0.25), new Float64Array([-0, 1])) // r = 1 (to rounding), angle π/2
 */
export const boxMuller = (u1: number, u2: number, out: Float64Array = new Float64Array(2)): Float64Array => {
  const radius = Math.sqrt(-2 * log(u1))
  sincos2pi(u2, out)
  const sine = out[0]
  out[0] = radius * out[1]
  out[1] = radius * sine
  return out
}

const normalPair = (words: Uint32Array, out: Float64Array): void => {
  boxMuller(uniformFromWords(words[0], words[1]), uniformFromWords(words[2], words[3]), out)
}

/**
 * Standard normal draw `index` of stream `stream` under `seed` (all integers in [0, 2^53)).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { normal } from './normal.js'
 * const z = normal(42, 3, 0)
 * assert.equal(z, -0.4273269739554191) // the same number on every run, machine and thread count
 */
export const normal = (seed: number, stream: number, index: number): number =>
  drawAt('normal', seed, stream, index, normalPair)

/**
 * Standard normal draws start, …, start + count − 1 of stream `stream` under `seed`, written into
 * `out[0..count)` (a new Float64Array(count) when `out` is omitted). Entry j equals
 * normal(seed, stream, start + j), so splitting a range into batches never changes the values.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { normal, normals } from './normal.js'
 * const zs = normals(42, 3, 0, 1000) // 1000 draws from N(0, 1)
 * assert.equal(zs[999], normal(42, 3, 999))
 */
export const normals = (
  seed: number,
  stream: number,
  start: number,
  count: number,
  out?: Float64Array,
): Float64Array => drawsInto('normals', seed, stream, start, count, out, normalPair)
