/**
 * Sources that wait to be asked. RxJS pushes: an Observable emits when it likes, and an operator can
 * only queue, drop or fail what comes too fast. A pullable source also offers its values on request, so a
 * consumer that knows it (`stream.train`) asks for as many as it has room for and the source never runs
 * ahead of it.
 *
 * @module
 */
import { typeError } from '../check/index.js'
import { from, Observable, of } from 'rxjs'

/** An Observable that can also send its values on request. */
export interface Pullable<A> extends Observable<A> {
  /**
   * The same values in the same order, each sent only against demand: every number `demand` emits asks
   * for that many more. Completes after the last value is asked for and the source has no more.
   */
  readonly pull: (demand: Observable<number>) => Observable<A>
}

/**
 * Whether an Observable is pullable (made by {@link pullBatches}).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { of } from 'rxjs'
 * import { isPullable, pullBatches } from './pull.js'
 * assert.equal(isPullable(pullBatches([[1, 2]])), true)
 * assert.equal(isPullable(of([1, 2])), false)
 */
export const isPullable = <A>(o: Observable<A>): o is Pullable<A> => typeof (o as Partial<Pullable<A>>).pull === 'function'

const iteratorOf = <A>(source: Iterable<A> | AsyncIterable<A>): Iterator<A> | AsyncIterator<A> =>
  Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]()

/** Demand without a bound: what a plain subscription to a pullable source asks for. */
const unbounded = of(Infinity)

/**
 * A pullable Observable from its `pull`: subscribed to as any Observable, it is pulled with unbounded
 * demand (as fast as the source gives); a consumer that knows pulling asks through `pull` instead.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { lastValueFrom, of, toArray } from 'rxjs'
 * import { isPullable, pullable } from './pull.js'
 * const ones = pullable(() => of(1, 1))
 * assert.equal(isPullable(ones), true)
 * assert.deepEqual(await lastValueFrom(ones.pipe(toArray())), [1, 1])
 */
export const pullable = <A>(pull: (demand: Observable<number>) => Observable<A>): Pullable<A> =>
  Object.assign(new Observable<A>((subscriber) => pull(unbounded).subscribe(subscriber)), { pull })

/**
 * The `pull` of a source read from an iterator: each subscription opens its own iterator with
 * `open(signal)`, takes a value from it only against demand, and on unsubscribing aborts the signal (so
 * that a read or a wait in progress ends at once) and returns the iterator (so that it releases what it
 * holds). An error thrown by the iterator errors the stream.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { lastValueFrom, of, take, toArray } from 'rxjs'
 * import { pullIterator } from './pull.js'
 * const read: string[] = []
 * function* letters() {
 *   for (const c of 'abc') yield (read.push(c), c)
 * }
 * assert.deepEqual(await lastValueFrom(pullIterator(letters)(of(2)).pipe(take(2), toArray())), ['a', 'b'])
 * assert.deepEqual(read, ['a', 'b']) // two asked for, two read: c never was
 */
export const pullIterator =
  <A>(open: (signal: AbortSignal) => Iterator<A> | AsyncIterator<A>) =>
  (demand: Observable<number>): Observable<A> =>
    new Observable<A>((subscriber) => {
      const controller = new AbortController()
      let values: Iterator<A> | AsyncIterator<A> | undefined
      let asked = 0
      let reading = false
      let ended = false
      const read = async (): Promise<void> => {
        if (reading) return
        reading = true
        try {
          values ??= open(controller.signal)
          while (asked > 0 && !subscriber.closed) {
            const r = await values.next()
            if (subscriber.closed) return
            if (r.done === true) {
              ended = true
              return subscriber.complete()
            }
            asked--
            subscriber.next(r.value)
          }
        } catch (e) {
          subscriber.error(e)
        } finally {
          reading = false
        }
      }
      const asking = demand.subscribe((n) => {
        asked += n
        void read()
      })
      return () => {
        asking.unsubscribe()
        controller.abort()
        // Whatever the iterator says as it closes, the subscriber has gone and nothing waits for it.
        if (!ended) Promise.resolve(values?.return?.()).catch(() => undefined)
      }
    })

/**
 * Batches from an iterable or async iterable (an array, a generator, a Node Readable in object mode) as a
 * pullable Observable: subscribed to as any Observable it emits them as fast as the source gives them;
 * handed straight to `stream.train` (`stream.pullBatches(batches).pipe(stream.train(e, o))`) it reads
 * the next one only when the trainer's queue has room, so the queue never overflows. An operator placed
 * between the two hides the pull (its output is an ordinary Observable) and the trainer's `onOverflow`
 * applies again. Each subscription iterates the source anew (a generator can be iterated once).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { lastValueFrom, Subject, tap, toArray } from 'rxjs'
 * import { pullBatches } from './pull.js'
 * const demand = new Subject<number>()
 * const seen: string[] = []
 * const values = lastValueFrom(pullBatches(['a', 'b', 'c']).pull(demand).pipe(tap((v) => seen.push(v)), toArray()))
 * demand.next(2)
 * await new Promise((resolve) => setImmediate(resolve))
 * assert.deepEqual(seen, ['a', 'b']) // two asked for, two read: c waits for demand
 * demand.next(2)
 * assert.deepEqual(await values, ['a', 'b', 'c']) // c, then the end
 */
export const pullBatches = <A>(source: Iterable<A> | AsyncIterable<A>): Pullable<A> => {
  const s = source as Partial<Iterable<A> & AsyncIterable<A>> | null | undefined
  if (typeof s?.[Symbol.iterator] !== 'function' && typeof s?.[Symbol.asyncIterator] !== 'function') throw typeError('stream.pullBatches: source', 'an iterable or async iterable of batches', source)
  return Object.assign(from(source), { pull: pullIterator(() => iteratorOf(source)) })
}
