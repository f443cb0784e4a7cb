/**
 * The native fused RBM epoch (native/rbm.cc) behind a typed call: `rbm.fit`'s native path reaches the
 * addon only through here.
 *
 * @module
 */
import { nativeAddon } from './addon.js'

/** The buffers of one native RBM fit; W, a, b, chains and stats are written in place. */
export interface RbmFitBuffers {
  /** [N, V, H, batch, chains, k, persistent (1) or CD (0), learning rate, seed, epochs]. */
  readonly config: Float64Array
  readonly data: Float64Array
  readonly W: Float64Array
  readonly a: Float64Array
  readonly b: Float64Array
  readonly chains: Float64Array
  readonly stats: Float64Array
  /** Set [0] to 1 to stop the fit before its next minibatch (the promise then rejects with an AbortError). */
  readonly cancel: Int32Array
}

/**
 * Runs whole epochs of Bernoulli RBM training natively on the addon's worker thread, calling `onEpoch`
 * on the main thread after each epoch; undefined when the addon is not built (the caller then runs the
 * reference epochs). The buffers must not be touched until the promise settles.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { nativeAddon } from './addon.js'
 * import { rbmFitNative } from './rbm.js'
 * const W = new Float64Array(2), stats = new Float64Array(1)
 * const run = rbmFitNative({ config: Float64Array.of(2, 2, 1, 2, 2, 1, 1, 0.1, 1, 1), data: Float64Array.of(1, 0, 0, 1), W, a: new Float64Array(2), b: new Float64Array(1), chains: new Float64Array(2), stats, cancel: new Int32Array(1) })
 * assert.equal(run !== undefined, nativeAddon().addon !== undefined)
 * await run
 */
export const rbmFitNative = (x: RbmFitBuffers, onEpoch?: (epoch: number, gap: number) => void): Promise<void> | undefined => {
  const { addon } = nativeAddon()
  if (addon === undefined) return undefined
  return addon.rbmFit(x.config, x.data, x.W, x.a, x.b, x.chains, x.stats, x.cancel, onEpoch)
}
