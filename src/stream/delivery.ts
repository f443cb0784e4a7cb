/**
 * What a lossy operator emits: a value, and how many values it dropped since its previous emission, so
 * that the drops are counted in the stream itself.
 *
 * @module
 */
import { Observable, type Subscriber, type Subscription } from 'rxjs'
import { pullable, type Pullable } from './pull.js'

/** A value delivered by a lossy operator, with the values dropped since the one before it. */
export interface Delivery<V> {
  readonly value: V
  /**
   * Values dropped since the previous delivery (and after the one before that). Summed over a stream
   * that completes, with the values delivered, it gives every value the source produced.
   */
  readonly dropped: number
}

/** A lossy buffer: what arrives, what is taken when the consumer asks, and how much it holds. */
export interface LossyBuffer<A, V> {
  readonly arrive: (value: A) => void
  /** The next delivery, or undefined when there is nothing to deliver. */
  readonly take: () => Delivery<V> | undefined
  /** The values it holds. */
  readonly size: () => number
}

/**
 * A lossy operator from its buffer: the source is subscribed to and runs free (a pullable one with
 * unbounded demand); values wait in the buffer, which drops what does not fit; the output is pullable and
 * takes a delivery from the buffer against each unit of demand, at once when one is waiting. Completes
 * when the source has and the buffer is empty. Subscribed to without a pulling consumer, every value is
 * delivered as it comes and nothing is dropped.
 */
export const lossy =
  <A, V>(buffer: () => LossyBuffer<A, V>) =>
  (source: Observable<A>): Pullable<Delivery<V>> =>
    pullable(
      (demand) =>
        new Observable<Delivery<V>>((subscriber: Subscriber<Delivery<V>>) => {
          const b = buffer()
          let asked = 0
          let ended = false
          const deliver = (): void => {
            while (asked > 0) {
              const d = b.take()
              if (d === undefined) break
              asked--
              subscriber.next(d)
            }
            if (ended && b.size() === 0) subscriber.complete()
          }
          const asking: Subscription = demand.subscribe((n) => {
            asked += n
            deliver()
          })
          const input = source.subscribe({
            next: (v) => {
              b.arrive(v)
              deliver()
            },
            error: (e: unknown) => subscriber.error(e),
            complete: () => {
              ended = true
              deliver()
            },
          })
          return () => {
            asking.unsubscribe()
            input.unsubscribe()
          }
        }),
    )
