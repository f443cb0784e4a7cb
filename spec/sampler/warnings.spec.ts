import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import * as rng from '../../src/rng/index.js'
import * as sampler from '../../src/sampler/index.js'
import { quadratic } from './fixtures.js'

const chains = 64
const spread = rng.normals(7, 0, 0, chains * 2).map((z) => z * 3) // starts far out in the tails too

t.test('an energy that is NaN everywhere is an error saying that every chain became non-finite', async (t) => {
  const nan = energy.define({ name: 'nan', shape: [2], build: (x) => ir.log(ir.mul(ir.add(ir.sum(ir.square(x), 1), 1), -1)) })
  for (const backend of ['reference', 'native'] as const) {
    await t.rejects(sampler.sample(nan, sampler.ula({ stepSize: 0.1 }), { chains, steps: 10, seed: 1, init: spread, backend }), {
      name: 'RangeError',
      message: /^sample: all 64 chains became non-finite by step 10: the energy or its gradient is NaN or infinite/,
    })
  }
})

t.test('a diverging ULA run warns which chains became non-finite, and its statistics are over the others', async (t) => {
  // E = Σ x⁴: ULA with h = 0.1 is stable where 12·h·x² < 2, and diverges from the starts beyond.
  const quartic = energy.define({ name: 'quartic', shape: [2], build: (x) => ir.sum(ir.square(ir.square(x)), 1) })
  for (const backend of ['reference', 'native'] as const) {
    const r = await sampler.sample(quartic, sampler.ula({ stepSize: 0.1 }), { chains, steps: 100, seed: 1, init: spread, backend })
    const dead = [...r.energies.keys()].filter((c) => !Number.isFinite(r.energies[c]) || !Number.isFinite(r.positions[2 * c]) || !Number.isFinite(r.positions[2 * c + 1]))
    t.ok(dead.length > 0 && dead.length < chains, `${backend}: some chains diverged (${dead.length})`)
    const w = r.warnings.find((x) => x.code === 'non-finite')
    t.equal(w?.count, r.statistics.nonFinite, `${backend}: the warning counts the non-finite chains`)
    t.same(w?.chains, dead.slice(0, 20), 'and lists the first of them')
    t.match(w?.message, /step size is too large/, 'and says what usually causes it')
    t.ok(Number.isFinite(r.statistics.meanEnergy), `${backend}: the mean energy is over the finite chains: ${r.statistics.meanEnergy}`)
  }
})

t.test('a banana under MALA from spread starts warns of chains that never moved and of the acceptance rate', async (t) => {
  const banana = energy.rosenbrock({ b: 20 })
  for (const backend of ['reference', 'native'] as const) {
    const r = await sampler.sample(banana, sampler.mala({ stepSize: 0.02 }), { chains, steps: 400, seed: 1, init: spread, backend, keep: 'draws', thin: 4 })
    const draws = r.draws as Float64Array
    const perChain = 100 * 2
    // The stuck chains, from the draws themselves: every draw equal to the chain's first.
    const still = [...Array(chains).keys()].filter((c) => draws.subarray(c * perChain, (c + 1) * perChain).every((v, i) => v === draws[c * perChain + (i % 2)]))
    const w = r.warnings.find((x) => x.code === 'stuck')
    t.ok(still.length > 0, `${backend}: some chains never moved (${still.length})`)
    t.equal(w?.count, still.length, `${backend}: the warning counts them`)
    t.same(w?.chains, still.slice(0, 20))
    const a = r.warnings.find((x) => x.code === 'acceptance')
    const rate = r.statistics.acceptanceRate as number
    t.equal(a !== undefined, rate < 0.1 || rate > 0.95, `${backend}: acceptance ${rate} warned exactly when outside [0.1, 0.95]`)
  }
})

t.test('acceptance is judged against a stated target', async (t) => {
  const e = quadratic(2, 3)
  const run = (targetAcceptance?: number) =>
    sampler.sample(e, sampler.mala({ stepSize: 0.2 }), { chains: 32, steps: 50, seed: 2, backend: 'reference', ...(targetAcceptance === undefined ? {} : { targetAcceptance }) })
  const plain = await run()
  const rate = plain.statistics.acceptanceRate as number
  t.ok(rate > 0.1 && rate < 0.95 && plain.warnings.length === 0, `no warning at ${rate} without a target`)
  const far = await run(rate > 0.5 ? rate - 0.2 : rate + 0.2)
  t.same(far.warnings.map((w) => w.code), ['acceptance'], 'more than 0.1 from the target')
  t.same((await run(rate > 0.5 ? rate - 0.05 : rate + 0.05)).warnings, [], 'within 0.1 of it')
  await t.rejects(run(1), { message: 'sample: targetAcceptance: expected a number in (0, 1), got 1' })
})

t.test('the mean energy of finite chains whose sum overflows is finite', async (t) => {
  const huge = energy.define({ name: 'huge', shape: [1], build: (x) => ir.mul(ir.add(ir.sum(ir.square(x), 1), 1), 1e307) })
  const r = await sampler.sample(huge, sampler.drift({ stepSize: 1e-310 }), { chains: 8, steps: 0, seed: 1, init: new Float64Array(8).fill(2), backend: 'reference' })
  t.equal(r.statistics.nonFinite, 0)
  t.ok(Math.abs(r.statistics.meanEnergy / 5e307 - 1) < 1e-12, `5e307, not Infinity: ${r.statistics.meanEnergy}`)
})

t.test('a stuck chain is an alive chain with proposals and not one acceptance', async (t) => {
  const w = sampler.runWarnings({
    chains: 4,
    alive: new Uint8Array([1, 1, 1, 0]),
    metropolis: true,
    proposed: [10, 10, 0, 10],
    accepted: [0, 1, 0, 0],
    acceptanceRate: 0.5,
  })
  t.same(w.map((x) => [x.code, x.count, x.chains]), [
    ['non-finite', 1, [3]],
    ['stuck', 1, [0]],
  ], 'one acceptance is a move; no proposals is no evidence; a frozen chain is non-finite, not stuck')
})
