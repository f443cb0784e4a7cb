/**
 * Planted bugs of discrete kernels for the kit's specs: user-defined blocks (registered here, never in
 * src/) that flatten into the package's own flip instructions, so they run on either runner.
 *
 * - `gibbsSkippingASite`: block Gibbs on a bipartite model that never draws the hidden layer (one site on
 *   a model with one hidden unit): each update it does is a heat-bath update, so it keeps π, but it is not
 *   the Gibbs sampler it claims to be (and not irreducible).
 * - `userHeatBath`: a user's own random-order heat bath, at `scale` times the temperature it names: scale
 *   1 is correct, any other scale samples the wrong law.
 */
import * as sampler from '../../src/sampler/index.js'
import { pushBlocks, pushSweep } from '../../src/sampler/blocks/flips.js'
import { constant } from '../../src/sampler/schedule.js'

interface Planted {
  readonly type: string
  readonly temperature: number
  readonly scale: number
}

const define = (type: string, flatten: (k: Planted, f: sampler.Flattener) => void): ((o: { readonly temperature: number; readonly scale?: number }) => sampler.Kernel) => {
  sampler.defineBlock<Planted>({
    type,
    check: (k) => Object.freeze({ type, temperature: Number(k.temperature), scale: Number(k.scale) }),
    flatten,
    domains: ['binary', 'spins'],
  })
  return (o) => sampler.checkKernel({ type, scale: 1, ...o }, type)
}

/** Block Gibbs that draws v | h and skips h | v. */
export const gibbsSkippingASite = define('planted: gibbs skipping a site', (k, f) => {
  // class 0 of a bipartite model is its visible layer
  pushBlocks(f, { type: k.type, rule: 'heatBath', blocks: [0], temperature: constant(k.temperature) })
})

/** A user's random-order heat bath at scale·T. */
export const userHeatBath = define('planted: user heat bath', (k, f) => {
  pushSweep(f, { type: k.type, rule: 'heatBath', order: 'random', temperature: constant(k.temperature * k.scale), via: 'fields' })
})
