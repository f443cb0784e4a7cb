/**
 * `stream.fromRedisStream`: a Redis Stream read through a consumer group, acknowledged with XACK, with
 * the pending entries of a consumer that died claimed and delivered first.
 *
 * @module
 */
import type { Redis } from 'ioredis'
import { func, object, oneOf, positiveInteger, rangeError, string, typeError } from '../../check/index.js'
import { pullable, pullIterator } from '../pull.js'
import { checkSourceOptions, decoded, type Ledger, ledger, type Read, type Source, type SourceOptions } from './record.js'
import { connect, type Entry, entriesOf, type EntryPosition, readOf, type RedisEvent, watch, type Watch } from './redis-connection.js'

/** The options of {@link fromRedisStream}. */
export interface RedisStreamOptions<A> extends SourceOptions<A, EntryPosition> {
  /** The server: `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
  readonly url: string
  /** The stream's key. */
  readonly stream: string
  /** The consumer group, created (with the stream, MKSTREAM) when it does not exist. */
  readonly group: string
  /** This consumer's name in the group: a restarted consumer under the same name gets its pending entries back first. */
  readonly consumer: string
  /** Where a group created here starts: '0' (the default) the whole stream, '$' only entries added from now. */
  readonly start?: '0' | '$'
  /** The field holding a JSON record; without it a record is the entry's fields, as strings. */
  readonly field?: string
  /** Entries fetched a read (XREADGROUP COUNT), at most this many ahead of the consumer; default 100. */
  readonly count?: number
  /** How long a read waits for new entries (XREADGROUP BLOCK), in ms; default 1000. */
  readonly blockMs?: number
  /**
   * How long another consumer's entry must have been pending before it is claimed (XAUTOCLAIM's
   * min-idle-time), in ms; default 60000. Longer than the time a live consumer takes to acknowledge,
   * or entries it is still working on are claimed from it. Claims run at subscription, then this often.
   */
  readonly claimIdleMs?: number
  /** The longest wait between attempts to reconnect, in ms; default 1000. */
  readonly maxReconnectDelayMs?: number
  /** Receives what the connection did: the group created, entries claimed, drops and returns. */
  readonly onEvent?: (event: RedisEvent) => void
  /**
   * Resume after a checkpoint: the `checkpointPosition()` of the last record it holds. This consumer's
   * pending entries that the checkpoint holds (its `held` ids, whose XACK a crash may have cut off) are
   * acknowledged and not delivered; the others are delivered. A position without `held` (a record's
   * `position`) holds the pending entries up to its id.
   */
  readonly from?: EntryPosition
}

const where = 'stream.fromRedisStream'

/** One subscription's connections, its signal and its acknowledgements. */
interface Session {
  readonly reader: Redis
  readonly commands: Redis
  readonly signal: AbortSignal
  readonly watched: Watch
  readonly acknowledgements: Ledger<EntryPosition, string>
}
const names = ['url', 'stream', 'group', 'consumer', 'start', 'field', 'count', 'blockMs', 'claimIdleMs', 'maxReconnectDelayMs', 'onEvent', 'from'] as const

const entryId = /^(\d+)-(\d+)$/

/** An entry id as a pair of integers, in the order Redis gives them. */
const idOf = (id: string, where: string): readonly [bigint, bigint] => {
  const m = entryId.exec(id)
  if (m === null) throw rangeError(where, 'an entry id <milliseconds>-<sequence>', id)
  return [BigInt(m[1]), BigInt(m[2])]
}

/** Whether entry id `a` comes no later than `b`. */
const upTo = (a: readonly [bigint, bigint], b: readonly [bigint, bigint]): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1])

/** Which pending entries a checkpoint's position holds: its `held` ids, or without them those up to its id. */
const resumeFrom = (position: unknown): { readonly holds: (id: string) => boolean } => {
  const at = `${where}: options.from`
  const p = object(position, at) as { readonly id?: unknown; readonly held?: unknown }
  const last = idOf(string(p.id, `${at}.id`), `${at}.id`)
  if (p.held === undefined) return { holds: (id) => upTo(idOf(id, where), last) }
  if (!Array.isArray(p.held)) throw typeError(`${at}.held`, 'an array of entry ids', p.held)
  const held = new Set(p.held.map((id, i) => (idOf(string(id, `${at}.held[${i}]`), `${at}.held[${i}]`), id as string)))
  return { holds: (id) => held.has(id) }
}

const checkUrl = (url: unknown): string => {
  const u = string(url, `${where}: options.url`)
  let protocol = ''
  try {
    protocol = new URL(u).protocol
  } catch {
    protocol = ''
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') throw rangeError(`${where}: options.url`, 'a redis:// or rediss:// URL', u)
  return u
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/**
 * The entries of a Redis Stream read by `consumer` of a consumer group, as a pullable source of records,
 * each decoded with `codec` (bad ones to `deadLetter`) and positioned by its entry id. On subscribing it
 * creates the group if needed (XGROUP CREATE … MKSTREAM), then delivers, in this order:
 *
 * 1. its own pending entries (delivered to this consumer name before and never acknowledged: a restart
 *    after a crash gets them back);
 * 2. other consumers' entries pending longer than `claimIdleMs`, claimed (XAUTOCLAIM): a consumer that
 *    died does not keep its entries; claims run again every `claimIdleMs`;
 * 3. new entries (XREADGROUP … BLOCK `blockMs` COUNT `count` … '>'), `count` at a time and only as the
 *    consumer asks for them: the stream waits in Redis, not in memory.
 *
 * `acknowledge` on a record sends XACK for it and every entry delivered before it (dead letters
 * included), and resolves when Redis has them: an acknowledged entry is never delivered again. Entries
 * not acknowledged stay pending, and come back (1 or 2) after a crash. A crash between a checkpoint and
 * its acknowledgement leaves entries pending that the checkpoint holds: a checkpoint keeps a record's
 * `checkpointPosition()`, its id and the ids delivered up to it whose XACK was not confirmed yet, and
 * resumed with it as `from`, this consumer's pending entries among those are acknowledged and not
 * delivered, while every other pending entry is (one claimed from another consumer after the checkpoint
 * as well, whatever its id: claimed entries come out of id order). An entry is delivered once a
 * subscription, however often it is found pending.
 *
 * A server that goes away is reconnected to (forever, backing off to `maxReconnectDelayMs`), each drop
 * and return counted and reported to `onEvent`; acknowledgements made meanwhile wait and are sent on
 * return. After a return the consumer's pending entries are read again, so an entry whose delivery was
 * lost with the connection is delivered; a group lost with the server's data is created again. Nothing
 * acknowledged is lost, given a server that keeps its data (append-only file or snapshots).
 *
 * Unsubscribing closes the connections (a blocked read is cut short); an acknowledgement after that
 * opens a connection of its own.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { stream, io } from 'heatbath'
 * // Points in an entry's fields x and y: XADD sensors * x 1.5 y -2
 * const source = stream.fromRedisStream({ url: 'redis://127.0.0.1:6379', stream: 'sensors', group: 'heatbath', consumer: 'a', codec: io.records.row(['x', 'y']) })
 * assert.equal(typeof source.pull, 'function') // nothing connects until it is subscribed to
 */
export const fromRedisStream = <A = unknown>(options: RedisStreamOptions<A>): Source<A, EntryPosition> => {
  const settings = settingsOf(options)
  return pullable(pullIterator((signal: AbortSignal) => open(settings, signal)))
}

/** The checked options, with their defaults. */
interface Settings<A> {
  readonly options: Readonly<Partial<RedisStreamOptions<A>>>
  readonly url: string
  readonly key: string
  readonly group: string
  readonly consumer: string
  readonly start: '0' | '$'
  readonly field: string | undefined
  readonly count: number
  readonly blockMs: number
  readonly claimIdleMs: number
  readonly maxDelayMs: number
  readonly report: (e: RedisEvent) => void
  readonly from: { readonly holds: (id: string) => boolean } | null
}

const settingsOf = <A>(options: RedisStreamOptions<A>): Settings<A> => {
  const o = checkSourceOptions<RedisStreamOptions<A>>(options, where, [...names])
  return {
    options: o,
    url: checkUrl(o.url),
    key: string(o.stream, `${where}: options.stream`),
    group: string(o.group, `${where}: options.group`),
    consumer: string(o.consumer, `${where}: options.consumer`),
    start: oneOf(o.start ?? '0', `${where}: options.start`, ['0', '$'] as const),
    field: o.field === undefined ? undefined : string(o.field, `${where}: options.field`),
    count: positiveInteger(o.count ?? 100, `${where}: options.count`),
    blockMs: positiveInteger(o.blockMs ?? 1000, `${where}: options.blockMs`),
    claimIdleMs: positiveInteger(o.claimIdleMs ?? 60_000, `${where}: options.claimIdleMs`),
    maxDelayMs: positiveInteger(o.maxReconnectDelayMs ?? 1000, `${where}: options.maxReconnectDelayMs`),
    report: o.onEvent === undefined ? () => undefined : func<(e: RedisEvent) => void>(o.onEvent, `${where}: options.onEvent`),
    from: o.from === undefined ? null : resumeFrom(o.from),
  }
}

/** One subscription: its two connections, closed when `signal` aborts, and the decoded entries. */
const open = <A>(c: Settings<A>, signal: AbortSignal) => {
  const reader = connect(c.url, c.maxDelayMs)
  const commands = connect(c.url, c.maxDelayMs)
  const watched = watch(reader, c.report, () => signal.aborted)
  commands.on('error', () => undefined)
  let closed = false
  // XACK on the subscription's connection, or on one of its own once that has closed.
  const xack = async (ids: readonly string[]): Promise<void> => {
    if (ids.length === 0) return
    if (!closed) return void (await commands.xack(c.key, c.group, ...ids))
    const late = connect(c.url, c.maxDelayMs)
    late.on('error', () => undefined)
    try {
      await late.xack(c.key, c.group, ...ids)
    } finally {
      late.disconnect()
    }
  }
  const acknowledgements = ledger<EntryPosition, string>(xack, c.options.onAcknowledge)
  const close = async (): Promise<void> => {
    reader.disconnect()
    await acknowledgements.settled()
    closed = true
    await commands.quit().catch(() => commands.disconnect())
  }
  signal.addEventListener('abort', () => void close())
  const reads = entries({ ...c, reader, commands, signal, watched, acknowledgements })
  return decoded(reads, c.options, acknowledgements, (p, held) => ({ id: p.id, held }))
}

/** What reading a subscription's entries needs: the settings and the session. */
type Reading = Settings<unknown> & Session

const createGroup = async (r: Reading): Promise<void> => {
  try {
    await r.commands.xgroup('CREATE', r.key, r.group, r.start, 'MKSTREAM')
    r.report({ kind: 'groupCreated', stream: r.key, group: r.group, start: r.start })
  } catch (e) {
    if (!messageOf(e).startsWith('BUSYGROUP')) throw e
  }
}

/** A command's reply, or undefined once unsubscribed; a group lost with the server's data is made again. */
const send = async <T>(r: Reading, name: string, run: () => Promise<T>): Promise<T | undefined> => {
  for (;;) {
    try {
      r.acknowledgements.mark()
      return await run()
    } catch (e) {
      if (r.signal.aborted) return undefined
      if (!messageOf(e).startsWith('NOGROUP')) throw new Error(`${where}: ${name} on stream '${r.key}', group '${r.group}' failed: ${messageOf(e)}`, { cause: e })
      await createGroup(r)
    }
  }
}

/** The entries of a batch not delivered yet this subscription. */
const fresh = (r: Reading, batch: readonly Entry[]) => batch.filter(([id]) => !r.acknowledgements.holds(id)).map((e) => readOf(e, r.field))

/** This consumer's pending entries, as many as there are. */
async function* own(r: Reading): AsyncGenerator<Read<EntryPosition, string>> {
  for (let after = '0'; ; ) {
    const batch = entriesOf(await send(r, 'XREADGROUP', () => r.reader.xreadgroup('GROUP', r.group, r.consumer, 'COUNT', r.count, 'STREAMS', r.key, after)))
    if (batch.length === 0) return
    after = batch[batch.length - 1][0]
    yield* fresh(r, batch)
  }
}

/** Other consumers' entries pending longer than claimIdleMs, claimed (XAUTOCLAIM). */
async function* claimed(r: Reading): AsyncGenerator<Read<EntryPosition, string>> {
  let total = 0
  let deleted = 0
  for (let cursor = '0-0'; ; ) {
    const reply = (await send(r, 'XAUTOCLAIM', () => r.reader.xautoclaim(r.key, r.group, r.consumer, r.claimIdleMs, cursor, 'COUNT', r.count))) as [string, Entry[], string[]?] | undefined
    if (reply === undefined) return
    const batch = fresh(r, reply[1])
    total += batch.length
    deleted += reply[2]?.length ?? 0
    yield* batch
    cursor = reply[0]
    if (cursor === '0-0') break
  }
  if (total + deleted > 0) r.report({ kind: 'claimed', count: total, deleted })
}

/** This consumer's pending entries, less those the checkpoint holds: acknowledged, not delivered again. */
async function* resumed(r: Reading): AsyncGenerator<Read<EntryPosition, string>> {
  const held: string[] = []
  for await (const e of own(r)) {
    if (r.from?.holds(e.position.id) === true) held.push(e.position.id)
    else yield e
  }
  if (held.length > 0) await send(r, 'XACK', () => r.commands.xack(r.key, r.group, ...held))
}

/** The subscription's entries in the order the docs give: resumed pending ones, claims, then new ones. */
async function* entries(r: Reading): AsyncGenerator<Read<EntryPosition, string>> {
  await send(r, 'XGROUP CREATE', () => createGroup(r))
  let lastClaim = -Infinity
  yield* resumed(r)
  while (!r.signal.aborted) {
    if (r.watched.cameBack()) yield* own(r)
    if (performance.now() - lastClaim >= r.claimIdleMs) {
      lastClaim = performance.now()
      yield* claimed(r)
    }
    const reply = await send(r, 'XREADGROUP', () => r.reader.xreadgroup('GROUP', r.group, r.consumer, 'COUNT', r.count, 'BLOCK', r.blockMs, 'STREAMS', r.key, '>'))
    yield* fresh(r, entriesOf(reply))
  }
}
