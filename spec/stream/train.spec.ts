/**
 * `stream.train`: one step per batch, in order, with the records `train.fit` gives for the same batches;
 * the record interval; unsubscribing stops between steps and cancels a running sampler; the queue's
 * bound (a pushing source errors at it or is buffered, a pulled one is paused); errors that name the step
 * or the batch.
 */
import { performance } from 'node:perf_hooks'
import { concatMap, delay, from, lastValueFrom, Observable, of, take, tap as peek, toArray } from 'rxjs'
import t from 'tap'
import { nativeAddon } from '../../src/backend/index.js'
import * as energy from '../../src/energy/index.js'
import * as sampler from '../../src/sampler/index.js'
import { type Batch, pullBatches, type StreamTrainOptions, train } from '../../src/stream/index.js'
import * as trainNs from '../../src/train/index.js'
import { bits } from '../train/fixtures.js'
import { B, collect, D, data, fitBatches, mlp, pcd, withoutExtras } from './training.js'

const native = nativeAddon().addon !== undefined

t.test('the records are train.fit\'s for the same batches and seed, bit for bit, and so is the final state', async (t) => {
  const steps = 12
  const fitted = await trainNs.fit(mlp(), data, { ...pcd, steps })
  const records = await collect(pullBatches(fitBatches(pcd.seed, steps)), pcd)
  t.equal(bits(withoutExtras(records)), bits(withoutExtras(fitted.records)))
  t.equal(bits(records[steps - 1].state), bits(fitted.state))
  t.equal(records[steps - 1].params, records[steps - 1].state.params, 'the record\'s params are the state\'s')
  t.ok(records.every((r) => r.wallTime >= 0))
})

t.test('batches are trained on in the order they arrive, however irregularly they come', async (t) => {
  const batches = fitBatches(2, 6)
  // A pushing source whose gaps vary from 0 to 15 ms, so that batches sometimes wait and sometimes not.
  const irregular = from(batches).pipe(concatMap((b, i) => of(b).pipe(delay((i * 7) % 16))))
  const o = { ...pcd, seed: 2 }
  const records = await collect(irregular, o)
  const t0 = trainNs.trainer(mlp(), { objective: o.objective, negatives: o.negatives, optimizer: o.optimizer, batchSize: B, backend: 'reference' })
  let state = t0.init(batches[0], energy.init(mlp()), 2)
  const want: trainNs.StepRecord[] = []
  for (const [k, batch] of batches.entries()) {
    const [next, record] = await t0.step(state, batch, { seed: 2, step: k })
    want.push(record)
    state = next
  }
  t.equal(bits(withoutExtras(records)), bits(want), 'step k trained on the k-th batch')
  const reversed = await collect(from([...batches].reverse()).pipe(concatMap((b) => of(b).pipe(delay(1)))), o)
  t.not(bits(reversed.at(-1)?.params), bits(records.at(-1)?.params), 'another order, other parameters')
})

t.test('recordEvery keeps steps 0, r, 2r, … and the last, each with its parameters', async (t) => {
  const records = await collect(pullBatches(fitBatches(1, 8)), { ...pcd, recordEvery: 3 })
  t.same(records.map((r) => r.step), [0, 3, 6, 7])
  t.same(records.map((r) => r.state.step), [1, 4, 7, 8])
  const aligned = await collect(pullBatches(fitBatches(1, 7)), { ...pcd, recordEvery: 3 })
  t.same(aligned.map((r) => r.step), [0, 3, 6], 'the last step on the interval is not repeated')
  t.same(await collect(from([]), pcd), [], 'no batches, no records')
})

t.test('each subscription is its own run from the same start: the same bits', async (t) => {
  const run = pullBatches(fitBatches(1, 3)).pipe(train(mlp(), pcd), toArray())
  t.equal(bits(withoutExtras(await lastValueFrom(run))), bits(withoutExtras(await lastValueFrom(run))))
})

t.test('unsubscribing stops between steps: no step starts afterwards, and the source is asked for nothing more', async (t) => {
  let draws = 0
  let pulled = 0
  const counting = trainNs.drawn({ draw: ({ count }) => (draws++, new Float64Array(D * count)) })
  const source = pullBatches((function* () {
    for (const b of fitBatches(1, 50)) {
      pulled++
      yield b
    }
  })())
  const first = await lastValueFrom(source.pipe(train(mlp(), { ...pcd, negatives: counting, highWaterMark: 2 }), take(3), toArray()))
  t.same(first.map((r) => r.step), [0, 1, 2])
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(draws, 3, 'three steps ran, and none after take(3) unsubscribed')
  t.ok(pulled <= 3 + 2, `batches pulled: ${pulled}, at most the three trained and the two the queue holds`)
})

t.test('unsubscribing in the middle of a step cancels its sampler', async (t) => {
  // One step samples for seconds; the reference sampler runs on this thread, so a live run keeps the event
  // loop busy, and a cancelled one leaves it idle.
  const long = { ...pcd, negatives: trainNs.shortRun({ kernel: sampler.ula({ stepSize: 0.01 }), steps: 2_000_000, init: { kind: 'normal', std: 1 } }) }
  const subscription = pullBatches(fitBatches(1, 3)).pipe(train(mlp(), long)).subscribe({ next: () => t.fail('no step should end') })
  await new Promise((resolve) => setTimeout(resolve, 100))
  subscription.unsubscribe()
  await new Promise((resolve) => setTimeout(resolve, 30))
  const before = performance.eventLoopUtilization()
  await new Promise((resolve) => setTimeout(resolve, 200))
  const busy = performance.eventLoopUtilization(before).utilization
  t.ok(busy < 0.5, `event loop utilisation after unsubscribing: ${busy.toFixed(3)}`)
})

t.test('unsubscribing in the middle of a step cancels a native sampler', { skip: native ? false : 'the native addon is not built' }, async (t) => {
  // The native loop runs on a worker thread: a live run spends CPU time (a core's worth, less what the
  // host's other work takes from it), a cancelled one none. Compared as a ratio of the same process's
  // CPU share before and after, so a busy host does not decide the outcome.
  const long = { ...pcd, backend: 'native' as const, threads: 1, negatives: trainNs.shortRun({ kernel: sampler.ula({ stepSize: 0.01 }), steps: 20_000_000, init: { kind: 'normal', std: 1 } }) }
  const cpuShare = async (ms: number): Promise<number> => {
    const cpu = process.cpuUsage()
    const started = performance.now()
    await new Promise((resolve) => setTimeout(resolve, ms))
    const used = process.cpuUsage(cpu)
    return (used.user + used.system) / 1000 / (performance.now() - started)
  }
  const subscription = pullBatches(fitBatches(1, 3)).pipe(train(mlp(), long)).subscribe({ next: () => t.fail('no step should end') })
  await new Promise((resolve) => setTimeout(resolve, 50))
  const running = await cpuShare(300)
  subscription.unsubscribe()
  await new Promise((resolve) => setTimeout(resolve, 50))
  const cancelled = await cpuShare(300)
  t.ok(cancelled < running / 4, `CPU time per wall time while the step runs: ${running.toFixed(3)}; after unsubscribing: ${cancelled.toFixed(3)}`)
})

t.test('the queue\'s bound: a pushing source errors at it or is buffered; a pulled one is paused and never overflows', async (t) => {
  const batches = fitBatches(1, 6)
  // from() pushes all six at once: the first starts its step, two wait, the fourth finds the queue full.
  await t.rejects(collect(from(batches), { ...pcd, highWaterMark: 2 }), {
    name: 'RangeError',
    message: "stream.train: batch 3: expected room in the queue of highWaterMark = 2 waiting batches (pull the source, as stream.pullBatches and the stream sources do, raise highWaterMark, or set onOverflow: 'buffer'), got a full queue",
  })
  t.equal((await collect(from(batches.slice(0, 3)), { ...pcd, highWaterMark: 2 })).length, 3, 'up to the bound, nothing errors')
  t.equal((await collect(from(batches), { ...pcd, highWaterMark: 2, onOverflow: 'buffer' })).length, 6, "onOverflow: 'buffer' queues beyond the bound")
  let pulled = 0
  let ahead = 0
  const counted = pullBatches((function* () {
    for (const b of batches) {
      pulled++
      yield b
    }
  })())
  const records = await lastValueFrom(counted.pipe(train(mlp(), { ...pcd, highWaterMark: 1 }), peek((r) => (ahead = Math.max(ahead, pulled - (r.step + 1)))), toArray()))
  t.equal(records.length, 6, 'a pulled source with a bound of one: every batch, no overflow')
  t.ok(ahead <= 1, `the source was never more than the bound ahead of the steps done: ${ahead}`)
})

t.test('a step that fails errors the stream naming the step, after the records of the steps before', async (t) => {
  // Score matching of E = ½(x − θ)²: its loss ½‖x − θ‖² − 1 overflows on the third batch.
  const batches = [[1, 0], [3, 1], [1e200, 1]]
  const seen: number[] = []
  const run = pullBatches(batches).pipe(train(energy.quadratic({ center: [0] }), { objective: trainNs.scoreMatching({ kind: 'exact' }), optimizer: trainNs.sgd({ lr: 0.1 }), batchSize: 2, seed: 1 }))
  const error = await new Promise<unknown>((resolve) => run.subscribe({ next: (r) => seen.push(r.step), error: resolve, complete: () => resolve(null) }))
  t.match(error, { name: 'RangeError', message: "train: step 2, loss term 'scoreMatching': expected a finite number, got Infinity" })
  t.same(seen, [0, 1])
})

t.test('a batch of another size, or with a value that is not finite, errors the stream naming it', async (t) => {
  const o = { ...pcd, onOverflow: 'buffer' as const }
  await t.rejects(collect(from([fitBatches(1, 1)[0], new Float64Array(15)]), o), { name: 'RangeError', message: 'stream.train: batch 1: has 15 values; 8 rows × 2 dimensions need 16' })
  const bad = Array.from(fitBatches(1, 1)[0])
  bad[5] = NaN
  await t.rejects(collect(from([bad]), o), { name: 'RangeError', message: 'stream.train: batch 0[5]: expected a finite number, got NaN' })
  await t.rejects(collect(from(['x' as unknown as Batch]), o), { name: 'TypeError', message: 'stream.train: batch 0: expected an array or typed array of numbers, got "x"' })
})

t.test('a batch is copied as it arrives: writing the sender\'s array afterwards changes nothing', async (t) => {
  const batches = fitBatches(1, 3)
  const want = await collect(from(batches.map((b) => b.slice())), { ...pcd, onOverflow: 'buffer' })
  const reused = new Float64Array(B * D)
  const source = new Observable<Batch>((s) => {
    for (const b of batches) {
      reused.set(b)
      s.next(reused)
    }
    reused.fill(0)
    s.complete()
  })
  t.equal(bits(withoutExtras(await collect(source, { ...pcd, onOverflow: 'buffer' }))), bits(withoutExtras(want)))
})

t.test('bad options throw when train is called, naming them', async (t) => {
  t.throws(() => train(mlp(), { ...pcd, highWaterMark: 0 }), { name: 'RangeError', message: 'stream.train: highWaterMark: expected an integer ≥ 1, got 0' })
  t.throws(() => train(mlp(), { ...pcd, onOverflow: 'drop' as 'error' }), { message: 'stream.train: onOverflow: expected one of "error", "buffer", got "drop"' })
  t.throws(() => train(mlp(), { ...pcd, steps: 3 } as StreamTrainOptions), { message: /stream.train: options: unknown option 'steps'/ })
  t.throws(() => train(mlp(), { ...pcd, seed: -1 }), { message: 'stream.train: seed: expected an integer in [0, 2^53), got -1' })
  t.throws(() => train(mlp(), { ...pcd, checkpoint: { dir: 3 as unknown as string, every: 1 } }), { name: 'TypeError', message: 'stream.train: checkpoint.dir: expected a string, got 3' })
  t.throws(() => train({} as energy.Energy, pcd), { name: 'TypeError', message: /stream.train: energy: expected an Energy value/ })
})

t.test('native runs give the same bits on one thread and on two', { skip: native ? false : 'the native addon is not built' }, async (t) => {
  const o = { ...pcd, backend: 'native' as const }
  const one = await collect(pullBatches(fitBatches(1, 4)), { ...o, threads: 1 })
  const two = await collect(pullBatches(fitBatches(1, 4)), { ...o, threads: 2 })
  t.equal(bits(withoutExtras(two)), bits(withoutExtras(one)))
  t.equal(bits(two.at(-1)?.state), bits(one.at(-1)?.state))
})
