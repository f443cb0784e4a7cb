/**
 * `stream.fromReadable`: records of JSON lines or CSV with their line and byte offsets; bad lines to the
 * dead letters, counted, the stream going on; reading paced by demand (a socket whose consumer is slow
 * stops reading, and the sender is held back); unsubscribing destroys the Readable.
 */
import { once } from 'node:events'
import { createServer, type Socket, connect } from 'node:net'
import { Readable } from 'node:stream'
import { lastValueFrom, take, toArray } from 'rxjs'
import t from 'tap'
import { records as codecs } from '../../../src/io/index.js'
import { boundedConcatMap, type DeadLetter, fromReadable, type LinePosition } from '../../../src/stream/index.js'
import { slowly, tick } from '../producer.js'

const all = <A>(o: import('rxjs').Observable<A>) => lastValueFrom(o.pipe(toArray()))

t.test('JSON lines: values, positions in lines and bytes, and bad lines as counted dead letters with the path', async (t) => {
  // Chunks cut across lines and a multi-byte character, and a last line without its newline.
  const text = '[1, 2]\n[3, "x"]\n\nnot json\n{"é": 1}\n[5,\n 6]\n[7, 8]'
  const bytes = Buffer.from(text)
  const chunks = [bytes.subarray(0, 3), bytes.subarray(3, 30), bytes.subarray(30, 31), bytes.subarray(31)]
  const letters: DeadLetter<LinePosition>[] = []
  const out = await all(fromReadable(Readable.from(chunks), { format: 'jsonl', codec: codecs.vector(2), deadLetter: (d) => letters.push(d) }))
  t.same(out.map((r) => Array.from(r.value)), [[1, 2], [7, 8]])
  t.same(out.map((r) => r.position), [{ line: 1, offset: 0, end: 7 }, { line: 8, offset: 44, end: 50 }])
  t.same(
    letters.map(({ position, path, reason, count, raw }) => ({ line: position.line, path, reason, count, raw })),
    [
      { line: 2, path: '[1]', reason: '[1]: expected a finite number, got "x"', count: 1, raw: '[3, "x"]' },
      { line: 4, path: '', reason: 'expected a JSON value, got "not json"', count: 2, raw: 'not json' },
      { line: 5, path: '', reason: 'expected an array of 2 numbers, got {"é":1}', count: 3, raw: '{"é": 1}' },
      { line: 6, path: '', reason: 'expected a JSON value, got "[5,"', count: 4, raw: '[5,' },
      { line: 7, path: '', reason: 'expected a JSON value, got " 6]"', count: 5, raw: ' 6]' },
    ],
  )
  t.equal(letters[2].position.end - letters[2].position.offset, Buffer.byteLength('{"é": 1}\n'), 'offsets count bytes, not characters')
})

t.test('CSV: a header names the columns; rows with the wrong fields, bad numbers or open quotes go to the dead letters', async (t) => {
  const csv = 'y,x\r\n2,1\r\n"4",3,9\r\n5,"oops\r\n, 7\r\n8e-1,-6\r\n'
  const letters: string[] = []
  const out = await all(fromReadable(Readable.from([csv]), { format: 'csv', header: true, codec: codecs.row(['x', 'y']), deadLetter: (d) => letters.push(`${d.position.line}: ${d.reason}`) }))
  t.same(out.map((r) => Array.from(r.value)), [[1, 2], [-6, 0.8]])
  t.same(letters, [
    '3: expected 2 fields (the columns y, x), got "\\"4\\",3,9"',
    '4: expected a CSV row (quotes closed), got "5,\\"oops"',
    '5: y: expected a finite number, got ""',
  ])
  const headerless = await all(fromReadable(Readable.from(['1,2\n3,4\n']), { format: 'csv', header: false, codec: codecs.vector(2) }))
  t.same(headerless.map((r) => Array.from(r.value)), [[1, 2], [3, 4]])
  const named = await all(fromReadable(Readable.from(['1,2\n']), { format: 'csv', header: ['a', 'b'] }))
  t.same(named.map((r) => r.value), [{ a: '1', b: '2' }], 'names given, and no codec: the fields as read')
})

t.test('a line longer than maxLineBytes is a dead letter, unread; a line without newlines cannot fill memory', async (t) => {
  const letters: string[] = []
  const long = 'x'.repeat(5000)
  const out = await all(fromReadable(Readable.from([`[1]\n${long.slice(0, 2000)}`, long.slice(2000), '\n[2]\n']), { format: 'jsonl', maxLineBytes: 100, deadLetter: (d) => letters.push(`${d.position.line}: ${d.reason}`) }))
  t.same(out.map((r) => r.value), [[1], [2]])
  t.same(letters, ['2: expected a line of at most 100 bytes, got one of 5000'])
})

t.test('a chunk is read only when the records read so far are used up', async (t) => {
  let given = 0
  function* chunks() {
    for (let i = 0; i < 100; i++) {
      given++
      yield `[${i}]\n[${i}]\n`
    }
  }
  const readable = Readable.from(chunks(), { objectMode: false, highWaterMark: 1 })
  const out = await lastValueFrom(fromReadable(readable, { format: 'jsonl' }).pipe(take(3), toArray()))
  t.equal(out.length, 3)
  // Two records a chunk: three records need two chunks, and Readable.from reads at most its small buffer ahead.
  t.ok(given <= 4, `chunks produced: ${given} of 100`)
  t.ok(readable.destroyed, 'take(3) unsubscribed, and that destroyed the Readable')
})

t.test('a TCP socket with a slow consumer: the socket stops reading and the sender is held back, memory bounded', async (t) => {
  const line = `${JSON.stringify(Array.from({ length: 8 }, (_, i) => i + 0.5))}\n`
  const offered = 64 * 2 ** 20 // 64 MB the sender would send if let
  let written = 0
  let peer: Socket | null = null
  const server = createServer((s) => {
    peer = s
    const block = Buffer.from(line.repeat(1000))
    const pump = () => {
      while (written < offered && !s.destroyed) {
        written += block.length
        if (!s.write(block)) return void s.once('drain', pump)
      }
    }
    s.on('error', () => undefined)
    pump()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => server.close())
  const socket = connect((server.address() as { port: number }).port, '127.0.0.1')
  let maxBuffered = 0
  const n = 300
  const out = await lastValueFrom(
    fromReadable(socket, { format: 'jsonl', codec: codecs.vector(8) }).pipe(
      boundedConcatMap(async (r, i) => {
        maxBuffered = Math.max(maxBuffered, socket.readableLength)
        if (i === n - 1) await tick()
        return slowly(r.position.line)
      }),
      take(n),
      toArray(),
    ),
  )
  t.same(out, Array.from({ length: n }, (_, i) => i + 1), 'every line, in order')
  // The Readable's buffer fills to its highWaterMark (16 KB) plus one chunk (up to 64 KB) and stops.
  t.ok(maxBuffered <= 16 * 2 ** 10 + 64 * 2 ** 10, `socket buffer held at most ${maxBuffered} bytes`)
  // What the kernel's socket buffers hold (a few MB at most on loopback) is all the sender got rid of.
  t.ok(written < offered / 4, `the sender wrote ${(written / 2 ** 20).toFixed(1)} MB of the ${offered / 2 ** 20} MB it had`)
  t.ok(socket.destroyed, 'unsubscribing destroyed the socket')
  await tick()
  ;(peer as Socket | null)?.destroy()
})

t.test('close: false leaves the Readable open; a Readable is read by one subscription', async (t) => {
  const readable = Readable.from(['[1]\n[2]\n[3]\n'])
  const source = fromReadable(readable, { format: 'jsonl', close: false })
  t.same((await lastValueFrom(source.pipe(take(1), toArray()))).map((r) => r.value), [[1]])
  t.notOk(readable.destroyed, 'left open')
  const again = fromReadable(Readable.from(['[1]\n']), { format: 'jsonl' })
  const first = again.subscribe()
  await t.rejects(lastValueFrom(again), { name: 'RangeError', message: /^stream\.fromReadable: readable: expected a Readable not yet read, got one another subscription is reading/ })
  first.unsubscribe()
})

t.test('bad arguments and bad chunks are named', async (t) => {
  t.throws(() => fromReadable({} as never, { format: 'jsonl' }), { name: 'TypeError', message: /^stream\.fromReadable: readable: expected a Node Readable/ })
  t.throws(() => fromReadable(Readable.from([]), { format: 'xml' as never }), { message: /^stream\.fromReadable: options\.format: expected/ })
  t.throws(() => fromReadable(Readable.from([]), { format: 'jsonl', header: true }), { name: 'RangeError', message: /JSON lines have no header/ })
  t.throws(() => fromReadable(Readable.from([]), { format: 'jsonl', codec: 3 as never }), { name: 'TypeError', message: /^stream\.fromReadable: options\.codec: expected an io-ts codec, got 3/ })
  t.throws(() => fromReadable(Readable.from([]), { format: 'jsonl', deadLetter: 'log' as never }), { name: 'TypeError', message: /options\.deadLetter: expected a function/ })
  await t.rejects(all(fromReadable(Readable.from([{ x: 1 }]), { format: 'jsonl' })), { name: 'TypeError', message: /^stream\.fromReadable: chunk: expected bytes or a string/ })
  const failing = new Readable({ read() { this.destroy(new Error('connection reset')) } })
  await t.rejects(all(fromReadable(failing, { format: 'jsonl' })), { message: /^stream\.fromReadable: the Readable failed: connection reset/ })
})

t.test('acknowledging calls onAcknowledge with the position, in order, once for each new position', async (t) => {
  const acked: number[] = []
  const out = await all(fromReadable(Readable.from(['[1]\n[2]\n[3]\n']), { format: 'jsonl', onAcknowledge: (p) => void acked.push(p.line) }))
  await out[1].acknowledge()
  await out[0].acknowledge() // before the one acknowledged: nothing more to do
  await out[2].acknowledge()
  t.same(acked, [2, 3])
})
