/**
 * The Redis side of `stream.fromRedisStream`: connections that reconnect on their own (counted and
 * reported), and the replies of XREADGROUP and XAUTOCLAIM turned into reads.
 *
 * @module
 */
import { Redis } from 'ioredis'
import { jsonLine } from '../../io/lines.js'
import type { Read } from './record.js'

/**
 * Where an entry is in its stream: its id. A checkpoint's position (a record's `checkpointPosition()`)
 * also has `held`: the ids delivered up to the entry whose XACK was not confirmed when it was written.
 */
export interface EntryPosition {
  readonly id: string
  readonly held?: readonly string[]
}

/** What the connection to Redis did, as the source saw it. */
export type RedisEvent =
  | { readonly kind: 'groupCreated'; readonly stream: string; readonly group: string; readonly start: string }
  | { readonly kind: 'claimed'; readonly count: number; readonly deleted: number }
  | { readonly kind: 'disconnected'; readonly error: string; readonly disconnects: number }
  | { readonly kind: 'reconnected'; readonly reconnects: number }

/** An entry as Redis returns it: its id and its fields and values in turn (null once deleted). */
export type Entry = readonly [id: string, fields: readonly string[] | null]

/**
 * A client for `url` that retries forever, backing off to `maxDelayMs`, and keeps the commands sent while
 * the server is away until it is back (so an XACK waits rather than fails).
 */
export const connect = (url: string, maxDelayMs: number): Redis =>
  new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(50 * times, maxDelayMs),
  })

/** The counts of a connection's drops and returns, and a flag set at each return. */
export interface Watch {
  readonly reconnects: () => number
  /** Whether the connection came back since the last call (which clears it). */
  readonly cameBack: () => boolean
}

/**
 * Counts a connection's drops and returns, reporting each: a drop when a ready connection closes, a
 * return when it is ready again. Errors are kept for the report rather than left unhandled.
 */
export const watch = (client: Redis, report: (e: RedisEvent) => void, closing: () => boolean): Watch => {
  let ready = false
  let down = false
  let lastError = 'the connection closed'
  let disconnects = 0
  let reconnects = 0
  let back = false
  client.on('error', (e: Error) => (lastError = e.message))
  client.on('close', () => {
    if (!ready || down || closing()) return
    down = true
    report({ kind: 'disconnected', error: lastError, disconnects: ++disconnects })
  })
  client.on('ready', () => {
    if (ready) {
      back = true
      report({ kind: 'reconnected', reconnects: ++reconnects })
    }
    ready = true
    down = false
  })
  return {
    reconnects: () => reconnects,
    cameBack: () => {
      const b = back
      back = false
      return b
    },
  }
}

/** The entries of an XREADGROUP reply (one stream), or none when it timed out. */
export const entriesOf = (reply: unknown): readonly Entry[] => {
  const streams = reply as readonly (readonly [string, readonly Entry[]])[] | null
  return streams?.[0]?.[1] ?? []
}

/**
 * The read of an entry: its fields as a record of strings, or with `field` the JSON value in that field;
 * an entry deleted from the stream before it was read is a rejection.
 */
export const readOf = ([id, values]: Entry, field: string | undefined): Read<EntryPosition, string> => {
  const at = { position: { id }, key: id }
  if (values === null) return { ...at, raw: null, read: { path: '', reason: 'expected an entry, got none (deleted from the stream before it was read)' } }
  const fields: Record<string, string> = {}
  for (let i = 0; i + 1 < values.length; i += 2) fields[values[i]] = values[i + 1]
  if (field === undefined) return { ...at, raw: fields, read: { value: fields } }
  const text = fields[field]
  const read = text === undefined ? { path: field, reason: `${field}: expected a JSON value, got nothing` } : jsonLine(text)
  return { ...at, raw: fields, read: 'value' in read || read.path !== '' ? read : { path: field, reason: `${field}: ${read.reason}` } }
}
