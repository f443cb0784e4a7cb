/**
 * `stream.reservoir`, lossy: Vitter's algorithm R gives every value that arrived between two deliveries
 * the same chance, size/k, to be in the sample; under a producer 100× faster than the step it reports
 * exactly what it dropped (dropped + sampled = produced); the same seed gives the same samples.
 */
import { lastValueFrom, range, Subject, toArray } from 'rxjs'
import t from 'tap'
import { boundedConcatMap, type Delivery, reservoir } from '../../src/stream/index.js'
import { fastProducer, slowly } from './producer.js'

/** The sample of `size` that one delivery gives of 0 … k−1, arrived while nobody asked. */
const sampleOf = async (k: number, size: number, seed: number): Promise<Delivery<readonly number[]>> => {
  const demand = new Subject<number>()
  const first = lastValueFrom(reservoir<number>(size, seed)(range(0, k)).pull(demand))
  demand.next(1)
  return first
}

t.test('every value is in the sample with probability size/k (within 4 standard errors, over 2000 seeds)', async (t) => {
  const k = 20
  const size = 5
  const runs = 2000
  const hits = new Array<number>(k).fill(0)
  for (let seed = 1; seed <= runs; seed++) {
    const { value, dropped } = await sampleOf(k, size, seed)
    if (value.length !== size || dropped !== k - size) t.fail(`seed ${seed}: ${value.length} kept, ${dropped} dropped`)
    for (const v of value) hits[v]++
  }
  const p = size / k
  // Each run includes value i or not: a binomial count, sd = √(p(1−p)/runs) ≈ 0.0097.
  const sd = Math.sqrt((p * (1 - p)) / runs)
  const off = hits.map((h, i) => ({ i, f: h / runs })).filter(({ f }) => Math.abs(f - p) >= 4 * sd)
  t.same(off, [], `inclusion frequencies within ${(4 * sd).toFixed(3)} of ${p}`)
})

t.test('a producer 100× faster than the step: dropped + sampled = produced, and each sample in arrival order', async (t) => {
  const n = 3000
  const producer = fastProducer(n, (i) => i)
  const out = await lastValueFrom(producer.pipe(reservoir<number>(8, 11), boundedConcatMap(slowly<Delivery<readonly number[]>>, { highWaterMark: 1 }), toArray()))
  const sampled = out.reduce((s, d) => s + d.value.length, 0)
  const dropped = out.reduce((s, d) => s + d.dropped, 0)
  t.equal(dropped + sampled, n, `${dropped} dropped + ${sampled} sampled`)
  t.ok(out.every((d) => d.value.length <= 8), 'no sample larger than the reservoir')
  const all = out.flatMap((d) => d.value)
  t.ok(all.every((v, i) => i === 0 || v > all[i - 1]), 'samples in arrival order, and after one another')
  t.ok(dropped > n / 2)
})

t.test('the same seed gives the same samples; another seed others', async (t) => {
  const a = await sampleOf(100, 4, 3)
  t.same(await sampleOf(100, 4, 3), a)
  t.not(JSON.stringify((await sampleOf(100, 4, 4)).value), JSON.stringify(a.value))
})

t.test('bad size or seed is named', async (t) => {
  t.throws(() => reservoir(0, 1), { name: 'RangeError', message: /^stream\.reservoir: size: expected an integer ≥ 1, got 0/ })
  t.throws(() => reservoir(4, -1), { name: 'RangeError', message: /^stream\.reservoir: seed: expected an integer in \[0, 2\^53\), got -1/ })
})
