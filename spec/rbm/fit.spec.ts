import t from 'tap'
import { nativeAddon } from '../../src/backend/index.js'
import { init } from '../../src/energy/index.js'
import { contrastive, fit as trainFit, sgd } from '../../src/train/index.js'
import { bernoulli, fit, persistentChains, pseudoLikelihood } from '../../src/rbm/index.js'
import { scaledDigits } from './digits.js'

const mean = (x: Float64Array): number => x.reduce((a, b) => a + b, 0) / x.length
const addon = nativeAddon().addon
const X = scaledDigits()

t.test('the native epoch is the reference epoch bit for bit (PCD-2 with 5 chains, CD-3; batches of 7, the last one shorter)', { skip: addon === undefined && 'no addon' }, async (t) => {
  const e = bernoulli({ visible: 64, hidden: 12, seed: 3 })
  const rows = X.subarray(0, 64 * 103)
  for (const o of [{ method: 'pcd' as const, k: 2, chains: 5 }, { method: 'cd' as const, k: 3 }]) {
    const common = { epochs: 3, batchSize: 7, learningRate: 0.07, seed: 11, ...o }
    const n = fit(e, rows, { ...common, backend: 'native' })
    const r = fit(e, rows, { ...common, backend: 'reference' })
    t.equal(n.backend, 'native')
    t.same(n.params, r.params, `${o.method}: W, a, b`)
    t.same(n.chains, r.chains, `${o.method}: the chains`)
    t.same(n.epochs, r.epochs, `${o.method}: the per-epoch gaps`)
    t.not(n.params.W[0], init(e).W[0], 'and training moved W')
  }
})

t.test("on scikit-learn's configuration (64 hidden, lr 0.1, batch 10, 7 epochs of PCD-1) the fused fit reaches the generic train.fit path's PLL: both in the issue's −21 ± 1.5, within 1.5 of each other", async (t) => {
  const e = bernoulli({ visible: 64, hidden: 64, seed: 9 })
  const fused = fit(e, X, { epochs: 7, seed: 1 })
  const steps = 7 * Math.floor(1797 / 10)
  const generic = await trainFit(e, X, { objective: contrastive(), negatives: persistentChains(e), optimizer: sgd({ lr: 0.1 }), batchSize: 10, steps, seed: 1, params: init(e), backend: 'auto' })
  const a = mean(pseudoLikelihood(e, fused.params, X, { seed: 2 }))
  const b = mean(pseudoLikelihood(e, generic.params, X, { seed: 2 }))
  t.ok(Math.abs(a - -21) < 1.5, `fused PLL ${a}`)
  t.ok(Math.abs(b - -21) < 1.5, `generic PLL ${b}`)
  t.ok(Math.abs(a - b) < 1.5, `difference ${a - b}`)
  t.ok(fused.epochs[6].gap < fused.epochs[0].gap, 'the visible gap shrinks')
})

t.test('bad input: a clear error from rbm.fit', async (t) => {
  const e = bernoulli({ visible: 2, hidden: 2 })
  t.throws(() => fit(e, [0.5, 1.5], { epochs: 1, seed: 1 }), { name: 'RangeError', message: 'rbm.fit: data[1]: expected a value in [0, 1], got 1.5' })
  t.throws(() => fit(e, [0.5, 0.5, 1], { epochs: 1, seed: 1 }), { name: 'RangeError', message: 'rbm.fit: data: expected a multiple of 2 values (rows of 2 visible units), got 3' })
  t.throws(() => fit(e, [0, 1], { epochs: 1, seed: 1, method: 'gd' as never }), { message: 'rbm.fit: method: expected one of "pcd", "cd", got "gd"' })
  t.throws(() => fit(e, [0, 1], { epochs: 1, seed: 1, method: 'cd', chains: 4 }), { name: 'RangeError', message: /rbm.fit: chains: expected no chains with method 'cd'/ })
  t.throws(() => fit(e, [0, 1], { epochs: 1, seed: 1, params: { W: new Float64Array(3), a: new Float64Array(2), b: new Float64Array(2) } }), { name: 'RangeError', message: /rbm.fit: params.W: expected a Float64Array of 4 values/ })
  t.throws(() => fit(e, [0, 1], { epochs: -1, seed: 1 }), { name: 'RangeError', message: /rbm.fit: epochs/ })
})

t.test('bad input: the native call throws, never crashes', { skip: addon === undefined && 'no addon' }, async (t) => {
  const f = addon!
  const config = (over: Record<number, number> = {}) => {
    const c = Float64Array.of(2, 2, 1, 2, 2, 1, 1, 0.1, 1, 1)
    for (const [i, v] of Object.entries(over)) c[Number(i)] = v
    return c
  }
  const ok = () => ({ data: Float64Array.of(1, 0, 0, 1), W: new Float64Array(2), a: new Float64Array(2), b: new Float64Array(1), chains: new Float64Array(2), order: Uint32Array.of(1, 0), stats: new Float64Array(1) })
  const call = (c: Float64Array, x: ReturnType<typeof ok>) => () => f.rbmFit(c, x.data, x.W, x.a, x.b, x.chains, x.order, x.stats)
  t.doesNotThrow(call(config(), ok()))
  t.throws(call(config({ 1: 0 }), ok()), { name: 'RangeError', message: /rbmFit: config/ })
  t.throws(call(config({ 7: NaN }), ok()), { name: 'RangeError', message: /rbmFit: config/ })
  t.throws(call(config({ 1: 2 ** 30, 2: 2 ** 30 }), ok()), { name: 'RangeError', message: /rbmFit: config/ })
  t.throws(call(config({ 1: 32, 3: 2 ** 24 }), ok()), { name: 'RangeError', message: /rbmFit: config: expected max\(batch, chains\)/ })
  t.throws(call(config(), { ...ok(), W: new Float64Array(3) }), { name: 'RangeError', message: 'rbmFit: W: expected 2 numbers, got 3' })
  t.throws(call(config(), { ...ok(), chains: new Float64Array(0) }), { name: 'RangeError', message: 'rbmFit: chains: expected 2 numbers, got 0' })
  t.throws(call(config(), { ...ok(), a: new Float32Array(2) as never }), { name: 'TypeError', message: 'rbmFit: a: expected a Float64Array' })
  t.throws(call(config(), { ...ok(), order: Uint32Array.of(0) }), { name: 'RangeError', message: /rbmFit: order: expected epochs × N indices/ })
  t.throws(call(config(), { ...ok(), data: Float64Array.of(1, NaN, 0, 1) }), { name: 'RangeError', message: /rbmFit: data: expected numbers in \[0, 1\]/ })
  t.throws(() => (f.rbmFit as unknown as (...a: unknown[]) => void)(config()), { name: 'TypeError', message: /rbmFit: expected 8 arguments/ })
  t.doesNotThrow(call(config({ 4: 0, 6: 0 }), { ...ok(), chains: new Float64Array(0) }), 'CD takes no chains')
})
