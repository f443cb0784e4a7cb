/**
 * `stream.boundedConcatMap`, the lossless operator: every value through the step in order; a pulled source
 * read no further ahead than the queue's bound however fast it could go; a pushing one that overflows
 * errors naming the value, or is buffered when asked to be; unsubscribing aborts the running step.
 */
import { from, lastValueFrom, Subject, toArray } from 'rxjs'
import t from 'tap'
import { boundedConcatMap, pullBatches } from '../../src/stream/index.js'
import { fastProducer, slowly, tick } from './producer.js'

t.test('a pulled source 100× faster than the step is read at most highWaterMark + 1 ahead, and loses nothing', async (t) => {
  const n = 300
  const highWaterMark = 3
  let read = 0
  let done = 0
  let ahead = 0
  // The generator could give a value every microsecond; each step takes a timer tick.
  function* values() {
    for (let i = 0; i < n; i++) {
      read++
      ahead = Math.max(ahead, read - done)
      yield i
    }
  }
  const out = await lastValueFrom(pullBatches(values()).pipe(boundedConcatMap(async (x: number) => (await slowly(x), done++, x), { highWaterMark }), toArray()))
  t.same(out, Array.from({ length: n }, (_, i) => i), 'every value, in order')
  // Read but not yet done: the one in its step and those waiting in the queue.
  t.ok(ahead <= highWaterMark + 1, `read ahead of the steps: at most ${ahead} ≤ ${highWaterMark + 1}`)
})

t.test('a pushing source 100× faster errors at the bound by default, and is queued whole with onOverflow: buffer', async (t) => {
  const producer = fastProducer(500, (i) => i)
  await t.rejects(lastValueFrom(producer.pipe(boundedConcatMap(slowly, { highWaterMark: 8 }))), {
    name: 'RangeError',
    message: /^boundedConcatMap: value 9: expected room in the queue of highWaterMark = 8 waiting values/,
  })
  const all = await lastValueFrom(fastProducer(500, (i) => i).pipe(boundedConcatMap(slowly, { highWaterMark: 8, onOverflow: 'buffer' }), toArray()))
  t.equal(all.length, 500, 'buffered: nothing lost, memory grows with the lag instead')
})

t.test('unsubscribing aborts the running step and starts no other', async (t) => {
  const started: number[] = []
  let aborted = false
  const source = new Subject<number>()
  const subscription = source
    .pipe(
      boundedConcatMap(
        (x: number, _i, signal) => {
          started.push(x)
          signal.addEventListener('abort', () => (aborted = true))
          return new Promise<number>(() => undefined)
        },
        { highWaterMark: 2 },
      ),
    )
    .subscribe()
  source.next(1)
  source.next(2)
  await tick()
  subscription.unsubscribe()
  await tick()
  t.same(started, [1], 'the second never started')
  t.ok(aborted, "the running step's signal was aborted")
  t.notOk(source.observed, 'the source was unsubscribed from')
})

t.test('bad arguments are named', async (t) => {
  t.throws(() => boundedConcatMap(42 as never), { name: 'TypeError', message: 'boundedConcatMap: step: expected a function, got 42' })
  t.throws(() => boundedConcatMap(slowly, { highWaterMark: 0 }), { name: 'RangeError', message: /^boundedConcatMap: highWaterMark: expected an integer ≥ 1, got 0/ })
  t.throws(() => boundedConcatMap(slowly, { onOverflow: 'drop' as never }), { message: /^boundedConcatMap: onOverflow: expected/ })
  t.throws(() => boundedConcatMap(slowly, { size: 3 } as never), { name: 'RangeError', message: /unknown option 'size'/ })
  const errors = await lastValueFrom(from([1, 2]).pipe(boundedConcatMap(async (x: number) => { if (x === 2) throw new RangeError('step: expected 1, got 2'); return x }), toArray())).catch((e: Error) => e.message)
  t.equal(errors, 'step: expected 1, got 2', "a step's error errors the stream")
})
