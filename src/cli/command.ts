/**
 * What a subcommand is, what it is given (the process's streams), and the two kinds of failure: a bad
 * input (flags, a config file, a file they name), which exits with status 2, and a run that fails, which
 * exits with status 1.
 *
 * @module
 */
import type { Command } from 'commander'

/** The process as a subcommand sees it, so that tests can run one in-process. */
export interface Io {
  readonly stdout: Output
  readonly stderr: Output
  readonly stdin: AsyncIterable<string | Uint8Array>
  /** The directory relative paths start from. */
  readonly cwd: string
  /** Aborted on an interrupt (Ctrl-C): long runs stop between steps and keep what they saved. */
  readonly signal?: AbortSignal
}

/** A stream to write text to; a terminal when `isTTY`. A Node stream's events let {@link writeChunks} wait for it. */
export interface Output {
  write(text: string): unknown
  readonly isTTY?: boolean
  on?(event: 'drain' | 'error' | 'close', listener: (e: Error) => void): unknown
  off?(event: 'drain' | 'error' | 'close', listener: (e: Error) => void): unknown
}

/** One subcommand of `heatbath`: one file under src/cli/commands/, listed in its index. */
export interface Subcommand {
  readonly name: string
  /** One line for the list of subcommands. */
  readonly summary: string
  /** Adds the arguments, options and longer help to the subcommand's commander Command. */
  readonly configure: (c: Command) => Command
  /**
   * Runs the subcommand with its positional arguments and its flags as commander parsed them (text,
   * or true for a flag without a value); resolves to the exit status.
   */
  readonly run: (args: readonly string[], flags: Readonly<Record<string, unknown>>, io: Io) => Promise<number>
}

/** Exit statuses: 130 (128 + SIGINT) for a run stopped by an interrupt, as shells report it. */
export const exitStatus = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const

/**
 * A bad input: a flag, a config file or a file they name. The message names the path of the bad field,
 * the bad value and what was expected; the process exits with status 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/**
 * Runs `f`, which reads or checks input, turning the library's argument errors (RangeError, TypeError:
 * `where: expected …, got …`) into a UsageError prefixed with `where`, the input's path (`run.json:
 * optimizer`), so that the message says which part of the input holds the bad value.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { input } from './command.js'
 * assert.throws(() => input('run.json: optimizer', () => { throw new RangeError('train.adam: lr: expected a positive number, got 0') }), { name: 'UsageError', message: 'run.json: optimizer: train.adam: lr: expected a positive number, got 0' })
 */
export const input = <A>(where: string, f: () => A): A => {
  try {
    return f()
  } catch (e) {
    throw asUsage(where, e)
  }
}

/** {@link input} for an asynchronous reader. */
export const inputAsync = async <A>(where: string, f: () => Promise<A>): Promise<A> => {
  try {
    return await f()
  } catch (e) {
    throw asUsage(where, e)
  }
}

const asUsage = (where: string, e: unknown): unknown => {
  if (e instanceof UsageError) return e
  if (e instanceof RangeError || e instanceof TypeError) return new UsageError(where === '' ? e.message : `${where}: ${e.message}`)
  return e
}

/** Writes one JSON line: how a run reports itself when its output is not a terminal. */
export const jsonLine = (out: Output, value: unknown): void => {
  out.write(`${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`)
}

/**
 * Writes text to `out` chunk by chunk as the chunks are made, waiting for 'drain' whenever a Node stream
 * says its buffer is full, so that a large output is held one chunk at a time, not whole. A stream that
 * fails (a closed pipe, a full disk) stops the writing: the error names `where`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { Writable } from 'node:stream'
 * import { writeChunks } from './command.js'
 * let written = ''
 * const slow = new Writable({ highWaterMark: 4, write: (c, _e, done) => setImmediate(() => { written += c; done() }) })
 * await writeChunks(slow, ['chain__,x0\n', '1,0.5\n', '1,0.25\n'], 'stdout')
 * assert.equal(written, 'chain__,x0\n1,0.5\n1,0.25\n')
 * const closed = new Writable({ write: (_c, _e, done) => done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })) })
 * closed.on('error', () => undefined)
 * await assert.rejects(writeChunks(closed, ['a\n', 'b\n', 'c\n'], 'stdout'), { message: 'stdout: the output was cut short (write EPIPE)' })
 * const full = new Writable({ highWaterMark: 1, write: () => undefined }) // never done: destroyed below
 * setTimeout(() => full.destroy(), 10)
 * await assert.rejects(writeChunks(full, ['a\n', 'b\n'], 'stdout'), { message: 'stdout: the output was cut short (the stream was closed)' })
 */
export const writeChunks = async (out: Output, chunks: Iterable<string> | AsyncIterable<string>, where: string): Promise<void> => {
  let failed: Error | undefined
  let wake = (): void => undefined
  const onError = (e: Error): void => {
    failed ??= e
    wake()
  }
  const onDrain = (): void => wake()
  // A stream destroyed without an error would never drain: closed before the last chunk is a failure too.
  const onClose = (): void => onError(new Error('the stream was closed'))
  out.on?.('error', onError)
  out.on?.('drain', onDrain)
  out.on?.('close', onClose)
  try {
    for await (const chunk of chunks) {
      if (failed !== undefined) break
      // Without events (a plain object, as in tests) there is nothing to wait for.
      if (out.write(chunk) === false && out.on !== undefined && failed === undefined) await new Promise<void>((resolve) => (wake = resolve))
    }
  } finally {
    out.off?.('error', onError)
    out.off?.('drain', onDrain)
    out.off?.('close', onClose)
  }
  if (failed !== undefined) throw cutShort(where, failed)
}

/** The error of an output that could not be written whole, naming where it was going (a flag, stdout). */
export const cutShort = (where: string, e: unknown): Error =>
  Object.assign(new Error(`${where}: the output was cut short (${e instanceof Error ? e.message : String(e)})`), { cause: e })
