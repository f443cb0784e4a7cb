/**
 * The randomness of training, keyed by (seed, step). Every random quantity of step k (the sampler's
 * draws, fresh chains, buffer picks, an objective's projections or noise) comes from its own Philox stream
 * `k · 16 + purpose` under the run's seed, and the minibatch order of epoch e from stream `e · 16`. So a
 * step's draws depend on nothing but the seed and the step: not on the thread count, the backend, or how
 * many steps ran before in this process.
 *
 * Draws come from src/backend's `draws` (the addon's Philox when it is built, the same bits as src/rng).
 *
 * @module
 */
import { draws as streamDraws } from '../backend/index.js'
import * as rng from '../rng/index.js'

/**
 * What each stream of a step is for; an objective's random inputs take `objective + i`. An online
 * learner's: its minibatch picks (per update), its reservoir's choices (stream `reservoir`, one draw per
 * record) and the buffer rows a drift refreshes (per drift).
 */
export const purposes = { order: 0, sampler: 1, init: 2, pick: 3, reinit: 4, buffer: 5, objective: 6, minibatch: 12, reservoir: 13, refresh: 14 } as const

/** Streams per step: purposes 0 … 15. */
const perStep = 16

/** The key of one step's randomness. */
export interface Key {
  readonly seed: number
  readonly step: number
}

/**
 * The Philox stream of `purpose` at step (or epoch) `index`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { purposes, streamOf } from './random.js'
 * assert.equal(streamOf(2, purposes.pick), 35)
 */
export const streamOf = (index: number, purpose: number): number => index * perStep + purpose

/**
 * A seed in [0, 2^53) drawn from (key, purpose): the sampler's seed for one step, so that its chains'
 * streams differ from step to step.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { derivedSeed, purposes } from './random.js'
 * const s = derivedSeed({ seed: 7, step: 3 }, purposes.sampler)
 * assert.ok(Number.isSafeInteger(s) && s >= 0)
 * assert.equal(s, derivedSeed({ seed: 7, step: 3 }, purposes.sampler))
 * assert.notEqual(s, derivedSeed({ seed: 7, step: 4 }, purposes.sampler))
 */
export const derivedSeed = (key: Key, purpose: number): number => rng.streamSeed(key.seed, streamOf(key.step, purpose))

/** Draws 0 … count − 1 of a stream (natively when the addon is built). */
const draws = (kind: 'uniform' | 'normal', seed: number, stream: number, count: number): Float64Array => streamDraws(kind, seed, stream, 0, count)

/**
 * `count` standard normals of (key, purpose).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { normalsOf, purposes } from './random.js'
 * assert.equal(normalsOf({ seed: 1, step: 0 }, purposes.init, 4).length, 4)
 */
export const normalsOf = (key: Key, purpose: number, count: number): Float64Array => draws('normal', key.seed, streamOf(key.step, purpose), count)

/**
 * `count` uniforms in (0, 1) of (key, purpose).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { uniformsOf, purposes } from './random.js'
 * assert.ok(uniformsOf({ seed: 1, step: 0 }, purposes.pick, 3).every((u) => u > 0 && u < 1))
 */
export const uniformsOf = (key: Key, purpose: number, count: number): Float64Array => draws('uniform', key.seed, streamOf(key.step, purpose), count)

/**
 * A uniformly random order of 0, …, n − 1 for epoch `epoch` (Fisher–Yates on the epoch's stream).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { permutation } from './random.js'
 * const order = permutation(1, 0, 5)
 * assert.deepEqual([...order].sort(), [0, 1, 2, 3, 4])
 */
export const permutation = (seed: number, epoch: number, n: number): Uint32Array => rng.permutation(n, draws('uniform', seed, streamOf(epoch, purposes.order), n))
