/**
 * `stream.tailFile`: the records appended to a file that grows, one a line, following it through
 * rotation and truncation, and resuming from a position.
 *
 * @module
 */
import { type FileHandle, open, readdir, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { func, integer, object, positiveInteger, string, typeError } from '../../check/index.js'
import { pullable, pullIterator } from '../pull.js'
import { checkLineOptions, type Line, lineOptionNames, type LineOptions, type LinePosition, lineReads, lineSplitter } from './lines.js'
import { checkSourceOptions, decoded, ledger, type Read, type Source, type SourceOptions } from './record.js'

/** A file's identity, which a rename keeps and a new file at the same path does not: device and inode. */
export interface FileIdentity {
  readonly dev: string
  readonly ino: string
}

/** Where a line of a tailed file is: the file's identity, and the line's number and byte offsets in it. */
export interface FilePosition extends LinePosition {
  readonly file: FileIdentity
}

/** What a tailed file did, as the source saw it. */
export type TailEvent =
  | { readonly kind: 'waiting'; readonly path: string }
  | { readonly kind: 'rotated'; readonly path: string; readonly from: FileIdentity; readonly to: FileIdentity | null }
  | { readonly kind: 'truncated'; readonly path: string; readonly file: FileIdentity; readonly at: number }
  | { readonly kind: 'resumed'; readonly path: string; readonly file: FileIdentity; readonly at: number; readonly rotated: boolean }
  | { readonly kind: 'lost'; readonly path: string; readonly file: FileIdentity }

/** The options of {@link tailFile}. */
export interface TailOptions<A> extends LineOptions, SourceOptions<A, FilePosition> {
  /** Resume after this record's position (a checkpoint's); default: from the start of the file. */
  readonly from?: FilePosition
  /** How often to look for new lines, a rotation or a truncation at the end of the file, in ms; default 100. */
  readonly pollMs?: number
  /** Receives what the file did: rotations, truncations, waiting for it to appear, a resume. */
  readonly onEvent?: (event: TailEvent) => void
}

const where = 'stream.tailFile'

const identityOf = async (path: string): Promise<FileIdentity | null> => {
  try {
    const s = await stat(path, { bigint: true })
    return { dev: String(s.dev), ino: String(s.ino) }
  } catch {
    return null
  }
}

const same = (a: FileIdentity | null, b: FileIdentity | null): boolean => a !== null && b !== null && a.dev === b.dev && a.ino === b.ino

/** The file in the directory of `path` with this identity: where a rotation renamed it to. */
const findRenamed = async (path: string, file: FileIdentity): Promise<string | null> => {
  const dir = dirname(path)
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (name !== basename(path) && same(await identityOf(join(dir, name)), file)) return join(dir, name)
  }
  return null
}

/** A file being read: its handle, identity, the offset read up to, and its lines' splitter and reads. */
interface Reading {
  readonly handle: FileHandle
  readonly file: FileIdentity
  offset: number
  split: ReturnType<typeof lineSplitter>
  reads: ReturnType<typeof lineReads<FilePosition>>
}

/** Checks a resume position (it comes from a checkpoint, so from outside). */
const checkPosition = (p: unknown): FilePosition => {
  const at = `${where}: options.from`
  const o = object(p, at)
  const file = object(o.file, `${at}.file`)
  return {
    file: { dev: string(file.dev, `${at}.file.dev`), ino: string(file.ino, `${at}.file.ino`) },
    line: integer(o.line, `${at}.line`),
    offset: integer(o.offset, `${at}.offset`),
    end: integer(o.end, `${at}.end`),
  }
}

/**
 * The records of a file that grows, one a line in JSON lines or CSV, as a pullable source: each decoded
 * with `codec` (bad ones to `deadLetter`), positioned by the file's identity (device, inode), the line's
 * number and its byte offsets in that file. Lines are read only as the consumer asks for them; at the
 * end of the file the source waits `pollMs` and looks again. A last line without its newline is held
 * until the newline comes (the writer may be in the middle of it).
 *
 * - **Rotation** (the file renamed, a new one created at `path`): the old file is read to its end, then
 *   the new one from its start. Lines written to the old file after that are not read.
 * - **Truncation** (copytruncate: the file copied, then cut to zero): when the file is shorter than the
 *   offset read up to, reading starts again at its start. Lines appended between the last read and the
 *   truncation are lost with the cut; so are those written when the file has grown back past the old
 *   offset before the source looks, which it cannot tell from appended lines.
 * - **Resume** (`from`: a record's position, as a checkpoint holds it): reading starts just after that
 *   record, in the file it was in: at `path` if that is still the file, else the file of that identity
 *   in the same directory (a rotation since renamed it), read to its end before `path`; if neither, the
 *   file is gone, a 'lost' event says so, and reading starts at `path`'s start.
 * - A file that does not exist yet is waited for.
 *
 * Each of these is reported to `onEvent`. Unsubscribing closes the file at once (a wait is cut short).
 *
 * Acknowledgement: the position is all the state there is, so `acknowledge` only calls `onAcknowledge`;
 * to lose nothing, keep the position of what a checkpoint holds and resume from it.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { appendFileSync, mkdtempSync } from 'node:fs'
 * import { tmpdir } from 'node:os'
 * import { join } from 'node:path'
 * import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs'
 * import { stream, io } from 'heatbath'
 * const path = join(mkdtempSync(join(tmpdir(), 'tail-')), 'points.jsonl')
 * appendFileSync(path, '[1, 2]\n[3, 4]\n')
 * const codec = io.records.vector(2)
 * const first = await firstValueFrom(stream.tailFile(path, { format: 'jsonl', codec, pollMs: 10 }))
 * assert.deepEqual(Array.from(first.value), [1, 2])
 * // Resumed after the first record, it reads the second and then what is appended.
 * const later = lastValueFrom(stream.tailFile(path, { format: 'jsonl', codec, from: first.position, pollMs: 10 }).pipe(take(2), toArray()))
 * appendFileSync(path, '[5, 6]\n')
 * assert.deepEqual((await later).map((r) => [r.position.line, Array.from(r.value)]), [[2, [3, 4]], [3, [5, 6]]])
 */
export const tailFile = <A = unknown>(path: string, options: TailOptions<A>): Source<A, FilePosition> => {
  string(path, `${where}: path`)
  const o = checkSourceOptions<TailOptions<A>>(options, where, [...lineOptionNames, 'from', 'pollMs', 'onEvent'])
  const settings: Settings = {
    path,
    lines: checkLineOptions(o, where),
    pollMs: positiveInteger(o.pollMs ?? 100, `${where}: options.pollMs`),
    from: o.from === undefined ? undefined : checkPosition(o.from),
    report: o.onEvent === undefined ? () => undefined : func<(e: TailEvent) => void>(o.onEvent, `${where}: options.onEvent`),
  }
  const acknowledgements = () => ledger<FilePosition, never>(async () => undefined, o.onAcknowledge)
  return pullable(pullIterator((signal) => decoded(readsOf({ ...settings, signal, buffer: Buffer.alloc(64 * 1024) }), o, acknowledgements())))
}

/** The checked arguments. */
interface Settings {
  readonly path: string
  readonly lines: ReturnType<typeof checkLineOptions>
  readonly pollMs: number
  readonly from: FilePosition | undefined
  readonly report: (e: TailEvent) => void
}

/** One subscription's reading: the settings, its signal and its read buffer. */
interface Tail extends Settings {
  readonly signal: AbortSignal
  readonly buffer: Buffer
}

const wait = (t: Tail) => sleep(t.pollMs, undefined, { signal: t.signal }).catch(() => undefined)

/** The file at `file`, opened for reading from `at` if it still has this identity; null otherwise. */
const start = async (t: Tail, file: string, identity: FileIdentity, at: { line: number; offset: number }): Promise<Reading | null> => {
  const handle = await open(file, 'r').catch(() => null)
  if (handle === null) return null
  const s = await handle.stat({ bigint: true })
  const opened = { dev: String(s.dev), ino: String(s.ino) }
  if (!same(opened, identity)) return (await handle.close(), null)
  const r: Reading = { handle, file: opened, offset: at.offset, split: lineSplitter(at, t.lines.maxLineBytes), reads: lineReads(t.lines, (l: Line) => ({ file: opened, line: l.line, offset: l.offset, end: l.end })) }
  if (at.offset > 0 && t.lines.header === true) await readHeader(t, r)
  return r
}

/** Resuming past a CSV header: the header is read again, so that rows are named as before. */
const readHeader = async (t: Tail, r: Reading): Promise<void> => {
  const split = lineSplitter({ line: 1, offset: 0 }, t.lines.maxLineBytes)
  for (let at = 0; at < r.offset; ) {
    const { bytesRead } = await r.handle.read(t.buffer, 0, Math.min(t.buffer.length, r.offset - at), at)
    if (bytesRead === 0) return
    at += bytesRead
    const header = split.push(t.buffer.subarray(0, bytesRead)).find((l) => l.text.trim() !== '')
    if (header !== undefined) return void r.reads(header)
  }
}

/** The file at `path` from its start, waited for while it does not exist (null once unsubscribed). */
const atPath = async (t: Tail): Promise<Reading> => {
  let announced = false
  for (;;) {
    const identity = await identityOf(t.path)
    const r = identity === null ? null : await start(t, t.path, identity, { line: 1, offset: 0 })
    if (r !== null || t.signal.aborted) return r as Reading
    if (!announced) t.report({ kind: 'waiting', path: t.path })
    announced = true
    await wait(t)
  }
}

/** The file a checkpoint's position was in, just after it: at `path`, or renamed by a rotation (then `rotated`). */
const resumed = async (t: Tail, p: FilePosition): Promise<{ readonly r: Reading | null; readonly rotated: boolean }> => {
  const next = { line: p.line + 1, offset: p.end }
  if (same(await identityOf(t.path), p.file)) return { r: await start(t, t.path, p.file, next), rotated: false }
  const renamed = await findRenamed(t.path, p.file)
  const r = renamed === null ? null : await start(t, renamed, p.file, next)
  // Lost: reading starts at `path` as if freshly subscribed, with no rotation to finish.
  return { r, rotated: r !== null }
}

/** The reads of a file's lines (a CSV header gives none). */
function* readsIn(r: Reading, lines: readonly Line[]): Generator<Read<FilePosition, never>> {
  for (const l of lines) {
    const read = r.reads(l)
    if (read !== undefined) yield read
  }
}

/** What the end of the file means: wait for more, start again (truncated), or move on (rotated). */
const atEnd = async (t: Tail, r: Reading, rotated: boolean): Promise<{ readonly kind: 'wait' } | { readonly kind: 'truncated' } | { readonly kind: 'rotated'; readonly to: FileIdentity | null }> => {
  const size = Number((await r.handle.stat({ bigint: true })).size)
  if (!rotated && size < r.offset) return { kind: 'truncated' }
  const current = await identityOf(t.path)
  return !rotated && same(current, r.file) ? { kind: 'wait' } : { kind: 'rotated', to: current }
}

/** The subscription's reads: the resumed file if any, then `path`, through truncations and rotations. */
async function* readsOf(t: Tail): AsyncGenerator<Read<FilePosition, never>> {
  let r: Reading | null = null
  let rotated = false
  try {
    if (t.from !== undefined) {
      ;({ r, rotated } = await resumed(t, t.from))
      t.report(r === null ? { kind: 'lost', path: t.path, file: t.from.file } : { kind: 'resumed', path: t.path, file: t.from.file, at: t.from.end, rotated })
    }
    r ??= await atPath(t)
    let drained = false
    while (!t.signal.aborted) {
      const { bytesRead } = await r.handle.read(t.buffer, 0, t.buffer.length, r.offset)
      if (bytesRead > 0) {
        r.offset += bytesRead
        yield* readsIn(r, r.split.push(t.buffer.subarray(0, bytesRead)))
        continue
      }
      const end = await atEnd(t, r, rotated)
      if (end.kind === 'wait') {
        await wait(t)
      } else if (end.kind === 'truncated') {
        t.report({ kind: 'truncated', path: t.path, file: r.file, at: r.offset })
        r.offset = 0
        r.split = lineSplitter({ line: 1, offset: 0 }, t.lines.maxLineBytes)
      } else if (!drained) {
        // Rotated: one more read to the end, since lines may have come between that read and the look.
        drained = true
      } else {
        yield* readsIn(r, r.split.flush())
        t.report({ kind: 'rotated', path: t.path, from: r.file, to: end.to })
        await r.handle.close()
        r = null
        rotated = false
        drained = false
        r = await atPath(t)
      }
    }
  } finally {
    await r?.handle.close()
  }
}
