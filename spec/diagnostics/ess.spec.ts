import t from 'tap'
import fc from 'fast-check'
import { essBasic, essBulk, essMean, essMedian, essQuantile, essSd, essTail } from '../../src/diagnostics/ess.js'
import { autoregressive, normals } from './seeded.js'

t.test('essBulk and essMean of 1e5 iid normal draws are within 5% of N', async (t) => {
  // For iid draws the estimate's relative sd is about √(2·(2K+1)/N) with K ≈ 2 truncation lags, under
  // 1.5%: 5% is more than 3 sd.
  const n = 1e5
  const chains = [1, 2, 3, 4].map((seed) => normals(seed, n / 4))
  for (const [name, ess] of [['essBulk', essBulk], ['essMean', essMean], ['essBasic', essBasic]] as const) {
    const value = ess(chains)
    t.ok(Math.abs(value - n) < 0.05 * n, `${name}: ${value}`)
  }
})

t.test('essMean of an antithetic AR(1) chain with φ = −0.9 is capped at N·log10(N)', async (t) => {
  // the uncapped estimate would be about N(1 − φ)/(1 + φ) = 19·N
  for (const n of [1000, 4000]) {
    const chain = autoregressive(11, n, -0.9)
    t.ok(Math.abs(essMean([chain]) - n * Math.log10(n)) < 1e-9 * n, `N=${n}: ${essMean([chain])}`)
    t.ok(Math.abs(essBulk([chain]) - n * Math.log10(n)) < 1e-9 * n)
  }
})

t.test('essMean of a positively correlated AR(1) chain is near N(1 − φ)/(1 + φ)', async (t) => {
  const n = 40000
  const value = essMean([autoregressive(3, n, 0.5)])
  // N/3 = 13333; the estimate's relative sd is about √(2(2K+1)/N)·τ-scale ≈ 3%: allow 15%
  t.ok(Math.abs(value - n / 3) < 0.15 * (n / 3), `${value} vs ${n / 3}`)
})

t.test('the ESS functions return NaN for constant draws', async (t) => {
  const constant = [[3, 3, 3, 3], [3, 3, 3, 3]]
  for (const f of [essBulk, essMean, essSd, essTail, essMedian, essBasic, (d: number[][]) => essQuantile(d, 0.3)]) {
    t.ok(Number.isNaN(f(constant)))
  }
})

t.test('essQuantile rejects probabilities outside [0, 1] and handles the ends', async (t) => {
  const chains = [1, 2].map((seed) => normals(seed, 200))
  t.throws(() => essQuantile(chains, 1.5), { name: 'RangeError', message: 'essQuantile: prob: expected a probability in [0, 1], got 1.5' })
  t.ok(essQuantile(chains, 1) > 0)
  t.ok(essQuantile(chains, 0) > 0)
  t.ok(essTail(chains) <= essQuantile(chains, 0.05))
})

t.test('essBasic on unsplit short chains agrees with posterior on its truncation rule', async (t) => {
  // five draws: Geyer's loop never runs, so τ = 2 as in posterior (−1 + 2·ρ₀ + ρ₀)
  t.equal(essBasic([[1, 2, 3, 4, 5], [2, 1, 4, 3, 6]], { split: false }), 5)
})

t.test('essBulk is unchanged by a strictly increasing transformation of the draws', async (t) => {
  // integers up to 1e5 cubed stay exact doubles, so ranks, and hence the bulk ESS, are bitwise equal
  const chains = fc.array(fc.integer({ min: -1e5, max: 1e5 }), { minLength: 8, maxLength: 40 })
  fc.assert(
    fc.property(chains, chains, (a, b) => {
      const n = Math.min(a.length, b.length)
      const draws = [a.slice(0, n), b.slice(0, n)]
      const before = essBulk(draws)
      const after = essBulk(draws.map((c) => c.map((x) => x ** 3)))
      return Object.is(before, after)
    }),
  )
})

t.test('essMean is positive and at most S·log10(S) for non-constant chains of 6 draws or more, NaN below', async (t) => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 4, maxLength: 60 }), (chain) => {
      const ess = essMean([chain])
      // posterior's .ess needs 3 draws per split half: shorter chains give NaN, as do constant ones
      if (chain.length < 6) return Number.isNaN(ess)
      // split chains drop the middle draw of odd chains: S is the even part
      const S = 2 * Math.floor(chain.length / 2)
      const kept = [...chain.slice(0, S / 2), ...chain.slice(chain.length - S / 2)]
      if (Number.isNaN(ess)) return Math.max(...kept) - Math.min(...kept) < Number.EPSILON
      return ess > 0 && ess <= S * Math.log10(S) * (1 + 1e-12)
    }),
  )
})
