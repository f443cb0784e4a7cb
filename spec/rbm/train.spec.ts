import t from 'tap'
import { energyAt, init } from '../../src/energy/index.js'
import { barsAndStripes } from '../../src/data/index.js'
import { contrastive, fit, initNegatives, negativePhase, sgd } from '../../src/train/index.js'
import { ais, bernoulli, contrastiveDivergence, logZ, persistentChains, pseudoLikelihood } from '../../src/rbm/index.js'
import { binarizedDigits, scaledDigits } from './digits.js'

const mean = (x: Float64Array): number => x.reduce((a, b) => a + b, 0) / x.length

t.test("scikit-learn's own RBM test: digits in [0, 1], 64 hidden, lr 0.1, batch 10, 7 epochs of PCD-1: mean pseudo-log-likelihood −21 ± 1.5", async (t) => {
  const X = scaledDigits()
  const e = bernoulli({ visible: 64, hidden: 64, seed: 9 })
  const steps = 7 * Math.floor(1797 / 10)
  const r = await fit(e, X, { objective: contrastive(), negatives: persistentChains(e), optimizer: sgd({ lr: 0.1 }), batchSize: 10, steps, seed: 1, params: init(e), backend: 'native' })
  const pll = mean(pseudoLikelihood(e, r.params, X, { seed: 2 }))
  t.ok(Math.abs(pll - -21) < 1.5, `mean PLL ${pll}`)
  const untrained = mean(pseudoLikelihood(e, init(e), X, { seed: 2 }))
  t.ok(untrained < -40, `and far below before training: ${untrained}`)
})

t.test('AIS on an RBM of 20 hidden units trained on binarized digits is within 0.05 nats of the exact log Z', async (t) => {
  const X = binarizedDigits()
  const e = bernoulli({ visible: 64, hidden: 20, seed: 3 })
  const r = await fit(e, X, { objective: contrastive(), negatives: persistentChains(e), optimizer: sgd({ lr: 0.05 }), batchSize: 10, steps: 1790, seed: 1, params: init(e), backend: 'native' })
  const exact = logZ(e, r.params)
  // Salakhutdinov & Murray's schedule shape over 1,000 intermediate distributions, 100 runs, base rates from the data.
  const a = ais(e, r.params, { data: X, steps: 1000, runs: 100, seed: 5 })
  t.ok(Math.abs(a.logZ - exact) < 0.05, `AIS ${a.logZ} vs exact ${exact}`)
  t.ok(Math.abs(a.logZ - exact) < 4 * a.standardError, `within 4 standard errors (${a.standardError})`)
})

// E[v] of an RBM exactly: Σ_h p(h) σ(a + Wh), p(h) ∝ exp(bᵀh) Πᵢ (1 + exp(aᵢ + (Wh)ᵢ)).
const exactVisibleMeans = (p: Readonly<Record<string, Float64Array>>, V: number, H: number): number[] => {
  const m = new Array<number>(V).fill(0)
  let z = 0
  for (let h = 0; h < 2 ** H; h++) {
    const field = Array.from({ length: V }, (_, i) => p.a[i] + Array.from({ length: H }, (_, j) => ((h >> j) & 1) * p.W[i * H + j]).reduce((s, x) => s + x, 0))
    let logw = 0
    for (let j = 0; j < H; j++) if ((h >> j) & 1) logw += p.b[j]
    for (const f of field) logw += Math.log1p(Math.exp(f))
    const w = Math.exp(logw)
    z += w
    field.forEach((f, i) => (m[i] += w / (1 + Math.exp(-f))))
  }
  return m.map((x) => x / z)
}

t.test("PCD's negatives at fixed parameters are draws from the RBM: E[v] within 4 standard errors, chains carried from step to step", async (t) => {
  const V = 6
  const H = 3
  const e = bernoulli({ visible: V, hidden: H, seed: 4, std: 1.5 })
  const p0 = init(e)
  const p = { ...p0, a: p0.a.map((_, i) => 0.4 * i - 1), b: p0.b.map((_, j) => 0.5 - 0.5 * j) }
  const chains = 200
  const n = persistentChains(e, { chains })
  const phase = negativePhase(e, n, 10, { backend: 'native' })
  let state = initNegatives(n, V, 1, 10)
  const sums = new Float64Array(chains * V)
  const burn = 20
  const steps = 120
  for (let k = 0; k < steps; k++) {
    const d = await phase.draw(state, new Float64Array(10 * V), p, { seed: 1, step: k })
    const chainsV = (d.state.buffer as Float64Array).filter((_, k) => k % (V + H) < V)
    if (k % 40 === 0) t.same([...d.negatives], [...chainsV], `step ${k}: the negatives are the chains' v`)
    state = d.state
    if (k >= burn) for (let i = 0; i < chains * V; i++) sums[i] += d.negatives[i]
  }
  const want = exactVisibleMeans(p, V, H)
  for (let i = 0; i < V; i++) {
    // Chains are independent: the spread of their own means gives the standard error of the overall mean.
    const perChain = Array.from({ length: chains }, (_, c) => sums[c * V + i] / (steps - burn))
    const m = perChain.reduce((a, b) => a + b) / chains
    const se = Math.sqrt(perChain.reduce((s, x) => s + (x - m) ** 2, 0) / (chains - 1) / chains)
    t.ok(Math.abs(m - want[i]) < 4 * se, `E[v${i}]: ${m} vs ${want[i]} (standard error ${se})`)
  }
})

t.test('CD-1 on bars and stripes raises the exact log-likelihood of the data by nats', async (t) => {
  const X = barsAndStripes({ size: 3 })
  const e = bernoulli({ visible: 9, hidden: 8, seed: 2, std: 0.1 })
  const logLikelihood = (p: Readonly<Record<string, Float64Array>>) => -mean(energyAt(e, X, p)) - logZ(e, p)
  const before = logLikelihood(init(e))
  const r = await fit(e, X, { objective: contrastive(), negatives: contrastiveDivergence(e, { k: 1 }), optimizer: sgd({ lr: 0.1 }), batchSize: 7, steps: 2000, seed: 3, params: init(e), backend: 'native' })
  const after = logLikelihood(r.params)
  // The uniform model gives −9 log 2 = −6.24; the 14 images equally likely would give −log 14 = −2.64.
  t.ok(after > before + 2, `${before} → ${after}`)
})
