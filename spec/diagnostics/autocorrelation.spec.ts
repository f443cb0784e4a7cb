import t from 'tap'
import { autocorrelation, autocovariance } from '../../src/diagnostics/autocorrelation.js'
import { autoregressive } from './seeded.js'

t.test('autocovariance equals the direct biased sum over lags', async (t) => {
  const x = Float64Array.from([0.3, -1.2, 2.5, 0.7, -0.4, 1.9, -2.2, 0.05, 1.1])
  const n = x.length
  const m = x.reduce((a, b) => a + b) / n
  const got = autocovariance(x)
  for (let k = 0; k < n; k++) {
    let s = 0
    for (let i = 0; i + k < n; i++) s += (x[i] - m) * (x[i + k] - m)
    t.ok(Math.abs(got[k] - s / n) < 1e-14, `lag ${k}: ${got[k]} vs ${s / n}`)
  }
})

t.test('autocorrelation of an AR(1) chain decays as φ^k', async (t) => {
  const n = 20000
  const [rho] = autocorrelation([autoregressive(7, n, 0.6)])
  t.equal(rho[0], 1)
  for (const k of [1, 2, 3]) {
    // Bartlett: sd of ρ̂_k is about √((1 + φ²)/(1 − φ²)/n) ≈ 0.0092; 4 sd
    t.ok(Math.abs(rho[k] - 0.6 ** k) < 4 * 0.0092, `lag ${k}: ${rho[k]} vs ${0.6 ** k}`)
  }
})

t.test('autocorrelation of a constant chain is NaN', async (t) => {
  const [rho] = autocorrelation([[2, 2, 2, 2, 2]])
  t.ok(rho.every(Number.isNaN))
})
