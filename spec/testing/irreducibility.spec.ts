/**
 * checkIrreducibility: heat baths and Metropolis flips at T > 0 are irreducible and aperiodic; descent is
 * not irreducible, Metropolis flips on a flat energy of 3 units have period 2, and Gibbs that never
 * touches a site (spec/testing/planted-discrete.ts) leaves half the states unreached, each named.
 *
 * Sizes: a Boltzmann machine of 3 binary units (8 states) and an RBM's joint energy of 3 visible units and
 * 1 hidden unit (16 states) at T = 1.3; 200 one-step chains from each state for a user's block.
 */
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as sampler from '../../src/sampler/index.js'
import * as testing from '../../src/testing/index.js'
import * as planted from './planted-discrete.js'

const T = 1.3
const rbm = energy.bipartite({ weights: [[0.9], [-0.7], [0.6]], visibleBias: [0.2, -0.3, 0.1], hiddenBias: [0.4] })
const bm = energy.boltzmann({ weights: [[0, 0.6, -0.9], [0.6, 0, 0.5], [-0.9, 0.5, 0]], bias: [0.3, -0.4, 0.1], domain: 'binary' })
const flat = energy.boltzmann({ weights: [[0, 0, 0], [0, 0, 0], [0, 0, 0]], domain: 'binary' })

t.test('the package kernels at T > 0 are irreducible and aperiodic, by their exact matrices', async (t) => {
  for (const [e, k] of [[bm, sampler.heatBath({ temperature: T })], [bm, sampler.metropolisFlips({ temperature: T })], [rbm, sampler.gibbs({ temperature: T })]] as const) {
    const r = await testing.checkIrreducibility(e, k)
    t.ok(r.passed, r.message)
    t.match(r.parts?.[0].name, /by the exact matrix of/)
  }
})

t.test('descent never climbs: the states it leaves are named', async (t) => {
  const r = await testing.checkIrreducibility(bm, sampler.descent())
  t.notOk(r.passed)
  t.match(r.message, /strongly connected, by the exact matrix of 'descent' \(not reached from \[0, 0, 0\]: \[.*\]; not reaching it: .*\): failed: states outside the class of \[0, 0, 0\] \d+ > 0/)
})

t.test('Metropolis flips on a flat energy of 3 units flip 3 times a step: every state is reached, with period 2', async (t) => {
  const r = await testing.checkIrreducibility(flat, sampler.metropolisFlips({ temperature: T }))
  t.notOk(r.passed)
  const part = (what: string) => r.parts?.find((p) => p.name.includes(what))
  t.ok(part('strongly connected')?.passed, part('strongly connected')?.message ?? 'missing')
  t.match(part('aperiodic')?.message, /aperiodic, by the exact matrix of 'metropolisFlips': failed: period 2 /)
  // a heat bath on the same energy keeps a unit with probability ½: loops, so aperiodic
  t.ok((await testing.checkIrreducibility(flat, sampler.heatBath({ temperature: T }))).passed)
})

t.test("a user's block is judged by the moves seen: Gibbs that never touches the hidden unit leaves its other value unreached", async (t) => {
  const right = await testing.checkIrreducibility(bm, planted.userHeatBath({ temperature: T }), { replicas: 200, seed: 1, backend: 'reference' })
  t.ok(right.passed, right.message)
  t.match(right.parts?.[0].name, /by the moves seen in 200 one-step chains from each state/)
  const skipping = await testing.checkIrreducibility(rbm, planted.gibbsSkippingASite({ temperature: T }), { replicas: 200, seed: 1, backend: 'reference' })
  t.notOk(skipping.passed)
  // state k has bit i set when unit i is high; the hidden unit is unit 3
  const hiddenHigh = Array.from({ length: 8 }, (_v, k) => `[${[0, 1, 2].map((i) => (k >> i) & 1).join(', ')}, 1]`).join(', ')
  t.ok(skipping.message.includes(`not reached from [0, 0, 0, 0]: ${hiddenHigh}; not reaching it: ${hiddenHigh}`), skipping.message)
  t.match(skipping.message, /reproduce with the options \{ seed: 1, replicas: 200, backend: "reference" \}/)
})

t.test('the structure of a graph: unreached states, states not reaching the first, the period', async (t) => {
  t.same(testing.graphStructure([[1], [0]]), { unreached: [], unreaching: [], period: 2 })
  t.same(testing.graphStructure([[0, 1], [0]]), { unreached: [], unreaching: [], period: 1 })
  // 0 → 1 → 2 → 3 → 0 and 1 → 3: cycles of 4 and 3
  t.same(testing.graphStructure([[1], [2, 3], [3], [0]]).period, 1)
  t.same(testing.graphStructure([[1], [2], [1]]), { unreached: [], unreaching: [1, 2], period: 0 })
})

t.test('bad input is refused with a clear error', async (t) => {
  await t.rejects(testing.checkIrreducibility(energy.quadratic({ center: [0, 0] }), sampler.mala({ stepSize: 0.1 })), { name: 'RangeError', message: /^checkIrreducibility: energy: domain: expected 'binary' or 'spins'/ })
  await t.rejects(testing.checkIrreducibility(bm, planted.userHeatBath({ temperature: T }), { replicas: 0 }), { name: 'RangeError', message: 'checkIrreducibility: replicas: expected an integer ≥ 1, got 0' })
  await t.rejects(testing.checkIrreducibility(bm, sampler.heatBath({ temperature: T }), { steps: 3 } as never), { name: 'RangeError', message: /^checkIrreducibility: options: unknown option 'steps'/ })
})
