import t from 'tap'
import { adaptStepSize, dualAveraging, dualAveragingConstants, finalStepSize } from '../../../src/sampler/adapt/dual-averaging.js'

t.test("two iterations against Hoffman and Gelman's recursions computed by hand", async (t) => {
  const { gamma, t0, kappa } = dualAveragingConstants
  t.same([gamma, t0, kappa], [0.05, 10, 0.75])
  const a = adaptStepSize(dualAveraging(0.2, 0.8), 0.5)
  const b = adaptStepSize(a, 0.95)
  const mu = Math.log(2)
  const h1 = (0.8 - 0.5) / 11
  const h2 = (1 - 1 / 12) * h1 + (0.8 - 0.95) / 12
  const x1 = mu - h1 / gamma
  const x2 = mu - (Math.sqrt(2) / gamma) * h2
  const w2 = Math.pow(2, -kappa)
  t.ok(Math.abs(b.logStepSize - x2) < 1e-14, `log h₂ = ${b.logStepSize} vs ${x2}`)
  t.ok(Math.abs(b.logAverage - (w2 * x2 + (1 - w2) * x1)) < 1e-14, 'log h̄₂')
  t.equal(finalStepSize(b), Math.exp(b.logAverage))
})

t.test('a non-finite acceptance counts as 0 (the step was too large): the step size falls', async (t) => {
  const s = adaptStepSize(dualAveraging(1, 0.8), NaN)
  t.same(s, adaptStepSize(dualAveraging(1, 0.8), 0))
  t.ok(s.logStepSize < Math.log(10))
})

t.test('on an acceptance curve α(h) = 1/(1 + h²), h̄ settles where α = δ (δ = 0.8 and 0.574)', async (t) => {
  for (const target of [0.8, 0.574]) {
    let s = dualAveraging(3, target)
    for (let i = 0; i < 2000; i++) s = adaptStepSize(s, 1 / (1 + Math.exp(2 * s.logStepSize)))
    const h = finalStepSize(s)
    const want = Math.sqrt(1 / target - 1)
    t.ok(Math.abs(h - want) / want < 0.02, `δ = ${target}: h̄ = ${h.toFixed(4)} vs ${want.toFixed(4)}`)
  }
})
