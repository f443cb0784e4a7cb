/**
 * A chain costs its state plus the step's working set, and the working set is per block of chains: the
 * peak resident set of a fresh process sampling ULA in dimension 2 grows, from 10⁶ to 2·10⁶ chains, by
 * about the chains' state (57 bytes a chain: position, momentum, gradient, energy, flag), not by the tape's
 * buffers for every chain (about 450 bytes a chain without blocks). The slope between two sizes leaves out
 * what does not grow with the chains (the addon, the tapes, one block's working set). Memory only, never time.
 */
import t from 'tap'
import { measure } from '../../bench/memory.js'
import { samplerAddon } from '../../src/sampler/native.js'

// The state (57), the gradient norms of the snapshots in flight (2 × 8), and the heap's slack around them.
const budget = 100

// The reference runner blocks its chains the same way (bench/memory.ts measures it); it is left out here for
// its time (45 s for these chains).
if (samplerAddon().addon === undefined) t.pass('skipped: the native addon is not built')
else {
  t.test(`native: each chain of ULA in dimension 2 beyond 10⁶ costs under ${budget} bytes`, async (t) => {
    const [small, large] = [measure(1e6, 'native'), measure(2e6, 'native')]
    const perChain = (large.peak - large.baseline - (small.peak - small.baseline)) / 1e6
    t.ok(perChain < budget, `${perChain.toFixed(1)} bytes a chain (peaks ${(small.peak / 1e6).toFixed(0)} and ${(large.peak / 1e6).toFixed(0)} MB)`)
  })
}
