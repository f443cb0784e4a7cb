import t from 'tap'
import { mcseMean, mcseMedian, mcseQuantile, mcseSd } from '../../src/diagnostics/mcse.js'
import { normals } from './seeded.js'

// 4 chains × 10⁴ iid standard normal draws. The MCSE estimates inherit the ESS estimate's relative error
// (about 1.5%, see ess.spec.ts) plus, for quantiles, the spacing of order statistics (about 1%), so 10%
// is several sd from the asymptotic values tested below.
const n = 40000
const chains = [1, 2, 3, 4].map((seed) => normals(100 + seed, n / 4))
const near = (got: number, want: number) => Math.abs(got - want) < 0.1 * want

t.test('mcseMean of iid draws is near sd/√N', async (t) => {
  t.ok(near(mcseMean(chains), 1 / Math.sqrt(n)), `${mcseMean(chains)}`)
})

t.test('mcseSd of iid normal draws is near sd/√(2N)', async (t) => {
  t.ok(near(mcseSd(chains), 1 / Math.sqrt(2 * n)), `${mcseSd(chains)}`)
})

t.test('mcseQuantile of iid normal draws is near √(p(1 − p)/N)/φ(q_p)', async (t) => {
  for (const [p, q] of [[0.5, 0], [0.1, -1.2815515655446004], [0.3, -0.5244005127080409]]) {
    const density = Math.exp(-q * q / 2) / Math.sqrt(2 * Math.PI)
    const want = Math.sqrt((p * (1 - p)) / n) / density
    const got = p === 0.5 ? mcseMedian(chains) : mcseQuantile(chains, p)
    t.ok(near(got, want), `p=${p}: ${got} vs ${want}`)
  }
})

t.test('the MCSE functions return NaN for constant draws', async (t) => {
  const constant = [[3, 3, 3, 3], [3, 3, 3, 3]]
  for (const f of [mcseMean, mcseSd, mcseMedian, (d: number[][]) => mcseQuantile(d, 0.1)]) t.ok(Number.isNaN(f(constant)))
})

t.test('mcseQuantile rejects probabilities outside [0, 1]', async (t) => {
  t.throws(() => mcseQuantile(chains, -0.1), { name: 'RangeError', message: 'mcseQuantile: prob: expected a probability in [0, 1], got -0.1' })
})
