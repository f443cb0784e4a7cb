/**
 * `stream.dropOldest`: a bounded queue that drops its oldest value to make room. Lossy.
 *
 * @module
 */
import type { Observable } from 'rxjs'
import { positiveInteger } from '../check/index.js'
import { type Delivery, lossy, type LossyBuffer } from './delivery.js'
import type { Pullable } from './pull.js'

/** A ring of `capacity` values: the newest pushes out the oldest when full, and says so. */
const oldestFirst = <A>(capacity: number): LossyBuffer<A, A> => {
  const ring: (A | undefined)[] = new Array<A | undefined>(capacity)
  let head = 0
  let size = 0
  let dropped = 0
  return {
    arrive: (value) => {
      ring[(head + size) % capacity] = value
      if (size < capacity) size++
      else {
        head = (head + 1) % capacity
        dropped++
      }
    },
    take: () => {
      if (size === 0) return undefined
      const value = ring[head] as A
      ring[head] = undefined
      head = (head + 1) % capacity
      size--
      const d = { value, dropped }
      dropped = 0
      return d
    },
    size: () => size,
  }
}

/**
 * Keeps the newest `capacity` values that the consumer has not taken yet, dropping the oldest when a new
 * one comes to a full queue: for a source that pushes faster than its consumer, when the latest data
 * matter more than all of it (a live sensor feeding online training).
 *
 * Lossy: every drop is counted in the stream, each delivery saying how many values were dropped since
 * the previous one (dropped + delivered = produced, when the source completes). Memory holds at most
 * `capacity` values whatever the rates. The source runs free; the output is pullable, so a consumer that
 * pulls (`stream.boundedConcatMap`, `stream.train`) takes values as it has room, and one that does not
 * gets every value at once, nothing dropped. In order: the values delivered keep the source's order.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { lastValueFrom, Subject, toArray } from 'rxjs'
 * import { dropOldest } from './drop-oldest.js'
 * const source = new Subject<number>()
 * const demand = new Subject<number>()
 * const out = lastValueFrom(dropOldest<number>(2)(source).pull(demand).pipe(toArray()))
 * for (const x of [1, 2, 3, 4, 5]) source.next(x) // nobody asked: 1, 2 and 3 are pushed out by 3, 4 and 5
 * demand.next(1)
 * source.next(6)
 * source.complete()
 * demand.next(10)
 * assert.deepEqual(await out, [{ value: 4, dropped: 3 }, { value: 5, dropped: 0 }, { value: 6, dropped: 0 }])
 */
export const dropOldest = <A>(capacity: number): ((source: Observable<A>) => Pullable<Delivery<A>>) => {
  const n = positiveInteger(capacity, 'stream.dropOldest: capacity')
  return lossy(() => oldestFirst<A>(n))
}
