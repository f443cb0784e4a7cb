/**
 * The draws behind the Monte Carlo p-values of the finite-space checks: binomial and multinomial draws by
 * inversion against their exact laws, fair coins by counting bits, and the p-value's (1 + #)/(1 + B).
 */
import t from 'tap'
import { binomialSampler, fairCoins, monteCarloPValue, multinomialSampler, simulationWords, uniformsOfWords, wordsForCoins } from '../../src/testing/binomial.js'

// Binomial(n, p)'s probabilities by the recurrence from P(0) = (1 − p)^n, for n small enough not to underflow.
const pmf = (n: number, p: number): number[] => {
  const out = [(1 - p) ** n]
  for (let k = 1; k <= n; k++) out.push((out[k - 1] * (n - k + 1) * p) / (k * (1 - p)))
  return out
}

t.test('a binomial draw inverts the distribution function: on a grid of M uniforms, k comes M·P(k) times, to one', async (t) => {
  const M = 100_000
  for (const [n, p] of [[7, 0.3], [40, 0.5], [200, 0.08], [1, 0.9], [20000, 0.02]] as const) {
    const draw = binomialSampler(n, p)
    const seen = new Float64Array(n + 1)
    for (let i = 0; i < M; i++) seen[draw((i + 0.5) / M)]++
    const want = pmf(n, p)
    t.ok(want.every((q, k) => Math.abs(seen[k] - M * q) <= 1), `Binomial(${n}, ${p})`)
  }
  t.equal(binomialSampler(0, 0.4)(0.7), 0)
  t.equal(binomialSampler(5, 1)(0.2), 5)
})

t.test('multinomial draws by conditional binomials have the multinomial means and variances (4 standard errors)', async (t) => {
  const pi = [0.5, 0.05, 0.3, 0.15]
  const n = 60
  const draw = multinomialSampler(n, pi)
  const B = 4000
  const words = new Uint32Array(4)
  const u = new Float64Array(3)
  const out = new Float64Array(4)
  const sum = new Float64Array(4)
  const squares = new Float64Array(4)
  let whole = 0
  for (let b = 0; b < B; b++) {
    draw(uniformsOfWords(simulationWords(3, 11, b, 3, words), u), out)
    if (out.reduce((a, c) => a + c, 0) === n) whole++
    out.forEach((c, j) => {
      sum[j] += c
      squares[j] += c * c
    })
  }
  t.equal(whole, B, 'every draw has n counts')
  pi.forEach((p, j) => {
    const mean = sum[j] / B
    const variance = n * p * (1 - p)
    t.ok(Math.abs(mean - n * p) < 4 * Math.sqrt(variance / B), `category ${j}: mean ${mean} vs ${n * p}`)
    // the variance of a sample variance of B draws is about 2σ⁴/B (nearly normal counts)
    t.ok(Math.abs(squares[j] / B - mean * mean - variance) < 4 * variance * Math.sqrt(2 / B) + 0.05 * variance, `category ${j}: variance`)
  })
})

t.test('fair coins count the set bits of consecutive runs of words', async (t) => {
  const words = Uint32Array.of(0xffffffff, 0x0000000f, 0x80000001)
  // 3 bits (all set), 33 bits (29 set of word 0's rest, 4 of word 1's lowest), 60 bits (the rest: 0 + 2)
  t.same(Array.from(fairCoins([3, 33, 60], words, new Float64Array(3))), [3, 33, 2])
  t.equal(wordsForCoins([3, 33, 60]), 3)
})

t.test('the Monte Carlo p-value counts the observed statistic among the simulated ones', async (t) => {
  t.equal(monteCarloPValue(10, 9, () => 0), 0.1) // the smallest p-value B draws can give: 1/(B + 1)
  t.equal(monteCarloPValue(0, 9, () => 0), 1) // ties count against the statistic
  t.equal(monteCarloPValue(NaN, 9, () => 0), 0)
  // its size: with the statistic and B = 19 draws all uniform, P(p ≤ 0.05) = 1/20, measured over 20000 repeats
  let rejected = 0
  const repeats = 20_000
  const words = new Uint32Array(20)
  const u = new Float64Array(20)
  for (let r = 0; r < repeats; r++) {
    uniformsOfWords(simulationWords(5, 17, r, 20, words), u)
    if (monteCarloPValue(u[0], 19, (b) => u[b + 1]) <= 0.05) rejected++
  }
  t.ok(Math.abs(rejected / repeats - 0.05) < 4 * Math.sqrt((0.05 * 0.95) / repeats), `${rejected} of ${repeats}`)
})
