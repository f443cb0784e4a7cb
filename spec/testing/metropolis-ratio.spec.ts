/**
 * checkMetropolisRatio: MALA's ratio with the Langevin density passes, MALA without the reverse density
 * (planted) fails against the true density, a random walk passes as symmetric, and a proposal that is not
 * the kernel's is refused.
 */
import { pipe } from 'fp-ts/lib/function.js'
import t from 'tap'
import * as sampler from '../../src/sampler/index.js'
import * as testing from '../../src/testing/index.js'
import { malaWithoutReverse } from './planted.js'

const T = 0.7
const h = 0.4
const P = [[2, 0.5], [0.5, 1]]
const target = testing.gaussianTarget({ mean: [0.5, 0], precision: P, temperature: T })
const proposal = sampler.sequence(sampler.drift({ stepSize: h }), sampler.noise({ stepSize: h, temperature: T }))

// q(x′ | x) = N(x − h∇E(x), 2hT·I) with ∇E = P(x − μ)
const logDensity = (to: Float64Array, from: Float64Array): number => {
  const r = [from[0] - 0.5, from[1]]
  const g = [P[0][0] * r[0] + P[0][1] * r[1], P[1][0] * r[0] + P[1][1] * r[1]]
  return -((to[0] - from[0] + h * g[0]) ** 2 + (to[1] - from[1] + h * g[1]) ** 2) / (4 * h * T)
}

t.test("MALA accepts with the Langevin ratio; the planted MALA without the reverse density does not", async (t) => {
  const good = await testing.checkMetropolisRatio(target, sampler.mala({ stepSize: h, temperature: T }), { proposal, logDensity, seed: 2 })
  t.ok(good.passed, good.message)
  const bad = await testing.checkMetropolisRatio(target, malaWithoutReverse({ stepSize: h, temperature: T }), { proposal, logDensity, seed: 2 })
  t.equal(bad.passed, false, bad.message)
})

t.test('a random walk needs no density: it is symmetric', async (t) => {
  const walk = pipe(sampler.noise({ scale: 0.8 }), sampler.metropolis({ temperature: T }))
  const r = await testing.checkMetropolisRatio(target, walk, { proposal: sampler.noise({ scale: 0.8 }), seed: 3 })
  t.ok(r.passed, r.message)
  // at the wrong temperature the test is judged against T of the target
  const hot = await testing.checkMetropolisRatio(target, pipe(sampler.noise({ scale: 0.8 }), sampler.metropolis({ temperature: 2 * T })), { proposal: sampler.noise({ scale: 0.8 }), seed: 3 })
  t.equal(hot.passed, false, hot.message)
})

t.test('a proposal that is not the one the kernel makes, and bad options, are refused', async (t) => {
  await t.rejects(testing.checkMetropolisRatio(target, sampler.mala({ stepSize: h, temperature: T }), { proposal: sampler.noise({ scale: 0.3 }), seed: 1 }), { name: 'RangeError', message: /^checkMetropolisRatio: proposal: expected the move the kernel proposes, got another: chain \d+ moved to neither/ })
  await t.rejects(testing.checkMetropolisRatio(target, sampler.mala({ stepSize: h }), undefined as never), { name: 'TypeError', message: 'checkMetropolisRatio: options: expected an object, got undefined' })
  await t.rejects(testing.checkMetropolisRatio(target, sampler.mala({ stepSize: h }), { proposal, chains: 20 }), { message: 'checkMetropolisRatio: chains: expected an integer ≥ 50, got 20' })
  await t.rejects(testing.checkMetropolisRatio(target, sampler.mala({ stepSize: h }), { proposal, logDensity: 3 as never }), { name: 'TypeError' })
})
