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
    const n = await fit(e, rows, { ...common, backend: 'native' })
    const r = await fit(e, rows, { ...common, backend: 'reference' })
    t.equal(n.backend, 'native')
    t.same(n.params, r.params, `${o.method}: W, a, b`)
    t.same(n.chains, r.chains, `${o.method}: the chains`)
    t.same(n.epochs, r.epochs, `${o.method}: the per-epoch gaps`)
    t.not(n.params.W[0], init(e).W[0], 'and training moved W')
  }
  // Widths that leave every remainder of the native blocks (32 and 4 lanes, 4 × 4 transposes): 13 visible, 70 hidden.
  const odd = bernoulli({ visible: 13, hidden: 70, seed: 5 })
  const common = { epochs: 2, batchSize: 6, learningRate: 0.09, seed: 4, method: 'pcd' as const, chains: 3 }
  const n = await fit(odd, X.subarray(0, 13 * 40), { ...common, backend: 'native' })
  const r = await fit(odd, X.subarray(0, 13 * 40), { ...common, backend: 'reference' })
  t.same([n.params, n.chains, n.epochs], [r.params, r.chains, r.epochs], '13 × 70: W, a, b, the chains and the gaps')
})

t.test("on scikit-learn's configuration (64 hidden, lr 0.1, batch 10, 7 epochs of PCD-1) the fused fit reaches the generic train.fit path's PLL: both in the issue's −21 ± 1.5, within 1.5 of each other", async (t) => {
  const e = bernoulli({ visible: 64, hidden: 64, seed: 9 })
  const fused = await fit(e, X, { epochs: 7, seed: 1 })
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
  await t.rejects(fit(e, [0.5, 1.5], { epochs: 1, seed: 1 }), { name: 'RangeError', message: 'rbm.fit: data[1]: expected a value in [0, 1], got 1.5' })
  await t.rejects(fit(e, [0.5, 0.5, 1], { epochs: 1, seed: 1 }), { name: 'RangeError', message: 'rbm.fit: data: expected a multiple of 2 values (rows of 2 visible units), got 3' })
  await t.rejects(fit(e, [0, 1], { epochs: 1, seed: 1, method: 'gd' as never }), { message: 'rbm.fit: method: expected one of "pcd", "cd", got "gd"' })
  await t.rejects(fit(e, [0, 1], { epochs: 1, seed: 1, method: 'cd', chains: 4 }), { name: 'RangeError', message: /rbm.fit: chains: expected no chains with method 'cd'/ })
  await t.rejects(fit(e, [0, 1], { epochs: 1, seed: 1, params: { W: new Float64Array(3), a: new Float64Array(2), b: new Float64Array(2) } }), { name: 'RangeError', message: /rbm.fit: params.W: expected a Float64Array of 4 values/ })
  await t.rejects(fit(e, [0, 1], { epochs: -1, seed: 1 }), { name: 'RangeError', message: /rbm.fit: epochs/ })
})

t.test('bad input: the native call throws at once, never crashes', { skip: addon === undefined && 'no addon' }, async (t) => {
  const f = addon!
  const config = (over: Record<number, number> = {}) => {
    const c = Float64Array.of(2, 2, 1, 2, 2, 1, 1, 0.1, 1, 1)
    for (const [i, v] of Object.entries(over)) c[Number(i)] = v
    return c
  }
  const ok = () => ({ data: Float64Array.of(1, 0, 0, 1), W: new Float64Array(2), a: new Float64Array(2), b: new Float64Array(1), chains: new Float64Array(2), stats: new Float64Array(1), cancel: new Int32Array(1) })
  const call = (c: Float64Array, x: ReturnType<typeof ok>) => () => f.rbmFit(c, x.data, x.W, x.a, x.b, x.chains, x.stats, x.cancel)
  await t.resolves(call(config(), ok())())
  t.throws(call(config({ 1: 0 }), ok()), { name: 'RangeError', message: /rbmFit: config/ })
  t.throws(call(config({ 7: NaN }), ok()), { name: 'RangeError', message: /rbmFit: config/ })
  t.throws(call(config({ 1: 2 ** 30, 2: 2 ** 30 }), ok()), { name: 'RangeError', message: /rbmFit: config/ })
  t.throws(call(config({ 1: 32, 3: 2 ** 24 }), ok()), { name: 'RangeError', message: /rbmFit: config: expected max\(batch, chains\)/ })
  t.throws(call(config(), { ...ok(), W: new Float64Array(3) }), { name: 'RangeError', message: 'rbmFit: W: expected 2 numbers, got 3' })
  t.throws(call(config(), { ...ok(), chains: new Float64Array(0) }), { name: 'RangeError', message: 'rbmFit: chains: expected 2 numbers, got 0' })
  t.throws(call(config(), { ...ok(), a: new Float32Array(2) as never }), { name: 'TypeError', message: 'rbmFit: a: expected a Float64Array' })
  t.throws(call(config(), { ...ok(), cancel: new Float64Array(1) as never }), { name: 'TypeError', message: 'rbmFit: cancel: expected an Int32Array' })
  t.throws(call(config(), { ...ok(), cancel: new Int32Array(0) }), { name: 'RangeError', message: 'rbmFit: cancel: expected 1 numbers, got 0' })
  t.throws(call(config(), { ...ok(), data: Float64Array.of(1, NaN, 0, 1) }), { name: 'RangeError', message: /rbmFit: data: expected numbers in \[0, 1\]/ })
  t.throws(() => (f.rbmFit as unknown as (...a: unknown[]) => void)(config()), { name: 'TypeError', message: /rbmFit: expected 8 or 9 arguments/ })
  const x = ok()
  t.throws(() => (f.rbmFit as unknown as (...a: unknown[]) => void)(config(), x.data, x.W, x.a, x.b, x.chains, x.stats, x.cancel, 3), { name: 'TypeError', message: 'rbmFit: onEpoch: expected a function or undefined' })
  await t.resolves(call(config({ 4: 0, 6: 0 }), { ...ok(), chains: new Float64Array(0) })(), 'CD takes no chains')
})

t.test('rbm.fit runs on the worker thread: onEpoch sees every epoch in order, and the main thread stays free meanwhile', { skip: addon === undefined && 'no addon' }, async (t) => {
  const e = bernoulli({ visible: 64, hidden: 16, seed: 4 })
  const seen: [number, number][] = []
  let ticks = 0
  const tick = setInterval(() => ticks++, 0)
  const r = await fit(e, X, { epochs: 40, seed: 2, onEpoch: (epoch, { gap }) => seen.push([epoch, gap]) })
  clearInterval(tick)
  t.same(seen, r.epochs.map((x, i) => [i, x.gap]), 'one call per epoch, in order, with its record')
  t.ok(ticks > 0, `the event loop turned ${ticks} times during the fit`)
})

t.test('aborting stops a fit between minibatches and rejects with an AbortError; the parameters passed in are untouched', async (t) => {
  const e = bernoulli({ visible: 64, hidden: 16, seed: 4 })
  const params = init(e)
  const W = params.W.slice()
  if (addon !== undefined) {
    // One epoch of 20 copies of the digits (3,600 minibatches): the abort lands inside it.
    const big = new Float64Array(20 * X.length)
    for (let i = 0; i < 20; i++) big.set(X, i * X.length)
    const controller = new AbortController()
    const run = fit(e, big, { epochs: 1, seed: 1, params, signal: controller.signal })
    queueMicrotask(() => controller.abort())
    await t.rejects(run, { name: 'AbortError', message: 'rbm.fit: aborted after 0 epochs' })
    // Aborted from onEpoch: the fit stops at the next minibatch, long before its 10,000 epochs.
    const stop = new AbortController()
    let last = -1
    await t.rejects(fit(e, X, { epochs: 10_000, seed: 1, params, signal: stop.signal, onEpoch: (epoch) => ((last = epoch), epoch === 2 && stop.abort()) }), { name: 'AbortError', message: /^rbm\.fit: aborted after \d+ epochs$/ })
    t.ok(last >= 2 && last < 10_000, `the last epoch reported: ${last}`)
    // An error thrown by onEpoch stops the fit too, and is the one rejected with.
    await t.rejects(fit(e, X, { epochs: 10_000, seed: 1, onEpoch: () => { throw new Error('mine') } }), { message: 'mine' })
  }
  const reference = new AbortController()
  await t.rejects(fit(e, X.subarray(0, 64 * 50), { epochs: 1000, seed: 1, params, backend: 'reference', signal: reference.signal, onEpoch: (epoch) => epoch === 1 && reference.abort() }), { name: 'AbortError', message: 'rbm.fit: aborted after 2 epochs' })
  await t.rejects(fit(e, X, { epochs: 1, seed: 1, signal: AbortSignal.abort() }), { name: 'AbortError', message: 'rbm.fit: aborted after 0 epochs' })
  t.same(params.W, W, 'params.W as it was')
})
