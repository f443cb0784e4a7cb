/**
 * `stream.fromReadable`: the records of a Node Readable of bytes (stdin, a file, a TCP socket), one a
 * line, read only as fast as the consumer asks.
 *
 * @module
 */
import type { Readable } from 'node:stream'
import { boolean, typeError } from '../../check/index.js'
import { pullable, pullIterator } from '../pull.js'
import { checkLineOptions, type Line, lineOptionNames, type LineOptions, type LinePosition, lineReads, lineSplitter } from './lines.js'
import { checkSourceOptions, decoded, ledger, type Read, type Source, type SourceOptions } from './record.js'

/** The options of {@link fromReadable}. */
export interface ReadableSourceOptions<A> extends LineOptions, SourceOptions<A, LinePosition> {
  /** Whether unsubscribing destroys the Readable (closing a socket or file); default true. */
  readonly close?: boolean
}

const where = 'stream.fromReadable'

/** Readables a subscription is reading: a second one at the same time would interleave their lines. */
const reading = new WeakSet<Readable>()

/**
 * Waits for the Readable to have data, end or close (after an error too), or for the signal: whichever
 * comes first. Listens only while it waits, so between waits nothing reads and the Readable's buffer
 * fills and pauses it.
 */
const readiness = (readable: Readable, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const events = ['readable', 'end', 'close'] as const
    const settle = (): void => {
      events.forEach((e) => readable.off(e, settle))
      signal.removeEventListener('abort', settle)
      resolve()
    }
    events.forEach((e) => readable.on(e, settle))
    signal.addEventListener('abort', settle)
  })

const failed = (e: unknown): Error => new Error(`${where}: the Readable failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e })

/** The chunks of a Readable, each read when the one before has been used; its error errors the stream. */
async function* chunksOf(readable: Readable, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  // Kept for good: an error emitted after the reading stopped is already known, or no longer matters, and
  // must not go unhandled.
  readable.on('error', () => undefined)
  for (;;) {
    if (readable.errored !== null) throw failed(readable.errored)
    const chunk: unknown = readable.read()
    if (typeof chunk === 'string') yield Buffer.from(chunk)
    else if (chunk instanceof Uint8Array) yield chunk
    else if (chunk !== null) throw typeError(`${where}: chunk`, 'bytes or a string (for a Readable in object mode, use stream.fromAsyncIterable)', chunk)
    else if (readable.errored !== null) throw failed(readable.errored)
    else if (readable.readableEnded || readable.destroyed || signal.aborted) return
    else await readiness(readable, signal)
  }
}

async function* linesOf(readable: Readable, o: ReturnType<typeof checkLineOptions>, signal: AbortSignal): AsyncGenerator<Read<LinePosition, never>> {
  const split = lineSplitter({ line: 1, offset: 0 }, o.maxLineBytes)
  const reads = lineReads(o, (l: Line): LinePosition => ({ line: l.line, offset: l.offset, end: l.end }))
  const keep = (lines: Line[]) => lines.map(reads).filter((r): r is Read<LinePosition, never> => r !== undefined)
  for await (const chunk of chunksOf(readable, signal)) yield* keep(split.push(chunk))
  if (!signal.aborted) yield* keep(split.flush())
}

/**
 * The records of a Readable of bytes or text (stdin, `fs.createReadStream`, a `net.Socket`), one a line
 * in JSON lines or CSV, as a pullable source: each decoded with `codec` (bad ones, and lines that are not
 * JSON or CSV, to `deadLetter` with their line), positioned by line number and byte offsets.
 *
 * Backpressure is the Readable's own: a chunk is read only when the consumer asks for more records
 * than the chunks read so far hold, so while it is busy the Readable's buffer fills to its
 * highWaterMark and Node stops reading (a socket stops reading from the kernel, and TCP slows the
 * sender). Memory is bounded by that buffer, one chunk, and `maxLineBytes`. Subscribed to without a
 * pulling consumer, it reads as fast as the data comes.
 *
 * Unsubscribing destroys the Readable (`close: false` leaves it open, paused). A Readable can be read
 * once: a second subscription while one reads is an error.
 *
 * Acknowledgement: a Readable cannot be told what was done and cannot replay, so `acknowledge` only calls
 * `onAcknowledge`. What was read and not yet acted on is lost if the process dies, unless the writer can
 * resend from a position (the line number) you keep.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { Readable } from 'node:stream'
 * import { lastValueFrom, toArray } from 'rxjs'
 * import { stream, io } from 'heatbath'
 * const csv = Readable.from(['x,y\n1,2\n', '3,oops\n5,', '6\n'])
 * const bad: number[] = []
 * const source = stream.fromReadable(csv, { format: 'csv', header: true, codec: io.records.row(['x', 'y']), deadLetter: (d) => bad.push(d.position.line) })
 * const records = await lastValueFrom(source.pipe(toArray()))
 * assert.deepEqual(records.map((r) => Array.from(r.value)), [[1, 2], [5, 6]])
 * assert.deepEqual(records.map((r) => r.position), [{ line: 2, offset: 4, end: 8 }, { line: 4, offset: 15, end: 19 }])
 * assert.deepEqual(bad, [3])
 */
export const fromReadable = <A = unknown>(readable: Readable, options: ReadableSourceOptions<A>): Source<A, LinePosition> => {
  const r = readable as Partial<Readable> | null
  if (typeof r?.read !== 'function' || typeof r?.on !== 'function') throw typeError(`${where}: readable`, 'a Node Readable', readable)
  const o = checkSourceOptions<ReadableSourceOptions<A>>(options, where, [...lineOptionNames, 'close'])
  const lines = checkLineOptions(o, where)
  const close = boolean(o.close ?? true, `${where}: options.close`)
  const open = (signal: AbortSignal) => {
    if (reading.has(readable) || readable.destroyed || readable.readableEnded) {
      throw new RangeError(`${where}: readable: expected a Readable not yet read, got one ${reading.has(readable) ? 'another subscription is reading' : 'already read or destroyed'} (a Readable is read once: subscribe once)`)
    }
    reading.add(readable)
    signal.addEventListener('abort', () => {
      reading.delete(readable)
      if (close) readable.destroy()
    })
    return decoded(linesOf(readable, lines, signal), o, ledger<LinePosition, never>(async () => undefined, o.onAcknowledge))
  }
  return pullable(pullIterator(open))
}
