/**
 * The two-sample tests against closed forms and their null laws: the exact KS p-value by hand-counted
 * lattice paths, the asymptotic one against the exact one at large sizes, and both KS and the energy
 * distance rejecting a true null at most at their level over many seeds.
 */
import t, { type Test } from 'tap'
import * as rng from '../../src/rng/index.js'
import { energyDistance, exactCells, kolmogorovTail, ksTwoSample } from '../../src/testing/two-sample.js'

t.test('the exact KS p-value counts lattice paths', async (t) => {
  // n = m = 2: of the C(4, 2) = 6 orders, xxyy and yyxx reach D = 1; D ≥ 1/2 holds for all six
  t.ok(Math.abs(ksTwoSample([0, 1], [2, 3]).pValue - 2 / 6) < 1e-12)
  t.equal(ksTwoSample([0, 2], [1, 3]).pValue, 1)
  // n = 1, m = 3: D = 1 when the x is first or last, 2 of 4 places; D = 2/3 at the second or third
  t.equal(ksTwoSample([0], [1, 2, 3]).pValue, 0.5)
  t.equal(ksTwoSample([1.5], [1, 2, 3]).pValue, 1)
  // ties are one point of both samples' steps
  t.equal(ksTwoSample([1, 1], [1, 1]).statistic, 0)
})

t.test("the asymptotic KS p-value is Kolmogorov's limit with Stephens' correction, close to the exact one", async (t) => {
  t.ok(Math.abs(kolmogorovTail(1.6276) - 0.01) < 1e-4, 'the 1% point of the Kolmogorov law')
  t.equal(kolmogorovTail(0.1), 1)
  const x = rng.normals(3, 0, 0, 2100)
  const y = rng.normals(3, 1, 0, 2100).map((v) => v + 0.1)
  const exact = ksTwoSample(x.subarray(0, 1900), y.subarray(0, 1900))
  t.ok(1900 * 1900 <= exactCells, 'the smaller pair is counted exactly')
  const asymptotic = ksTwoSample(x, y)
  t.ok(2100 * 2100 > exactCells, 'the larger pair takes the limit')
  t.ok(exact.pValue < 0.05 && asymptotic.pValue < 0.05, `a shift of 0.1 sd shows at both sizes: ${exact.pValue}, ${asymptotic.pValue}`)
})

// Under the null a p-value is uniform (discrete ones stochastically larger): the fraction below a level
// is at most the level, within 4 binomial standard errors.
const atMostLevel = (t: Test, ps: readonly number[], level: number, what: string): void => {
  const below = ps.filter((p) => p < level).length / ps.length
  t.ok(below <= level + 4 * Math.sqrt((level * (1 - level)) / ps.length), `${what}: ${below} of p-values below ${level}`)
}

t.test('under the null, KS rejects at most at its level', async (t) => {
  const ps = Array.from({ length: 1000 }, (_v, s) => ksTwoSample(rng.normals(s, 0, 0, 40), rng.normals(s, 1, 0, 55)).pValue)
  atMostLevel(t, ps, 0.05, 'n = 40, m = 55')
  atMostLevel(t, ps, 0.2, 'n = 40, m = 55')
  // and not far below it: the exact test is not so conservative that it wastes power
  t.ok(ps.filter((p) => p < 0.2).length / ps.length > 0.2 - 4 * Math.sqrt(0.16 / 1000), 'not far below the level either')
})

t.test('under the null, the energy distance rejects at most at its level; a change of correlation alone shows', async (t) => {
  const ps = Array.from({ length: 200 }, (_v, s) => energyDistance(rng.normals(s, 0, 0, 80), rng.normals(s, 1, 0, 80), 2, { permutations: 99, seed: s }).pValue)
  atMostLevel(t, ps, 0.1, 'two 2-D samples of 40')
  // same marginals N(0, 1), correlation 0 against 0.9: invisible to per-coordinate tests
  const n = 200
  const z = rng.normals(9, 0, 0, 2 * n)
  const w = rng.normals(9, 1, 0, 2 * n)
  const correlated = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    correlated[2 * i] = w[2 * i]
    correlated[2 * i + 1] = 0.9 * w[2 * i] + Math.sqrt(1 - 0.81) * w[2 * i + 1]
  }
  t.ok(energyDistance(z, correlated, 2, { permutations: 199, seed: 1 }).pValue <= 0.005, 'correlation 0.9 against 0 with equal marginals')
})
