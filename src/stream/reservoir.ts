/**
 * `stream.reservoir`: a uniform sample of what arrived while the consumer was busy. Lossy.
 *
 * @module
 */
import type { Observable } from 'rxjs'
import { positiveInteger, seed as checkSeed } from '../check/index.js'
import { reservoirSlot, uniform } from '../rng/index.js'
import { type Delivery, lossy, type LossyBuffer } from './delivery.js'
import type { Pullable } from './pull.js'

/**
 * Vitter's algorithm R over the values since the last delivery: the first `size` are kept; the k-th after
 * them replaces a kept one, chosen uniformly, with probability size/k, and is dropped otherwise. Draw i is
 * Philox's uniform i of stream 0 under `seed`, counted over the whole subscription.
 */
const algorithmR = <A>(size: number, seed: number): LossyBuffer<A, readonly A[]> => {
  let kept: { readonly value: A; readonly arrival: number }[] = []
  let seen = 0
  let draws = 0
  return {
    arrive: (value) => {
      const arrival = seen++
      if (kept.length < size) kept.push({ value, arrival })
      else {
        const j = reservoirSlot(arrival, size, uniform(seed, 0, draws++))
        if (j >= 0) kept[j] = { value, arrival }
      }
    },
    take: () => {
      if (kept.length === 0) return undefined
      const d = { value: kept.sort((a, b) => a.arrival - b.arrival).map((k) => k.value), dropped: seen - kept.length }
      kept = []
      seen = 0
      return d
    },
    size: () => kept.length,
  }
}

/**
 * Keeps a uniform random sample of at most `size` of the values that arrived since the consumer last
 * took one (Vitter's algorithm R, its draws from Philox under `seed`), and delivers it, in arrival order,
 * as one array when the consumer asks: each value that arrived is in it with the same probability. For a
 * source that pushes faster than its consumer, when a fair picture of what came matters more than the
 * latest values (`stream.dropOldest`) or all of them.
 *
 * Lossy: each delivery says how many values were dropped since the previous one (dropped + the values
 * in the samples = produced, when the source completes). Memory holds at most `size` values whatever
 * the rates. The source runs free; the output is pullable; a consumer that does not pull gets every
 * value at once, as a sample of one, nothing dropped. The same seed and arrivals give the same samples.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { firstValueFrom, range, Subject } from 'rxjs'
 * import { reservoir } from './reservoir.js'
 * const demand = new Subject<number>()
 * const sample = firstValueFrom(reservoir<number>(3, 7)(range(0, 100)).pull(demand))
 * demand.next(1) // asked only after all 100 came: a sample of 3 of them
 * const { value, dropped } = await sample
 * assert.equal(value.length, 3)
 * assert.equal(dropped, 97)
 * assert.ok(value[0] < value[1] && value[1] < value[2]) // in arrival order
 */
export const reservoir = <A>(size: number, seed: number): ((source: Observable<A>) => Pullable<Delivery<readonly A[]>>) => {
  const n = positiveInteger(size, 'stream.reservoir: size')
  const s = checkSeed(seed, 'stream.reservoir: seed')
  return lossy(() => algorithmR<A>(n, s))
}
