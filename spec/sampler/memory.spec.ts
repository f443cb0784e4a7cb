/**
 * A chain costs its state plus the step's working set, and the working set is per block of chains: the
 * peak resident set of a fresh process sampling 2·10⁶ chains of ULA in dimension 2 grows by about the
 * chains' state (57 bytes a chain: position, momentum, gradient, energy, flag), not by the tape's buffers
 * for every chain (about 450 bytes a chain without blocks). Memory only, never time.
 */
import t from 'tap'
import { measure } from '../../bench/memory.js'
import { samplerAddon } from '../../src/sampler/native.js'

const chains = 2e6
// The state (57), the gradient norms of the snapshots in flight (2 × 8), and the heap's slack around them.
const budget = 150

// The reference runner blocks its chains the same way (bench/memory.ts measures it: about 80 bytes a chain);
// it is left out here for its time (45 s for these chains).
if (samplerAddon().addon === undefined) t.pass('skipped: the native addon is not built')
else {
  t.test(`native: 2·10⁶ chains of ULA in dimension 2 cost under ${budget} bytes a chain`, async (t) => {
    const m = measure(chains, 'native')
    const perChain = (m.peak - m.baseline) / chains
    t.ok(perChain < budget, `${perChain.toFixed(1)} bytes a chain (peak ${(m.peak / 1e6).toFixed(0)} MB)`)
  })
}
