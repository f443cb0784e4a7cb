/**
 * `train.fit`: bad input refused before any work, minibatches that visit every point once per epoch,
 * the record interval, determinism (the same seed and data give the same bits, on any thread count), and a
 * run that stops at the first non-finite loss term or parameter with an error naming the step and term.
 */
import t from 'tap'
import { nativeAddon } from '../../src/backend/index.js'
import * as energy from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import * as sampler from '../../src/sampler/index.js'
import * as train from '../../src/train/index.js'
import { quadratic } from './fixtures.js'

const e = quadratic([0, 0])
const data = Array.from({ length: 40 }, (_v, i) => Math.sin(i * 0.9) * 2)
const pcd = train.persistent({ kernel: sampler.ula({ stepSize: 0.05 }), steps: 3, init: { kind: 'uniform', low: -3, high: 3 }, bufferSize: 64 })
const ok: train.FitOptions = { objective: train.contrastive(), negatives: pcd, optimizer: train.sgd({ lr: 0.1 }), batchSize: 8, steps: 3, seed: 1, backend: 'reference' }

t.test('fit refuses bad input before any work, with errors that name it', async (t) => {
  const refuses = (d: unknown, o: unknown, message: string | RegExp, name = 'RangeError') => t.rejects(train.fit(e, d as number[], o as train.FitOptions), { name, message }, String(message))
  await refuses([1, 2, 3], ok, "train.fit: data: expected row-major rows of 2 numbers (energy 'quadratic' takes shape [2]), got an array of length 3")
  await refuses([...data.slice(0, 5), NaN, ...data.slice(6)], ok, 'train.fit: data[5]: expected a finite number, got NaN')
  await refuses('data', ok, 'train.fit: data: expected an array or typed array of numbers, got "data"', 'TypeError')
  await refuses(data.slice(0, 10), ok, 'train.fit: batchSize: expected at most the 5 rows of data, got 8')
  await refuses(data, { ...ok, negatives: train.persistent({ kernel: sampler.ula({ stepSize: 0.1 }), steps: 1, init: { kind: 'normal', std: 1 }, bufferSize: 4 }) }, 'train.fit: negatives.bufferSize: expected at least the 8 chains of a batch, got 4')
  await t.rejects(train.fit(e, data, { ...ok, optimizer: { kind: 'sgd', lr: 0, clipNorm: null, weightDecay: 0 } as unknown as train.Optimizer }), { message: 'train.sgd: lr: expected a positive number, got 0' })
  await refuses(data, { ...ok, optimizer: train.adam({ lr: 0.1 }), stepz: 3 }, /train.fit: options: unknown option 'stepz'/)
  await refuses(data, { ...ok, negatives: undefined }, /train.fit: negatives: expected negatives \(train.shortRun, .*\) for the contrastive objective, got undefined/, 'TypeError')
  await refuses(data, { ...ok, objective: train.scoreMatching({ kind: 'exact' }) }, /train.fit: negatives: expected none: the scoreMatching objective takes no negatives/)
  await refuses(data, { ...ok, steps: -1 }, 'train.fit: steps: expected an integer ≥ 0, got -1')
  await refuses(data, { ...ok, seed: 1.5 }, 'train.fit: seed: expected an integer in [0, 2^53), got 1.5')
  await refuses(data, { ...ok, recordEvery: 0 }, 'train.fit: recordEvery: expected an integer ≥ 1, got 0')
  await refuses(data, { ...ok, backend: 'gpu' }, 'train.fit: backend: expected one of "auto", "native", "reference", got "gpu"')
  await refuses(data, { ...ok, dtype: 'float32' }, "train.fit: dtype: expected 'float64' on the reference backend, got \"float32\"")
  await refuses(data, { ...ok, threads: 0 }, 'train.fit: threads: expected an integer in [1, 1024], got 0')
  await refuses(data, { ...ok, params: { theta: [1] } }, 'train.fit: params.theta: has 1 value; shape [2] need 2')
  await refuses(data, { ...ok, params: { mu: [1, 2] } }, /train.fit: params: expected parameters of energy 'quadratic' \(theta\), got "mu"/)
  await refuses(data, { ...ok, objective: { kind: 'mle' } }, /train.fit: objective: expected an objective/, 'TypeError')
  await t.rejects(train.fit({} as energy.Energy, data, ok), { name: 'TypeError', message: /train.fit: energy: expected an Energy value/ })
})

t.test('every epoch visits every data point once, in an order that changes with the epoch', async (t) => {
  // With θ = 0 held (a learning rate too small to move it), mean E⁺ of a batch is the mean of ½‖x‖² over its rows.
  const n = 20
  const rows = Array.from({ length: n * 2 }, (_v, i) => (i % 2 === 0 ? Math.sqrt(2 * (i / 2 + 1)) : 0)) // ½‖xᵢ‖² = i + 1
  const { records } = await train.fit(e, rows, { ...ok, objective: train.scoreMatching({ kind: 'exact' }), negatives: undefined, optimizer: train.sgd({ lr: 1e-300 }), batchSize: 5, steps: 12 })
  const sums = (epoch: number) => records.slice(epoch * 4, epoch * 4 + 4).map((r) => r.meanPositiveEnergy * 5)
  for (const epoch of [0, 1, 2]) t.equal(Math.round(sums(epoch).reduce((a, b) => a + b)), (n * (n + 1)) / 2, `epoch ${epoch} sums ½‖x‖² over every point once`)
  t.notSame(sums(0), sums(1), 'the order differs between epochs')
})

t.test('records are kept every recordEvery steps and at the last, with their wall time', async (t) => {
  const { records, state } = await train.fit(e, data, { ...ok, steps: 7, recordEvery: 3 })
  t.same(records.map((r) => r.step), [0, 3, 6])
  t.equal(state.step, 7)
  t.ok(records.every((r) => r.wallTime >= 0 && r.buffer?.size === 64 && r.sampler !== null))
  t.same(Object.keys(records[0].terms), ['contrastive'])
  const none = await train.fit(e, data, { ...ok, steps: 0 })
  t.same(none.records, [])
  t.same([...none.params.theta], [0, 0])
})

t.test('the same seed and data give the same bits; another seed gives others', async (t) => {
  const strip = (r: train.FitResult) => ({ params: r.params, buffer: r.state.negatives.buffer, records: r.records.map(({ wallTime: _w, ...rest }) => rest) })
  const a = strip(await train.fit(e, data, ok))
  const b = strip(await train.fit(e, Float64Array.from(data), ok))
  t.same(a, b)
  t.notSame(strip(await train.fit(e, data, { ...ok, seed: 2 })).params, a.params)
})

t.test('native runs give the same bits on one thread and on two', { skip: nativeAddon().addon === undefined ? 'the native addon is not built' : false }, async (t) => {
  const mlp = energy.mlp({ widths: [2, 16, 16, 1], seed: 4 })
  const o: train.FitOptions = { ...ok, objective: train.contrastive({ gradientPenalty: 0.1 }), optimizer: train.adam({ lr: 0.01 }), backend: 'native', batchSize: 16, steps: 4 }
  const one = await train.fit(mlp, data, { ...o, threads: 1 })
  const two = await train.fit(mlp, data, { ...o, threads: 2 })
  t.same(two.params, one.params)
  t.same(two.records.map((r) => r.loss), one.records.map((r) => r.loss))
})

t.test('a non-finite loss term or parameter stops the run with an error naming the step and the term', async (t) => {
  // E = ½‖x − θ‖² + √x₀: its score is NaN for x₀ < 0 (the data of step 0 include some).
  const rooted = energy.define({
    name: 'rooted',
    shape: [2],
    params: { theta: { shape: [2], init: { kind: 'zeros' } } },
    build: (x, p) => ir.add(ir.mul(ir.sum(ir.square(ir.sub(x, p.theta)), 1), 0.5), ir.sqrt(ir.reshape(ir.slice(x, 1, 0, 1), [x.shape[0]]))),
  })
  await t.rejects(train.fit(rooted, data, { ...ok, objective: train.scoreMatching({ kind: 'exact' }), negatives: undefined }), { name: 'RangeError', message: "train: step 0, loss term 'scoreMatching': expected a finite number, got NaN" })
  await t.rejects(train.fit(e, data, { ...ok, optimizer: train.sgd({ lr: 1e308 }), negatives: train.drawn({ draw: ({ count }) => new Float64Array(2 * count).fill(-1e10) }) }), { message: /^train: step 0, parameter 'theta'\[0\]: expected a finite number, got -?Infinity$/ })
})

t.test('aborting stops the run between steps', async (t) => {
  const controller = new AbortController()
  controller.abort()
  await t.rejects(train.fit(e, data, { ...ok, signal: controller.signal }), { name: 'AbortError', message: 'train.fit: aborted after 0 steps' })
})
