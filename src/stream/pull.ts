/**
 * Sources that wait to be asked. RxJS pushes: an Observable emits when it likes, and an operator can
 * only queue, drop or fail what comes too fast. A pullable source also offers its values on request, so a
 * consumer that knows it (`stream.train`) asks for as many as it has room for and the source never runs
 * ahead of it.
 *
 * @module
 */
import { typeError } from '../check/index.js'
import { from, Observable, type Subscriber, type Subscription } from 'rxjs'

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
  const pull = (demand: Observable<number>): Observable<A> =>
    new Observable<A>((subscriber) => {
      const values = iteratorOf(source)
      let asked = 0
      let reading = false
      const read = async (): Promise<void> => {
        if (reading) return
        reading = true
        try {
          while (asked > 0 && !subscriber.closed) {
            const r = await values.next()
            if (subscriber.closed) return
            if (r.done === true) return subscriber.complete()
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
        void values.return?.()
      }
    })
  return Object.assign(from(source), { pull })
}

/** How {@link intake} queues: the consumer's name, what a value is called, the bound and what passing it does. */
export interface IntakeOptions<A> {
  readonly where: string
  /** A value's name in errors, singular and plural ('batch', 'batches'). */
  readonly noun: readonly [string, string]
  readonly highWaterMark: number
  readonly onOverflow: 'error' | 'buffer'
  /** Checks the i-th value (from 0) and gives what is queued. */
  readonly check: (value: unknown, i: number) => A
}

/**
 * Feeds a lossless consumer's bounded queue from its source: a pullable source is asked through
 * `demand`; each value is checked and queued, then `wake(false)` lets the consumer work; the source's
 * end is `wake(true)`. A value that fails its check, or that finds the queue full with
 * `onOverflow: 'error'`, errors `subscriber` naming it. The shared intake of `stream.train` and
 * `stream.prequential`.
 */
export const intake = <A>(source: Observable<unknown>, demand: Observable<number>, o: IntakeOptions<A>, queue: A[], subscriber: Subscriber<unknown>, wake: (ended: boolean) => void): Subscription => {
  let arrived = 0
  const input: Observable<unknown> = isPullable(source) ? source.pull(demand) : source
  return input.subscribe({
    next: (v) => {
      const i = arrived++
      try {
        if (queue.length >= o.highWaterMark && o.onOverflow === 'error') {
          throw new RangeError(`${o.where}: ${o.noun[0]} ${i}: expected room in the queue of highWaterMark = ${o.highWaterMark} waiting ${o.noun[1]} (pull the source with stream.pullBatches, raise highWaterMark, or set onOverflow: 'buffer'), got a full queue`)
        }
        queue.push(o.check(v, i))
      } catch (e) {
        return subscriber.error(e)
      }
      wake(false)
    },
    error: (e: unknown) => subscriber.error(e),
    complete: () => wake(true),
  })
}
