/**
 * What every source delivers: records decoded at the edge, each with its position and a handle that
 * acknowledges it; dead letters for the records that do not decode; and the bookkeeping of what has been
 * acknowledged.
 *
 * @module
 */
import { func, options as checkOptions, typeError } from '../../check/index.js'
import { decodeRecord, type RecordCodec, type Rejection } from '../../io/records.js'
import type { Pullable } from '../pull.js'

/**
 * A record read from a source: its decoded value, where it was in the source, and its acknowledgement.
 *
 * `position` is plain JSON (a checkpoint can hold it) and says where the record is: a line and byte
 * offsets for a Readable, those and the file's identity for a tailed file, an entry id for a Redis
 * Stream, an index for an iterable. A source that can resume takes such a position and starts after it.
 */
export interface SourceRecord<A, P> {
  readonly value: A
  readonly position: P
  /**
   * Acknowledges this record and every record the same subscription delivered before it, dead letters
   * included ("up to here"): for a Redis Stream an XACK of their entries, resolved once the server
   * has them; for the other sources only the `onAcknowledge` hook, since their position is the whole of
   * their state. Call it once what the records did is safe (a checkpoint holds it); acknowledging the
   * same or an earlier record again does nothing. Acknowledgements apply in the order they are made.
   */
  readonly acknowledge: () => Promise<void>
  /**
   * The position a checkpoint that holds this record keeps, read as the checkpoint is written, when it
   * needs more than `position`: for a Redis Stream, the ids of the entries delivered up to this record
   * whose XACK has not been confirmed yet, which a restart must not deliver again (entries claimed from
   * other consumers come out of id order, so an id alone cannot say which those are).
   */
  readonly checkpointPosition?: () => P
}

/** A pullable Observable of records: subscribing reads, the consumer's demand paces it, unsubscribing stops. */
export type Source<A, P> = Pullable<SourceRecord<A, P>>

/** A record that did not decode, with where it was and why. */
export interface DeadLetter<P> extends Rejection {
  readonly position: P
  /** What the source read: the line's text, or a Redis entry's fields. */
  readonly raw: unknown
  /** The bad records this subscription has met, this one included. */
  readonly count: number
  /** Acknowledges it and everything delivered before it, as a record's `acknowledge` does. */
  readonly acknowledge: () => Promise<void>
}

/** The options every source takes. */
export interface SourceOptions<A, P> {
  /**
   * The io-ts codec each record is decoded with (`io.records.vector(D)`, `io.records.row(names)`,
   * `io.records.fields(props)`, or any other); without it records pass as read (JSON values, CSV fields).
   */
  readonly codec?: RecordCodec<A>
  /** Receives every record that does not decode; the stream goes on. Without it bad records are skipped. */
  readonly deadLetter?: (letter: DeadLetter<P>) => void
  /** Called with the position of each acknowledgement once the source has applied it. */
  readonly onAcknowledge?: (upTo: P) => void | Promise<void>
}

/** The option names of {@link SourceOptions}. */
export const sourceOptionNames = ['codec', 'deadLetter', 'onAcknowledge'] as const

/** A source's options checked: known keys, and functions where functions go. */
export const checkSourceOptions = <O extends object>(options: unknown, where: string, more: readonly (keyof O & string)[]): Readonly<Partial<O>> => {
  const o = checkOptions<O>(options, `${where}: options`, [...sourceOptionNames, ...more] as (keyof O & string)[])
  const { codec, deadLetter, onAcknowledge } = o as Partial<Record<(typeof sourceOptionNames)[number], unknown>>
  if (codec !== undefined && typeof (codec as { decode?: unknown } | null)?.decode !== 'function') throw typeError(`${where}: options.codec`, 'an io-ts codec', codec)
  if (deadLetter !== undefined) func(deadLetter, `${where}: options.deadLetter`)
  if (onAcknowledge !== undefined) func(onAcknowledge, `${where}: options.onAcknowledge`)
  return o
}

/** What a source read, before decoding: the value (or why it could not be read) and where it was. */
export interface Read<P, K> {
  readonly read: { readonly value: unknown } | Rejection
  /** What the dead letters show: the line's text, or the entry's fields. */
  readonly raw: unknown
  readonly position: P
  /** The key an acknowledgement passes to the source's own (a Redis entry id); undefined for none. */
  readonly key?: K
}

/**
 * The record-by-record acknowledgement of one subscription: every delivery gets a handle that acknowledges
 * up to it; the keys it covers (those not acknowledged yet, in delivery order) go to `apply` with its
 * position, one acknowledgement at a time, and then to the `onAcknowledge` hook.
 */
export interface Ledger<P, K> {
  readonly deliver: (position: P, key?: K) => Delivered<K>
  /** Whether a key was delivered and is not acknowledged yet, or was acknowledged since the last `mark`. */
  readonly holds: (key: K) => boolean
  /**
   * Forgets the keys acknowledged so far. Called before sending a read whose reply `holds` filters: an
   * acknowledgement that lands while the read is on its way may come after the server answered it, so
   * the reply can still name that key.
   */
  readonly mark: () => void
  /** Resolves when every acknowledgement made so far has been applied (or has failed). */
  readonly settled: () => Promise<void>
}

/** A delivery in the ledger: its acknowledgement, and the keys up to it not acknowledged yet. */
export interface Delivered<K> {
  /** Acknowledges this delivery and every one before it. */
  readonly acknowledge: () => Promise<void>
  /** The keys delivered up to this one (it included) whose acknowledgement has not been applied, in order. */
  readonly unacknowledged: () => readonly K[]
}

/** A ledger whose acknowledgements call `apply` (the source's own: XACK) and then the user's hook. */
export const ledger = <P, K>(apply: (keys: readonly K[], upTo: P) => Promise<void>, hook?: (upTo: P) => void | Promise<void>): Ledger<P, K> => {
  const unacknowledged: { readonly seq: number; readonly key: K }[] = []
  const keys = new Set<K>()
  let recent = new Set<K>()
  let delivered = 0
  let acknowledged = -1
  let chain: Promise<void> = Promise.resolve()
  // Each acknowledgement runs after the ones before it and takes what it covers only then, so that one
  // that fails leaves its keys to the next (the entries stay pending in the source meanwhile).
  const acknowledge = (seq: number, position: P): Promise<void> => {
    const applied = chain.then(async () => {
      if (seq <= acknowledged) return
      let n = 0
      while (n < unacknowledged.length && unacknowledged[n].seq <= seq) n++
      await apply(unacknowledged.slice(0, n).map((d) => d.key), position)
      for (const d of unacknowledged.splice(0, n)) {
        keys.delete(d.key)
        recent.add(d.key)
      }
      acknowledged = seq
      await hook?.(position)
    })
    chain = applied.catch(() => undefined)
    return applied
  }
  return {
    deliver: (position, key) => {
      const seq = delivered++
      if (key !== undefined) {
        unacknowledged.push({ seq, key })
        keys.add(key)
      }
      return { acknowledge: () => acknowledge(seq, position), unacknowledged: () => unacknowledged.filter((d) => d.seq <= seq).map((d) => d.key) }
    },
    holds: (key) => keys.has(key) || recent.has(key),
    mark: () => {
      recent = new Set<K>()
    },
    settled: () => chain,
  }
}

/**
 * Decodes what a source read into its records: each is delivered to the ledger (so that acknowledging a
 * later record covers it), and one that cannot be read or decoded goes to the dead letters, counted;
 * the others are yielded. With `held`, each record's `checkpointPosition` is its position and the keys
 * up to it not acknowledged yet, as `held` puts them together.
 */
export async function* decoded<A, P, K>(reads: AsyncIterable<Read<P, K>>, o: SourceOptions<A, P>, acknowledgements: Ledger<P, K>, held?: (position: P, unacknowledged: readonly K[]) => P): AsyncGenerator<SourceRecord<A, P>> {
  let count = 0
  for await (const r of reads) {
    const { acknowledge, unacknowledged } = acknowledgements.deliver(r.position, r.key)
    const result = 'value' in r.read && o.codec !== undefined ? decodeRecord(o.codec, r.read.value) : r.read
    if ('value' in result) yield { value: result.value as A, position: r.position, acknowledge, ...(held === undefined ? {} : { checkpointPosition: () => held(r.position, unacknowledged()) }) }
    else o.deadLetter?.({ position: r.position, raw: r.raw, path: result.path, reason: result.reason, count: ++count, acknowledge })
  }
}
