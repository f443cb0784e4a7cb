/**
 * The Poisson binomial law behind checkMetropolisRatio's exact tests: against the binomial's closed form
 * and against enumeration of every outcome, and its size where a z-test's is not its level (αs near 1).
 */
import t from 'tap'
import { poissonBinomial, poissonBinomialTest } from '../../src/testing/poisson-binomial.js'
import { twoSided } from '../../src/testing/normal.js'

t.test('equal probabilities give the binomial law', async (t) => {
  const f = poissonBinomial(new Array(6).fill(0.3))
  let choose = 1
  for (let k = 0; k <= 6; k++) {
    t.ok(Math.abs(f[k] - choose * 0.3 ** k * 0.7 ** (6 - k)) < 1e-15, `P(S = ${k})`)
    choose = (choose * (6 - k)) / (k + 1)
  }
})

t.test('unequal probabilities: every outcome enumerated', async (t) => {
  const p = [0.9, 0.15, 0.5, 0.72, 0.03]
  const want = new Float64Array(p.length + 1)
  for (let bits = 0; bits < 1 << p.length; bits++) {
    let prob = 1
    let k = 0
    p.forEach((q, i) => ((bits >> i) & 1 ? ((prob *= q), k++) : (prob *= 1 - q)))
    want[k] += prob
  }
  t.ok(poissonBinomial(p).every((v, k) => Math.abs(v - want[k]) < 1e-15))
})

t.test('where most αs are near 1 the exact test keeps its level and a z-test does not', async (t) => {
  // 400 decisions, 390 certain and 10 at α = 0.9: the deficit is nearly Poisson(1), skewed
  const alphas = [...new Array(390).fill(1), ...new Array(10).fill(0.9)]
  const f = poissonBinomial(alphas)
  const mean = 399
  const sd = Math.sqrt(10 * 0.9 * 0.1)
  const level = 0.002
  let exact = 0
  let z = 0
  f.forEach((pk, k) => {
    if (poissonBinomialTest(alphas, k) < level) exact += pk
    if (twoSided((k - mean) / sd) < level) z += pk
  })
  t.ok(exact <= level, `exact test's size ${exact}`)
  t.ok(z > 2 * level, `z-test's size ${z}`)
})
