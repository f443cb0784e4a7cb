/**
 * `stream.fromRedisStream` against a real Redis server of its own (spec/redis.ts): entries read through a
 * consumer group with their ids, bad ones to the dead letters; XACK up to a record; pending entries of a
 * consumer that died claimed by another and delivered first; a server killed and restarted mid-stream:
 * reconnected, counted, and nothing acknowledged lost or delivered again.
 */
import { Redis } from 'ioredis'
import { lastValueFrom, take, toArray } from 'rxjs'
import t from 'tap'
import { records as codecs } from '../../../src/io/index.js'
import { type EntryPosition, fromRedisStream, type RedisEvent, type SourceRecord } from '../../../src/stream/index.js'
import { redisSkip, startRedis } from '../../redis.js'
import { tick } from '../producer.js'

if (redisSkip !== false) {
  t.plan(0, `skipped: ${redisSkip}`)
} else {
  const server = await startRedis(t, { persist: true })
  const admin = new Redis(server.url, { maxRetriesPerRequest: null, retryStrategy: () => 50 })
  admin.on('error', () => undefined)
  t.teardown(() => void admin.disconnect())

  const xy = codecs.row(['x', 'y'])
  const add = async (key: string, n: number, from = 0): Promise<string[]> => {
    const ids: string[] = []
    for (let i = from; i < from + n; i++) ids.push((await admin.xadd(key, '*', 'x', String(i), 'y', String(-i))) as string)
    return ids
  }
  const pending = async (key: string, group: string): Promise<number> => Number(((await admin.xpending(key, group)) as [number])[0])
  const until = async (done: () => boolean | Promise<boolean>, what: string): Promise<void> => {
    for (let waited = 0; !(await done()); waited++) {
      if (waited > 10_000) throw new Error(`waited 10 s for ${what}`)
      await tick()
    }
  }

  t.test('entries through a group: ids as positions, bad entries to the dead letters, XACK up to a record', async (t) => {
    const ids = await add('s1', 3)
    await admin.xadd('s1', '*', 'x', 'oops', 'y', '1')
    const later = await add('s1', 1, 3)
    const events: RedisEvent[] = []
    const letters: string[] = []
    const options = { url: server.url, stream: 's1', group: 'g', consumer: 'a', codec: xy, blockMs: 50, onEvent: (e: RedisEvent) => events.push(e) }
    const records = await lastValueFrom(fromRedisStream({ ...options, deadLetter: (d) => letters.push(`${d.count} ${d.reason}`) }).pipe(take(4), toArray()))
    t.same(records.map((r) => Array.from(r.value)), [[0, -0], [1, -1], [2, -2], [3, -3]])
    t.same(records.map((r) => r.position.id), [...ids, ...later])
    t.same(letters, ['1 x: expected a finite number, got "oops"'])
    t.same(events, [{ kind: 'groupCreated', stream: 's1', group: 'g', start: '0' }])
    t.equal(await pending('s1', 'g'), 5, 'read, not acknowledged: all pending')
    await records[1].acknowledge()
    t.equal(await pending('s1', 'g'), 3, 'the first two acknowledged')
    await records[3].acknowledge()
    t.equal(await pending('s1', 'g'), 0, 'the dead letter between them too')
    // The same consumer again: nothing pending, nothing new; a new entry comes.
    const next = lastValueFrom(fromRedisStream(options).pipe(take(1), toArray()))
    await add('s1', 1, 9)
    t.same((await next).map((r) => Array.from(r.value as Float64Array)), [[9, -9]])
  })

  t.test('a consumer that dies leaves its entries pending: claimed by another after claimIdleMs, delivered first', async (t) => {
    await add('s2', 4)
    const base = { url: server.url, stream: 's2', group: 'g', codec: xy, blockMs: 50 }
    // Consumer a reads three and dies before acknowledging: its subscription ends, its entries stay pending.
    const dead = await lastValueFrom(fromRedisStream({ ...base, consumer: 'a', count: 3 }).pipe(take(3), toArray()))
    t.equal(await pending('s2', 'g'), 3)
    const events: RedisEvent[] = []
    const got: SourceRecord<Float64Array, EntryPosition>[] = []
    await new Promise((resolve) => setTimeout(resolve, 120))
    const b = fromRedisStream({ ...base, consumer: 'b', claimIdleMs: 100, onEvent: (e) => events.push(e) }).subscribe((r) => got.push(r))
    t.teardown(() => b.unsubscribe())
    await until(() => got.length === 4, 'four entries')
    t.same(got.slice(0, 3).map((r) => r.position.id), dead.map((r) => r.position.id), "a's entries first, claimed")
    t.same(Array.from(got[3].value), [3, -3], 'then the new one')
    t.match(events, [{ kind: 'claimed', count: 3, deleted: 0 }])
    await got[3].acknowledge()
    t.equal(await pending('s2', 'g'), 0, "b acknowledged a's entries with its own")
    b.unsubscribe()
  })

  t.test('a consumer restarted under its name gets its own pending entries back first', async (t) => {
    await add('s3', 3)
    const options = { url: server.url, stream: 's3', group: 'g', consumer: 'a', codec: xy, blockMs: 50 }
    const first = await lastValueFrom(fromRedisStream(options).pipe(take(2), toArray()))
    await first[0].acknowledge()
    const again = await lastValueFrom(fromRedisStream(options).pipe(take(2), toArray()))
    t.same(again.map((r) => r.position.id), [first[1].position.id, (await admin.xrange('s3', '-', '+'))[2][0]], 'the unacknowledged one, then the next')
  })

  t.test('a server killed and restarted mid-stream: reconnected and counted; every entry delivered, none acknowledged lost', async (t) => {
    const n = 40
    const ids = await add('s4', n / 2)
    const events: RedisEvent[] = []
    const seen: string[] = []
    const acknowledgements: Promise<void>[] = []
    const subscription = fromRedisStream({ url: server.url, stream: 's4', group: 'g', consumer: 'a', codec: xy, blockMs: 50, count: 5, maxReconnectDelayMs: 50, onEvent: (e) => events.push(e) }).subscribe((r) => {
      seen.push(r.position.id)
      // Acknowledged as they come: each XACK is on disk (appendfsync always) before Redis answers it.
      acknowledgements.push(r.acknowledge())
    })
    t.teardown(() => subscription.unsubscribe())
    await until(() => seen.length === n / 2, 'the first half')
    await Promise.all(acknowledgements)
    await server.kill()
    await new Promise((resolve) => setTimeout(resolve, 100))
    await server.start()
    ids.push(...(await add('s4', n / 2, n / 2)))
    await until(() => seen.length >= n, 'the second half')
    await Promise.all(acknowledgements)
    t.same([...new Set(seen)], ids, 'every entry, in order')
    t.equal(seen.length, n, 'none delivered twice: what was acknowledged before the crash stayed acknowledged')
    t.match(events.filter((e) => e.kind !== 'groupCreated'), [{ kind: 'disconnected', disconnects: 1 }, { kind: 'reconnected', reconnects: 1 }])
    t.equal(await pending('s4', 'g'), 0, 'all acknowledged')
    subscription.unsubscribe()
  })

  // A crash between a checkpoint and its XACK, the consumer having claimed a dead consumer's entries mid-run
  // (older ids, delivered after newer ones): resumed from the checkpoint's position, what the checkpoint
  // holds is acknowledged and not delivered again, and every other entry is delivered, whatever its id.
  const crashAfterCheckpoint = async (key: string, at: number) => {
    const base = { url: server.url, stream: key, group: 'g', codec: xy, blockMs: 50 }
    const old = await add(key, 5)
    await lastValueFrom(fromRedisStream({ ...base, consumer: 'b' }).pipe(take(5), toArray())) // b reads five and dies
    const fresh = await add(key, 5, 5)
    const got: SourceRecord<Float64Array, EntryPosition>[] = []
    // Not idle long enough at the start: a's claim comes after it has read the fresh entries.
    const a = fromRedisStream({ ...base, consumer: 'a', claimIdleMs: 400 }).subscribe((r) => got.push(r))
    await until(() => got.length === 10, 'the fresh entries, then the claimed ones')
    const later = await add(key, 2, 10)
    await until(() => got.length === 12, 'two more')
    a.unsubscribe() // the crash: the checkpoint of record `at` was written, its XACK never sent
    const order = got.map((r) => r.position.id)
    const checkpointed = JSON.parse(JSON.stringify(got[at].checkpointPosition?.() ?? got[at].position)) as EntryPosition
    const again: string[] = []
    const b = fromRedisStream({ ...base, consumer: 'a', from: checkpointed }).subscribe((r) => void again.push(r.position.id))
    const want = order.slice(at + 1)
    await until(() => again.length >= want.length || again.length + at + 1 >= 12, 'the entries after the checkpoint').catch(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 200)) // time to deliver anything more it (wrongly) would
    b.unsubscribe()
    return { order: { fresh, old, later, got: order }, want, again, pending: await pending(key, 'g') }
  }

  t.test('resumed from a checkpoint of a record read before entries were claimed: the claimed ones, older, are still delivered', async (t) => {
    const r = await crashAfterCheckpoint('s6', 2)
    t.same(r.order.got, [...r.order.fresh, ...r.order.old, ...r.order.later], 'the fresh entries, the claimed ones (older ids), the later ones')
    t.same([...r.again].sort(), [...r.want].sort(), 'every entry delivered after the checkpoint, the claimed ones among them, and nothing it holds')
    t.equal(r.pending, r.want.length, 'what the checkpoint held is acknowledged')
  })

  t.test('resumed from a checkpoint of a claimed record: the newer entries delivered before it are not delivered again', async (t) => {
    const r = await crashAfterCheckpoint('s7', 7)
    t.same([...r.again].sort(), [...r.want].sort(), 'only what came after the checkpoint')
    t.equal(r.pending, r.want.length, 'what the checkpoint held is acknowledged')
  })

  t.test('a checkpoint position without held ids holds the pending entries up to its id; bad held ids are named', async (t) => {
    const ids = await add('s8', 3)
    const options = { url: server.url, stream: 's8', group: 'g', consumer: 'a', codec: xy, blockMs: 50 }
    await lastValueFrom(fromRedisStream(options).pipe(take(3), toArray()))
    const again = await lastValueFrom(fromRedisStream({ ...options, from: { id: ids[1] } }).pipe(take(1), toArray()))
    t.same(again.map((r) => r.position.id), [ids[2]])
    t.throws(() => fromRedisStream({ ...options, from: { id: ids[1], held: 'x' as never } }), { name: 'TypeError', message: /^stream\.fromRedisStream: options\.from\.held: expected an array of entry ids, got "x"/ })
    t.throws(() => fromRedisStream({ ...options, from: { id: ids[1], held: ['7'] } }), { name: 'RangeError', message: /^stream\.fromRedisStream: options\.from\.held\[0\]: expected an entry id/ })
  })

  t.test('bad options are named', async (t) => {
    const ok = { url: server.url, stream: 's', group: 'g', consumer: 'a' }
    t.throws(() => fromRedisStream({ ...ok, url: 'http://localhost' }), { name: 'RangeError', message: 'stream.fromRedisStream: options.url: expected a redis:// or rediss:// URL, got "http://localhost"' })
    t.throws(() => fromRedisStream({ ...ok, group: 7 as never }), { name: 'TypeError', message: /^stream\.fromRedisStream: options\.group: expected a string, got 7/ })
    t.throws(() => fromRedisStream({ ...ok, start: '1' as never }), { message: /^stream\.fromRedisStream: options\.start: expected/ })
    t.throws(() => fromRedisStream({ ...ok, blockMs: 0 }), { name: 'RangeError', message: /^stream\.fromRedisStream: options\.blockMs/ })
    t.throws(() => fromRedisStream({ ...ok, streams: 's' } as never), { name: 'RangeError', message: /unknown option 'streams'/ })
  })
}
