import { from, lastValueFrom, map, type OperatorFunction, take, toArray } from 'rxjs'
import t from 'tap'
import * as backend from '../../src/backend/index.js'
import { data, diagnostics, energy, sampler, stream, train } from '../../src/index.js'

const D = 3
const mlp = energy.mlp({ widths: [D, 16, 16, 1], activation: 'silu', seed: 2 })
const params = energy.init(mlp)
const points = data.sensors({ n: 70, dimension: D, seed: 5 }).records
const rowsOf = (x: Float64Array, d = D) => Array.from({ length: x.length / d }, (_v, i) => Array.from(x.subarray(i * d, (i + 1) * d)))
const built = backend.nativeAddon().addon !== undefined

t.test('stream.score gives each record the bits of diagnostics.anomalyScores, however the records are batched', async (t) => {
  const want = diagnostics.anomalyScores(mlp, points, params, { backend: 'reference' }).score
  for (const batchSize of [1, 7, 256]) {
    const out = await lastValueFrom(from(rowsOf(points)).pipe(stream.score(mlp, params, { backend: 'reference', batchSize }), toArray()))
    t.same(out.map((r) => r.score), [...want], `batches of at most ${batchSize}`)
    t.same(out.map((r) => r.index), want.map((_v, i) => i), 'indices in order')
  }
})

t.test('the native executor scores as the reference does, to 1e-9 relative', { skip: !built && 'the addon is not built' }, async (t) => {
  const reference = diagnostics.anomalyScores(mlp, points, params, { backend: 'reference' }).score
  const native = diagnostics.anomalyScores(mlp, points, params, { backend: 'native' }).score
  const worst = Math.max(...native.map((v, i) => Math.abs(v - reference[i]) / Math.max(1, Math.abs(reference[i]))))
  t.ok(worst < 1e-9, `largest relative difference ${worst}`)
})

t.test("dtype 'float32' scores in single precision: float32 values within 1e-4 relative of float64's, on either executor", async (t) => {
  const want = diagnostics.anomalyScores(mlp, points, params, { backend: 'reference' }).score
  for (const backend of built ? (['reference', 'native'] as const) : (['reference'] as const)) {
    const out = await lastValueFrom(from(rowsOf(points)).pipe(stream.score(mlp, params, { backend, dtype: 'float32', batchSize: 16 }), toArray()))
    const got = out.map((r) => r.score)
    t.ok(got.every((v) => Math.fround(v) === v), `${backend}: every score a float32 value`)
    t.ok(got.some((v, i) => v !== want[i]), `${backend}: not float64's bits`)
    const worst = Math.max(...got.map((v, i) => Math.abs(v - want[i]) / Math.max(1, Math.abs(want[i]))))
    t.ok(worst < 1e-4, `${backend}: largest relative difference ${worst}`)
  }
  t.throws(() => stream.score(mlp, params, { dtype: 'float16' as never }), { name: 'RangeError', message: /^stream\.score: dtype: expected one of "float64", "float32", got "float16"/ })
})

t.test("a classifier's energy gets JEM's scores: log p(x) = −E(x) up to its constant, and ‖∇ₓ log p(x)‖ by finite differences", async (t) => {
  const jem = energy.classifier(energy.network({ widths: [D, 12, 4], activation: 'tanh', seed: 1 }))
  const p = energy.init(jem)
  const out = await lastValueFrom(from(rowsOf(points.subarray(0, 10 * D))).pipe(stream.score(jem, p, { backend: 'reference' }), toArray()))
  const h = 1e-5
  for (const r of out.slice(0, 5)) {
    const E = (x: number[]) => energy.energyAt(jem, [x], p, { backend: 'reference' })[0]
    t.equal(r.logDensity, -r.score, `record ${r.index}: log p = −E`)
    const g = Array.from(r.x, (_v, d) => {
      const up = Array.from(r.x)
      const down = Array.from(r.x)
      up[d] += h
      down[d] -= h
      return (E(up) - E(down)) / (2 * h)
    })
    t.ok(Math.abs((r.gradientNorm as number) - Math.hypot(...g)) < 1e-6, `record ${r.index}: ‖∇E‖ ${r.gradientNorm} against ${Math.hypot(...g)}`)
  }
})

t.test('stream.score reads the current parameters at each batch when given a function', async (t) => {
  const quadratic = energy.quadratic({ center: [0] })
  let theta = 0
  const out = await lastValueFrom(from([[1], [1], [1]]).pipe(stream.score(quadratic, () => ({ theta: new Float64Array([theta++]) }), { backend: 'reference', batchSize: 1 }), toArray()))
  t.same(out.map((r) => r.score), [0.5, 0, 0.5], '½(1 − θ)² for θ = 0, 1, 2')
})

const learner = train.online(energy.quadratic({ center: [0, 0] }), { objective: train.scoreMatching({ kind: 'exact' }), optimizer: train.sgd({ lr: sampler.geometric(0.5, 0.1, 5) }), batchSize: 3, seed: 4, backend: 'reference' })
const records = rowsOf(data.sensors({ n: 40, dimension: 2, seed: 6 }).records.map((v) => v * 0.5), 2).map((x, i) => ({ x, label: (i % 10 === 9 ? 1 : 0) as 0 | 1 }))

t.test('prequential scores each record with the model before it learns it (test, then train)', async (t) => {
  const out = await lastValueFrom(from(records).pipe(stream.prequential(learner), toArray()))
  let state = learner.init()
  for (const [i, r] of out.entries()) {
    t.equal(r.score, learner.scoreOne(state, records[i].x), `record ${i}`)
    state = r.state
  }
  t.equal(out.filter((r) => r.update !== null).length, 13, 'an update every 3 records')
  t.same(out.map((r) => r.label), records.map((r) => r.label), 'labels carried')
})

t.test('prequential makes the learner react to a drift before it learns the record the drift came at', async (t) => {
  // A detector that signals at record 10, whatever the scores.
  const at10: OperatorFunction<stream.Scored, stream.DriftEvent> = (s) =>
    s.pipe(
      take(11),
      map((r) => ({ detector: 'pageHinkley' as const, statistic: r.score, threshold: 0, direction: 'up' as const, index: r.index })),
      (o) => o.pipe(toArray(), map((all) => all[10])),
    )
  const out = await lastValueFrom(from(records).pipe(stream.prequential(learner, { drift: at10 }), toArray()))
  t.same(out.map((r) => r.drift?.index ?? null), records.map((_r, i) => (i === 10 ? 10 : null)))
  t.same(out.map((r) => r.state.drifts), records.map((_r, i) => (i < 10 ? 0 : 1)))
  const [reacted] = await learner.learnOne(learner.drift(out[9].state), records[10].x)
  t.same(out[10].state, reacted, 'the state after record 10 is that of learning it after the reaction')
})

t.test('prequential pulls a pullable source and loses nothing, and stops when unsubscribed', async (t) => {
  const out = await lastValueFrom(stream.pullBatches(records).pipe(stream.prequential(learner, { highWaterMark: 2 }), toArray()))
  t.equal(out.length, records.length, 'every record, through a queue of 2')
  const first = await lastValueFrom(from(records).pipe(stream.prequential(learner), take(5), toArray()))
  t.equal(first.length, 5)
})
