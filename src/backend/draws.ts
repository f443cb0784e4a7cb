/**
 * Many draws of one Philox stream at once: the addon's generator when it is built (the same bits as
 * src/rng, which spec/backend/philox.spec.ts checks, and about 30 times faster for thousands of draws),
 * else src/rng's.
 *
 * @module
 */
import * as rng from '../rng/index.js'
import { nativeAddon } from './addon.js'

/**
 * Draws start … start + count − 1 of stream `stream` under `seed`: standard normals or uniforms in (0, 1).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as rng from '../rng/index.js'
 * import { draws } from './draws.js'
 * assert.deepEqual(draws('normal', 7, 3, 10, 4), rng.normals(7, 3, 10, 4))
 * assert.deepEqual(draws('uniform', 7, 3, 0, 5), rng.uniforms(7, 3, 0, 5))
 */
export const draws = (kind: 'normal' | 'uniform', seed: number, stream: number, start: number, count: number): Float64Array => {
  const addon = nativeAddon().addon
  if (addon === undefined) return kind === 'normal' ? rng.normals(seed, stream, start, count) : rng.uniforms(seed, stream, start, count)
  const out = new Float64Array(count)
  addon.draws(kind, seed, stream, start, out)
  return out
}
