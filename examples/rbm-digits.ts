/**
 * An RBM on the 8 × 8 digits: scikit-learn's configuration (grey levels scaled to [0, 1], 64 hidden units,
 * learning rate 0.1, batches of 10, PCD-1 as BernoulliRBM runs it, 7 epochs) through train.fit, scored by
 * scikit-learn's pseudo-log-likelihood and the reconstruction error; then an RBM of 20 hidden units on
 * the binarized digits, whose log Z is known exactly (2²⁰ hidden states) and estimated by AIS; and
 * samples drawn by block Gibbs, printed as a grid.
 *
 * Run: npm run example examples/rbm-digits.ts   (HEATBATH_EXAMPLE_QUICK=1: fewer AIS steps)
 */
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { data, energy, rbm, train } from '../src/index.js'

const quick = process.env.HEATBATH_EXAMPLE_QUICK === '1'
const lines = gunzipSync(readFileSync(new URL('../spec/fixtures/digits/digits.csv.gz', import.meta.url))).toString('utf8').trim().split('\n')
const grey = Float64Array.from(lines.flatMap((l) => l.split(',').slice(0, 64).map(Number)))
const scaled = grey.map((x) => x / 16)
const binary = grey.map((x) => (x > 8 ? 1 : 0))
const mean = (x: Float64Array) => x.reduce((a, b) => a + b, 0) / x.length
const epoch = Math.floor(lines.length / 10)

// 1. scikit-learn's test.
const e = rbm.bernoulli({ visible: 64, hidden: 64, seed: 9 })
const started = performance.now()
const fitted = await train.fit(e, scaled, { objective: train.contrastive(), negatives: rbm.persistentChains(e), optimizer: train.sgd({ lr: 0.1 }), batchSize: 10, steps: 7 * epoch, seed: 1, params: energy.init(e), backend: 'auto' })
const seconds = (performance.now() - started) / 1000
/** The printed numbers. */
export const results = {
  pll: mean(rbm.pseudoLikelihood(e, fitted.params, scaled, { seed: 2 })),
  reconstruction: mean(rbm.reconstructionError(e, fitted.params, scaled)),
  logZ: 0,
  ais: { logZ: 0, standardError: 0 },
}
console.log(`64 hidden, 7 epochs of PCD-1 in ${seconds.toFixed(1)} s: mean pseudo-log-likelihood ${results.pll.toFixed(2)} (scikit-learn's test: −21 ± 1.5), reconstruction error ${results.reconstruction.toFixed(2)}`)

// 2. Exact log Z against AIS on 20 hidden units.
const small = rbm.bernoulli({ visible: 64, hidden: 20, seed: 3 })
const trained = await train.fit(small, binary, { objective: train.contrastive(), negatives: rbm.persistentChains(small), optimizer: train.sgd({ lr: 0.05 }), batchSize: 10, steps: 10 * epoch, seed: 1, params: energy.init(small), backend: 'auto' })
results.logZ = rbm.logZ(small, trained.params)
const steps = quick ? 300 : 3000
results.ais = rbm.ais(small, trained.params, { data: binary, steps, runs: 100, seed: 5 })
const logLikelihood = -mean(energy.energyAt(small, binary, trained.params)) - results.logZ
console.log(`20 hidden, binarized digits: exact log Z ${results.logZ.toFixed(3)}, AIS (${steps} steps, 100 runs) ${results.ais.logZ.toFixed(3)} ± ${results.ais.standardError.toFixed(3)}; mean log-likelihood ${logLikelihood.toFixed(2)} nats`)

// 3. Samples: 20 chains of 1,000 Gibbs steps from the 64-hidden RBM.
const samples = await rbm.sampleVisible(e, fitted.params, { chains: 20, steps: quick ? 100 : 1000, seed: 4 })
console.log('\nsamples of the 64-hidden RBM:')
console.log(data.textImages(samples, { width: 8, height: 8, columns: 10 }))
