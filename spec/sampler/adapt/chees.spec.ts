import t from 'tap'
import { adaptLength, chees, cheesConstants, cheesGradient, finalLength, halton, jitteredSteps } from '../../../src/sampler/adapt/chees.js'

t.test('the Halton jitter and the jittered number of leapfrog steps', async (t) => {
  t.same([6, 7, 8].map(halton), [0.375, 0.875, 0.0625])
  t.equal(jitteredSteps(0.0625, 1, 0.5, 10), 1, 'at least one step')
  t.equal(jitteredSteps(1, 100, 0.5, 10), 10, 'at most the cap')
})

t.test('the ChEES gradient centres each side across chains and weights chains by acceptance', async (t) => {
  // D = 2, three chains; the third is rejected (weight 0) and leaves the proposals' centre too.
  const d = { before: [0, 0, 2, 0, 1, 3], after: [1, 1, 3, -1, 50, 50], velocity: [1, 0, 0, 2, 9, 9], weight: [1, 0.5, 0], jitter: 0.25 }
  const L = 2
  // x̄ = (1, 1); x̄′ = (1·(1, 1) + 0.5·(3, −1))/1.5 = (5/3, 1/3)
  const a = [[1 - 5 / 3, 1 - 1 / 3], [3 - 5 / 3, -1 - 1 / 3]]
  const b = [[-1, -1], [1, -1]]
  const per = [0, 1].map((c) => 0.25 * L * (a[c][0] ** 2 + a[c][1] ** 2 - (b[c][0] ** 2 + b[c][1] ** 2)) * (a[c][0] * d.velocity[2 * c] + a[c][1] * d.velocity[2 * c + 1]))
  const want = (1 * per[0] + 0.5 * per[1]) / 1.5
  t.ok(Math.abs(cheesGradient(d, 3, 2, L) - want) < 1e-12, `${cheesGradient(d, 3, 2, L)} vs ${want}`)
  t.equal(cheesGradient({ ...d, weight: [0, 0, 0] }, 3, 2, L), 0, 'no accepted chain: no step')
})

t.test('Adam without momentum: a second step by hand, the clip, and the bounds [h, most·h]', async (t) => {
  const { learningRate, beta2 } = cheesConstants
  const one = adaptLength(chees(1), 2, 0.01, 1000)
  const two = adaptLength(one, -1, 0.01, 1000)
  const v = beta2 * (1 - beta2) * 4 + (1 - beta2) * 1
  const step = (-learningRate * 1) / Math.sqrt(v / (1 - beta2 ** 2))
  const w = 2 ** -0.5
  t.ok(Math.abs(two.logLength - (learningRate + step)) < 1e-15, 'the iterate takes both steps')
  t.ok(Math.abs(two.logAverage - ((1 - w) * one.logAverage + w * two.logLength)) < 1e-15, 'the average follows with weight 2^(−1/2)')
  t.same(adaptLength(chees(1), NaN, 0.01, 1000), chees(1), 'a non-finite gradient changes nothing')
  t.equal(adaptLength(chees(0.5), -1, 1, 1000).logLength, 0, 'never below one step')
  t.equal(adaptLength(chees(3), 1, 0.1, 20).logLength, Math.log(2), 'never above the cap')
})

t.test('on a standard normal the ascent finds the trajectory ChEES prefers over one much shorter or longer', async (t) => {
  // exact dynamics of E = x²/2 from exact draws: x′ = x·cos τ + p·sin τ, p′ = −x·sin τ + p·cos τ, τ = t·L
  let s = chees(0.2)
  let state = 12345
  const uniform = () => ((state = (state * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform())
  const chains = 256
  for (let i = 1; i <= 400; i++) {
    const L = Math.exp(s.logLength)
    const tau = halton(i) * L
    const before = Array.from({ length: chains }, normal)
    const p = Array.from({ length: chains }, normal)
    const after = before.map((x, c) => x * Math.cos(tau) + p[c] * Math.sin(tau))
    const velocity = before.map((x, c) => -x * Math.sin(tau) + p[c] * Math.cos(tau))
    s = adaptLength(s, cheesGradient({ before, after, velocity, weight: new Array(chains).fill(1), jitter: halton(i) }, chains, 1, L), 0.01, 10_000)
  }
  const L = finalLength(s)
  t.ok(L > 1.5 && L < 5, `L = ${L.toFixed(3)}: the jittered trajectories reach about a quarter period`)
})
