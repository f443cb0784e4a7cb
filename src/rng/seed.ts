/**
 * Seeds drawn from seeds: one run's seed split into independent seeds for its parts (a training step's
 * sampler, a rung of replica exchange), each the first Philox block of its own stream.
 */
import { seed as uint53 } from '../check/index.js'
import { counterFor, keyFromSeed, philox4x32 } from './philox.js'

/**
 * A seed in [0, 2^53) drawn from stream `stream` under `seed`: 53 bits of the stream's first block.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { streamSeed } from './seed.js'
 * const s = streamSeed(7, 3)
 * assert.ok(Number.isSafeInteger(s) && s >= 0)
 * assert.notEqual(s, streamSeed(7, 4))
 * assert.throws(() => streamSeed(7, -1), { message: 'streamSeed: stream: expected an integer in [0, 2^53), got -1' })
 */
export const streamSeed = (seed: number, stream: number): number => {
  uint53(seed, 'streamSeed: seed')
  uint53(stream, 'streamSeed: stream')
  const w = philox4x32(counterFor(0, stream), keyFromSeed(seed))
  return (w[0] >>> 11) * 2 ** 32 + w[1]
}
