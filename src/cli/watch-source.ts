/**
 * The source `heatbath watch --source` names: `tail:path` (a file that grows, followed through rotation
 * and truncation), `-` (stdin) or `redis://host:port/stream?group=g&consumer=c` (a Redis Stream read
 * through a consumer group), its records decoded as rows of the energy's D numbers.
 *
 * @module
 */
import { resolve } from 'node:path'
import { Readable } from 'node:stream'
import type { Json } from '../energy/index.js'
import * as files from '../io/index.js'
import * as stream from '../stream/index.js'
import { UsageError } from './command.js'

/** Where records come from, as `--source` says. */
export type SourceSpec =
  | { readonly kind: 'tail'; readonly path: string }
  | { readonly kind: 'stdin' }
  | { readonly kind: 'redis'; readonly url: string; readonly stream: string; readonly group: string; readonly consumer: string; readonly field?: string }

const expected = 'tail:<file>, - (stdin) or redis://host:port/<stream>?group=<g>&consumer=<c>'

/**
 * The source of a `--source` value.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { sourceSpec } from './watch-source.js'
 * assert.deepEqual(sourceSpec('tail:logs/sensors.jsonl'), { kind: 'tail', path: 'logs/sensors.jsonl' })
 * assert.deepEqual(sourceSpec('redis://localhost:6379/sensors?group=g&consumer=a'), { kind: 'redis', url: 'redis://localhost:6379', stream: 'sensors', group: 'g', consumer: 'a' })
 * assert.throws(() => sourceSpec('redis://localhost:6379/sensors?group=g'), { message: '--source: expected a consumer (?group=<g>&consumer=<c>), got "redis://localhost:6379/sensors?group=g"' })
 * assert.throws(() => sourceSpec('sensors.jsonl'), { message: `--source: expected tail:<file>, - (stdin) or redis://host:port/<stream>?group=<g>&consumer=<c>, got "sensors.jsonl"` })
 */
export const sourceSpec = (text: string): SourceSpec => {
  if (text === '-') return { kind: 'stdin' }
  if (text.startsWith('tail:') && text.length > 5) return { kind: 'tail', path: text.slice(5) }
  if (!/^rediss?:\/\//.test(text)) throw new UsageError(`--source: expected ${expected}, got ${JSON.stringify(text)}`)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new UsageError(`--source: expected a Redis URL redis://host:port/<stream>?group=<g>&consumer=<c>, got ${JSON.stringify(text)}`)
  }
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''))
  if (name === '') throw new UsageError(`--source: expected a stream's name after the host (redis://host:port/<stream>), got ${JSON.stringify(text)}`)
  const group = url.searchParams.get('group')
  const consumer = url.searchParams.get('consumer')
  if (group === null || group === '') throw new UsageError(`--source: expected a consumer group (?group=<g>&consumer=<c>), got ${JSON.stringify(text)}`)
  if (consumer === null || consumer === '') throw new UsageError(`--source: expected a consumer (?group=<g>&consumer=<c>), got ${JSON.stringify(text)}`)
  const field = url.searchParams.get('field')
  const auth = url.username === '' ? '' : `${url.username}${url.password === '' ? '' : `:${url.password}`}@`
  return { kind: 'redis', url: `${url.protocol}//${auth}${url.host}`, stream: name, group, consumer, ...(field === null ? {} : { field }) }
}

/** What decoding a record needs, and where bad records go. */
export interface SourceSettings {
  readonly format: 'jsonl' | 'csv'
  /** The energy's dimension. */
  readonly D: number
  /** CSV column names (the file has a header) or a Redis entry's fields, in order; default: rows of D numbers. */
  readonly columns?: readonly string[]
  readonly pollMs: number
  readonly deadLetter: (d: stream.DeadLetter<unknown>) => void
  /** The position of the last record a checkpoint holds: the source goes on after it. */
  readonly from?: Json
  /** Where relative paths start from. */
  readonly cwd: string
  readonly stdin: AsyncIterable<string | Uint8Array>
}

/** The source a spec names, its records rows of D numbers. */
export const openSource = (spec: SourceSpec, o: SourceSettings): stream.Source<Float64Array, unknown> => {
  const codec = o.columns === undefined ? files.records.vector(o.D) : files.records.row(o.columns)
  const lines = { format: o.format, header: o.columns !== undefined && o.format === 'csv', codec, deadLetter: o.deadLetter }
  if (spec.kind === 'stdin') return stream.fromReadable(Readable.from(o.stdin), lines) as stream.Source<Float64Array, unknown>
  if (spec.kind === 'tail') {
    const from = o.from === undefined || o.from === null ? {} : { from: o.from as unknown as stream.FilePosition }
    return stream.tailFile(resolve(o.cwd, spec.path), { ...lines, pollMs: o.pollMs, ...from }) as stream.Source<Float64Array, unknown>
  }
  const redisCodec = spec.field === undefined && o.columns === undefined ? files.records.row(Array.from({ length: o.D }, (_v, i) => `x${i}`)) : codec
  const from = o.from === undefined || o.from === null ? {} : { from: o.from as unknown as stream.EntryPosition }
  const { kind: _kind, ...where } = spec
  return stream.fromRedisStream({ ...where, codec: redisCodec, deadLetter: o.deadLetter, ...from }) as stream.Source<Float64Array, unknown>
}
