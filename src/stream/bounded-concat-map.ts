/**
 * `stream.boundedConcatMap`: a step run on every value, one at a time, in order, behind a bounded queue.
 * The lossless backpressure operator, and the queue `stream.train` runs its steps from.
 *
 * @module
 */
import { Observable, type OperatorFunction, Subject } from 'rxjs'
import { func, oneOf, options as checkOptions, positiveInteger } from '../check/index.js'
import { isPullable } from './pull.js'

/** The queue's options. */
export interface QueueOptions {
  /** Values that may wait while a step runs; default 4. */
  readonly highWaterMark?: number
  /**
   * What a value that finds the queue full does, which only a source that pushes can make happen: 'error'
   * (the default) errors the stream; 'buffer' queues it anyway, and memory grows with the lag.
   */
  readonly onOverflow?: 'error' | 'buffer'
}

/** A step: the value, its index from 0, and a signal aborted when the subscriber leaves. */
export type Step<A, B> = (value: A, index: number, signal: AbortSignal) => B | Promise<B>

/** What {@link queuedSteps} needs beyond the queue's options. */
export interface QueuedSteps<A, Q, B> {
  /** The caller's name, for messages. */
  readonly where: string
  /** The values' name in messages, singular and plural: ['batch', 'batches']. */
  readonly noun: readonly [string, string]
  /** Checks and converts a value as it arrives (a throw errors the stream at once), before it waits. */
  readonly admit: (value: A, index: number) => Q
  readonly step: Step<Q, B>
}

/** The queue's options checked: `highWaterMark` and `onOverflow` with their defaults. */
export const queueOptions = (o: QueueOptions, where: string): Required<QueueOptions> => ({
  highWaterMark: positiveInteger(o.highWaterMark ?? 4, `${where}: highWaterMark`),
  onOverflow: oneOf(o.onOverflow ?? 'error', `${where}: onOverflow`, ['error', 'buffer'] as const),
})

/**
 * The queue behind {@link boundedConcatMap} and `stream.train`: values are admitted as they arrive, wait
 * in a queue of `highWaterMark`, and go through `step` one at a time, in order, each result emitted as
 * its step ends. A pullable source is asked for one value each time one leaves the queue for its step, so
 * it never overflows; a pushing one that finds it full errors the stream (or is queued past the bound).
 * Unsubscribing aborts the running step's signal and starts no other.
 */
export const queuedSteps = <A, Q, B>(spec: QueuedSteps<A, Q, B>, o: Required<QueueOptions>): OperatorFunction<A, B> => {
  const [one, many] = spec.noun
  const overflow = (i: number): RangeError =>
    new RangeError(
      `${spec.where}: ${one} ${i}: expected room in the queue of highWaterMark = ${o.highWaterMark} waiting ${many} (pull the source, as stream.pullBatches and the stream sources do, raise highWaterMark, or set onOverflow: 'buffer'), got a full queue`,
    )
  return (source) =>
    new Observable<B>((subscriber) => {
      const controller = new AbortController()
      const demand = new Subject<number>()
      const queue: { readonly value: Q; readonly index: number }[] = []
      let arrived = 0
      let ended = false
      let working = false

      const work = async (): Promise<void> => {
        if (working) return
        working = true
        try {
          while (queue.length > 0 && !subscriber.closed) {
            const next = queue.shift() as (typeof queue)[number]
            demand.next(1)
            const result = await spec.step(next.value, next.index, controller.signal)
            if (subscriber.closed) return
            subscriber.next(result)
          }
          if (ended && !subscriber.closed) subscriber.complete()
        } catch (e) {
          subscriber.error(e)
        } finally {
          working = false
        }
      }

      const input = isPullable(source) ? source.pull(demand) : source
      const subscription = input.subscribe({
        next: (v) => {
          const index = arrived++
          try {
            if (queue.length >= o.highWaterMark && o.onOverflow === 'error') throw overflow(index)
            queue.push({ value: spec.admit(v, index), index })
          } catch (e) {
            return subscriber.error(e)
          }
          void work()
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => {
          ended = true
          void work()
        },
      })
      demand.next(o.highWaterMark)
      return () => {
        controller.abort()
        subscription.unsubscribe()
      }
    })
}

/**
 * Runs `step` on every value, one at a time and in order, and emits each result as its step ends: RxJS's
 * `concatMap` for a step that returns a value or a Promise, with a bounded queue in front.
 *
 * Lossless: every value goes through the step, in order, or the stream errors; nothing is dropped. Values
 * that arrive while a step runs wait in a queue of `highWaterMark` (default 4). A pullable source (a
 * stream source such as `stream.fromReadable`, or `stream.pullBatches`) piped straight in is asked for a
 * value only when the queue has room: it is paused while the steps catch up, so memory is bounded
 * whatever its rate. A source that pushes and finds the queue full errors the stream naming the value and
 * the bound (`onOverflow: 'error'`, the default), or with `onOverflow: 'buffer'` is queued past the bound.
 * Unsubscribing aborts the signal the running step was given, and no step starts after it.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { from, lastValueFrom, toArray } from 'rxjs'
 * import { boundedConcatMap } from './bounded-concat-map.js'
 * import { pullBatches } from './pull.js'
 * const slowSquare = async (x: number) => (await new Promise((resolve) => setTimeout(resolve, 1)), x * x)
 * // Pulled: the source waits for the steps, and every value is squared, in order.
 * assert.deepEqual(await lastValueFrom(pullBatches([1, 2, 3, 4]).pipe(boundedConcatMap(slowSquare, { highWaterMark: 1 }), toArray())), [1, 4, 9, 16])
 * // Pushed all at once: the first runs, one waits, and the third finds the queue full.
 * await assert.rejects(lastValueFrom(from([1, 2, 3, 4]).pipe(boundedConcatMap(slowSquare, { highWaterMark: 1 }))), /boundedConcatMap: value 2: expected room in the queue of highWaterMark = 1 waiting values/)
 */
export const boundedConcatMap = <A, B>(step: Step<A, B>, options?: QueueOptions): OperatorFunction<A, B> => {
  const where = 'boundedConcatMap'
  func(step, `${where}: step`)
  const o = queueOptions(checkOptions<QueueOptions>(options, `${where}: options`, ['highWaterMark', 'onOverflow']), where)
  return queuedSteps({ where, noun: ['value', 'values'], admit: (v: A) => v, step }, o)
}
