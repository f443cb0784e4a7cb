/**
 * `stream.fromAsyncIterable`: values decoded with their index, bad ones to the dead letters; a value taken
 * only against demand; unsubscribing returns the iterator; an iterator's error errors the stream.
 */
import { lastValueFrom, Subject, take, toArray } from 'rxjs'
import t from 'tap'
import { records as codecs } from '../../../src/io/index.js'
import { fromAsyncIterable } from '../../../src/stream/index.js'
import { tick } from '../producer.js'

t.test('values decoded with their index; bad ones counted in the dead letters with the path; the stream goes on', async (t) => {
  const letters: unknown[] = []
  async function* values() {
    yield [1, 2]
    yield { x: 1 }
    yield [3, null]
    yield ['4', '5']
  }
  const out = await lastValueFrom(fromAsyncIterable(values(), { codec: codecs.vector(2), deadLetter: ({ position, path, count, raw }) => letters.push({ position, path, count, raw }) }).pipe(toArray()))
  t.same(out.map((r) => [r.position.index, Array.from(r.value)]), [[0, [1, 2]], [3, [4, 5]]])
  t.same(letters, [
    { position: { index: 1 }, path: '', count: 1, raw: { x: 1 } },
    { position: { index: 2 }, path: '[1]', count: 2, raw: [3, null] },
  ])
})

t.test('a value is taken only when asked for, and unsubscribing returns the iterator', async (t) => {
  let taken = 0
  let returned = false
  async function* forever() {
    try {
      for (;;) yield taken++
    } finally {
      returned = true
    }
  }
  const demand = new Subject<number>()
  const got: number[] = []
  const subscription = fromAsyncIterable(forever()).pull(demand).subscribe((r) => got.push(r.value as number))
  demand.next(3)
  for (let i = 0; i < 5; i++) await tick()
  t.same(got, [0, 1, 2])
  t.equal(taken, 3, 'three asked for, three taken')
  subscription.unsubscribe()
  await tick()
  t.ok(returned, 'the generator ran its finally')
  t.same((await lastValueFrom(fromAsyncIterable([7, 8, 9]).pipe(take(2), toArray()))).map((r) => r.value), [7, 8])
})

t.test("an iterator's error errors the stream; a non-iterable is named", async (t) => {
  async function* broken() {
    yield 1
    throw new RangeError('sensor: expected a reading, got a timeout')
  }
  await t.rejects(lastValueFrom(fromAsyncIterable(broken())), { message: 'sensor: expected a reading, got a timeout' })
  t.throws(() => fromAsyncIterable(42 as never), { name: 'TypeError', message: 'stream.fromAsyncIterable: iterable: expected an iterable or async iterable, got 42' })
  t.throws(() => fromAsyncIterable([], { codec: {} as never }), { name: 'TypeError', message: /options\.codec: expected an io-ts codec/ })
  t.throws(() => fromAsyncIterable([], { position: 3 } as never), { name: 'RangeError', message: /unknown option 'position'/ })
})
