/**
 * `stream.dropOldest`, lossy: under a producer 100× faster than the step, what it holds stays within its
 * capacity (and memory with it), what it delivers is in order and the newest, and it reports exactly what
 * it dropped: dropped + delivered = produced.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { lastValueFrom, toArray } from 'rxjs'
import t from 'tap'
import { boundedConcatMap, type Delivery, dropOldest } from '../../src/stream/index.js'
import { fastProducer, slowly } from './producer.js'

t.test('a producer 100× faster than the step: dropped + delivered = produced, in order, the last always delivered', async (t) => {
  const n = 3000
  const producer = fastProducer(n, (i) => i)
  const out = await lastValueFrom(producer.pipe(dropOldest<number>(16), boundedConcatMap(slowly<Delivery<number>>, { highWaterMark: 1 }), toArray()))
  const delivered = out.map((d) => d.value)
  const dropped = out.reduce((s, d) => s + d.dropped, 0)
  t.equal(producer.produced(), n)
  t.equal(dropped + delivered.length, n, `${dropped} dropped + ${delivered.length} delivered`)
  t.ok(dropped > n / 2, 'most were dropped: the step kept up with a small part')
  t.ok(delivered.every((v, i) => i === 0 || v > delivered[i - 1]), 'in the order produced')
  t.equal(delivered[delivered.length - 1], n - 1, 'the newest value survives')
  // Each delivery's count is the gap in the values before it: the drops are reported where they happened.
  t.ok(out.every((d, i) => d.dropped === d.value - (i === 0 ? 0 : out[i - 1].value + 1)), 'each count is the gap before its value')
})

// A full collection on demand, so that what is measured is what is held, not what waits for the collector.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const held = (): number => (gc(), process.memoryUsage().arrayBuffers)

t.test('memory stays bounded: 4 KB values at 100× the step rate hold at most the capacity, not the lag', async (t) => {
  const n = 40_000 // 160 MB if the lag were held
  const capacity = 64 // 256 KB held
  const before = held()
  const samples: number[] = []
  const producer = fastProducer(n, () => new Float64Array(512), 200)
  const sizes = await lastValueFrom(
    producer.pipe(
      dropOldest<Float64Array>(capacity),
      boundedConcatMap(async (d: Delivery<Float64Array>, i) => {
        if (i % 10 === 0) samples.push(held() - before)
        return slowly(d.value.length)
      }, { highWaterMark: 1 }),
      toArray(),
    ),
  )
  t.ok(sizes.length < n / 10)
  // The ring holds 64 × 4 KB = 256 KB; the lag, had it been kept, would reach 100 MB by the end. Buffers
  // the collector frees are released by a background sweeper, so a sample may still count a few MB of
  // them: the median is what is held, and no sample comes near the lag.
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(2)} MB`
  const median = [...samples].sort((a, b) => a - b)[samples.length >> 1]
  t.ok(median < 2 ** 20, `median array-buffer memory held: ${mb(median)}`)
  t.ok(Math.max(...samples) < (n * 4096) / 10, `at most ${mb(Math.max(...samples))}, a tenth of the lag's ${mb(n * 4096)}`)
})

t.test('without a consumer that pulls, every value is delivered as it comes, nothing dropped', async (t) => {
  const out = await lastValueFrom(fastProducer(250, (i) => i).pipe(dropOldest<number>(2), toArray()))
  t.same(out.map((d) => d.value), Array.from({ length: 250 }, (_, i) => i))
  t.ok(out.every((d) => d.dropped === 0))
})

t.test('a capacity that is not a positive integer is named', async (t) => {
  t.throws(() => dropOldest(0), { name: 'RangeError', message: /^stream\.dropOldest: capacity: expected an integer ≥ 1, got 0/ })
  t.throws(() => dropOldest('8' as never), { name: 'TypeError', message: /^stream\.dropOldest: capacity/ })
})
