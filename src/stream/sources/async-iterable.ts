/**
 * `stream.fromAsyncIterable`: the values of an iterable or async iterable as a source of records.
 *
 * @module
 */
import { typeError } from '../../check/index.js'
import { pullable, pullIterator } from '../pull.js'
import { checkSourceOptions, decoded, ledger, type Read, type Source, type SourceOptions } from './record.js'

/** A value's place in its iterable: its index from 0, bad values included. */
export interface IndexPosition {
  readonly index: number
}

async function* readsOf(values: Iterable<unknown> | AsyncIterable<unknown>): AsyncGenerator<Read<IndexPosition, never>> {
  let index = 0
  for await (const value of values) yield { read: { value }, raw: value, position: { index: index++ } }
}

/**
 * The values of an iterable or async iterable (a generator, an array, a Node Readable in object mode, a
 * client library's message iterator) as a pullable source of records, each decoded with `codec` (bad
 * ones to `deadLetter`) and positioned by its index. A value is taken from the iterable only when the
 * consumer asks for one; unsubscribing returns the iterator. Each subscription iterates anew.
 *
 * Acknowledgement: an iterable has nothing to acknowledge to, so a record's `acknowledge` only calls
 * `onAcknowledge` with its position: that is where to hook a source of your own that can be told.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { lastValueFrom, toArray } from 'rxjs'
 * import { stream, io } from 'heatbath'
 * const bad: string[] = []
 * const source = stream.fromAsyncIterable([[1, 2], [3, 'x'], [5, 6]], { codec: io.records.vector(2), deadLetter: (d) => bad.push(`${d.position.index}: ${d.reason}`) })
 * const records = await lastValueFrom(source.pipe(toArray()))
 * assert.deepEqual(records.map((r) => [r.position.index, Array.from(r.value)]), [[0, [1, 2]], [2, [5, 6]]])
 * assert.deepEqual(bad, ['1: [1]: expected a finite number, got "x"'])
 */
export const fromAsyncIterable = <A = unknown>(iterable: Iterable<unknown> | AsyncIterable<unknown>, options?: SourceOptions<A, IndexPosition>): Source<A, IndexPosition> => {
  const where = 'stream.fromAsyncIterable'
  const s = iterable as Partial<Iterable<unknown> & AsyncIterable<unknown>> | null | undefined
  if (typeof s?.[Symbol.iterator] !== 'function' && typeof s?.[Symbol.asyncIterator] !== 'function') throw typeError(`${where}: iterable`, 'an iterable or async iterable', iterable)
  const o = checkSourceOptions<SourceOptions<A, IndexPosition>>(options, where, [])
  return pullable(pullIterator(() => decoded(readsOf(iterable), o, ledger<IndexPosition, never>(async () => undefined, o.onAcknowledge))))
}
