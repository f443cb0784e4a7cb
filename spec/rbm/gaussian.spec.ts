/**
 * Gaussian–Bernoulli RBMs sampled and trained by block Gibbs on their joint energy: PCD through
 * train.joint learns a two-component mixture, and rbm.sampleVisible draws the model's v.
 */
import t from 'tap'
import { energyAt, init, type Energy, type Params } from '../../src/energy/index.js'
import { contrastive, fit, sgd } from '../../src/train/index.js'
import { gaussianBernoulli, persistentChains, sampleVisible } from '../../src/rbm/index.js'
import * as rng from '../../src/rng/index.js'

// ½ N(−2, 0.5²) + ½ N(2, 0.5²), n draws of a seed's Philox streams.
const mixture = (n: number, seed: number): Float64Array => {
  const z = rng.normals(seed, 0, 0, n)
  const u = rng.uniforms(seed, 1, 0, n)
  return Float64Array.from(z, (x, i) => (u[i] < 0.5 ? -2 : 2) + 0.5 * x)
}
const logNormal = (x: number, m: number, s: number): number => -0.5 * ((x - m) / s) ** 2 - Math.log(s * Math.sqrt(2 * Math.PI))
const mean = (xs: ArrayLike<number>, f: (x: number) => number = (x) => x): number => Array.from(xs, f).reduce((a, b) => a + b, 0) / xs.length

// The mean log density of x under p ∝ exp(−F) on one visible unit, log Z by the midpoint rule on [−8, 8].
const meanLogDensity = (e: Energy, p: Params, x: Float64Array): number => {
  const h = 0.004
  const F = energyAt(e, Float64Array.from({ length: 4000 }, (_, k) => -8 + (k + 0.5) * h), p)
  const top = Math.max(...F.map((f) => -f))
  const logZ = top + Math.log(F.reduce((s, f) => s + Math.exp(-f - top), 0) * h)
  return mean(energyAt(e, x, p), (f) => -f - logZ)
}

t.test('PCD through train.joint (Gibbs on the Gaussian–Bernoulli joint) learns a mixture of two Gaussians: held-out log-likelihood within 0.05 nats of the truth, 0.5 above the best single Gaussian', async (t) => {
  const data = mixture(2000, 1)
  const heldOut = mixture(2000, 2)
  const truth = mean(heldOut, (x) => Math.log(0.5 * Math.exp(logNormal(x, -2, 0.5)) + 0.5 * Math.exp(logNormal(x, 2, 0.5))))
  const m = mean(data)
  const single = mean(heldOut, (x) => logNormal(x, m, Math.sqrt(mean(data, (y) => (y - m) ** 2))))
  const e = gaussianBernoulli({ visible: 1, hidden: 4, sigma: 0.5, seed: 3, std: 0.1 })
  const r = await fit(e, data, { objective: contrastive(), negatives: persistentChains(e, { chains: 100 }), optimizer: sgd({ lr: 0.01 }), batchSize: 20, steps: 3000, seed: 1, params: init(e), backend: 'auto' })
  const learnt = meanLogDensity(e, r.params, heldOut)
  t.ok(Math.abs(learnt - truth) < 0.05, `learnt ${learnt.toFixed(4)} vs the true density's ${truth.toFixed(4)} nats`)
  t.ok(learnt > single + 0.5, `and above the best single Gaussian's ${single.toFixed(4)}`)
  t.ok(meanLogDensity(e, init(e), heldOut) < truth - 5, 'far below before training')
})

t.test('rbm.sampleVisible on a Gaussian–Bernoulli RBM draws its visible marginal: with W = 0, N(a, σ²) within 4 standard errors', async (t) => {
  const e = gaussianBernoulli({ visible: 2, hidden: 3, sigma: 1.5 })
  const p = { W: new Float64Array(6), a: new Float64Array([0.5, -1]), b: new Float64Array([1, 0, -1]) }
  const chains = 4000
  const v = await sampleVisible(e, p, { chains, steps: 2, seed: 3 })
  for (let i = 0; i < 2; i++) {
    const column = Array.from({ length: chains }, (_, c) => v[2 * c + i])
    const m = mean(column)
    const sq = mean(column, (x) => (x - p.a[i]) ** 2)
    // The mean's standard error is σ/√n, the variance's σ²·√(2/n).
    t.ok(Math.abs(m - p.a[i]) < (4 * 1.5) / Math.sqrt(chains), `E[v${i}] ${m} vs ${p.a[i]}`)
    t.ok(Math.abs(sq - 2.25) < 4 * 2.25 * Math.sqrt(2 / chains), `Var v${i} ${sq} vs σ² = 2.25`)
  }
})
