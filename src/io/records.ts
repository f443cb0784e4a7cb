/**
 * Live records decoded at the edge: io-ts codecs for the records a stream source reads (numeric vectors,
 * named columns of a CSV row or a Redis entry, JSON records with fields) and the decoding that turns a bad
 * record into a rejection (the path of the bad field and why) for the dead letters, never a throw.
 *
 * Fields read from text (CSV, a Redis entry's values) are strings, so the numeric codecs here accept a
 * number or a string that is one written in decimal (`'1.5'`, `'-2e-3'`): the same codec reads a record
 * whether it came as JSON or as text.
 *
 * @module
 */
import * as t from 'io-ts'
import { rangeError, typeError } from '../check/index.js'
import { decodeResult } from './decode.js'

/** A codec a source decodes its records with: any io-ts decoder from what the source read. */
export type RecordCodec<A> = t.Decoder<unknown, A>

/** Why a record was rejected: the io-ts path of the bad field (`''` for the record itself) and the reason. */
export interface Rejection {
  readonly path: string
  /** `path: expected …, got …`, or `expected …, got …` for the record itself. */
  readonly reason: string
}

const decimal = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/

const finiteOf = (u: unknown): number | undefined => {
  const x = typeof u === 'number' ? u : typeof u === 'string' && decimal.test(u) ? Number(u) : NaN
  return Number.isFinite(x) ? x : undefined
}

/**
 * A finite number, given as a number or as a string written in decimal (a CSV field, a Redis value).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { decodeRecord, finite } from './records.js'
 * assert.deepEqual(decodeRecord(finite, ' -1.5e-3'), { value: -0.0015 })
 * assert.deepEqual(decodeRecord(finite, 'NaN'), { path: '', reason: 'expected a finite number, got "NaN"' })
 */
export const finite = new t.Type<number, number, unknown>(
  'a finite number',
  (u): u is number => typeof u === 'number' && Number.isFinite(u),
  (u, c) => {
    const x = finiteOf(u)
    return x === undefined ? t.failure(u, c) : t.success(x)
  },
  t.identity,
)

const dimensionOf = (D: unknown, where: string): number => {
  if (typeof D !== 'number') throw typeError(where, 'an integer ≥ 1', D)
  if (!(Number.isSafeInteger(D) && D >= 1)) throw rangeError(where, 'an integer ≥ 1', D)
  return D
}

/**
 * A vector of `D` finite numbers, from an array of D numbers (a JSON line `[0.5, -1]`) or of D decimal
 * strings (a headerless CSV row), decoded as a Float64Array. A bad entry is named by its index.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { decodeRecord, vector } from './records.js'
 * assert.deepEqual(decodeRecord(vector(2), [0.5, '-1']), { value: Float64Array.of(0.5, -1) })
 * assert.deepEqual(decodeRecord(vector(2), [0.5, 'x']), { path: '[1]', reason: '[1]: expected a finite number, got "x"' })
 * assert.deepEqual(decodeRecord(vector(2), [1, 2, 3]), { path: '', reason: 'expected an array of 2 numbers, got [1,2,3]' })
 */
export const vector = (D: number): t.Type<Float64Array, number[], unknown> => {
  const n = dimensionOf(D, 'records.vector: D')
  const name = `an array of ${n} number${n === 1 ? '' : 's'}`
  const entries = t.array(finite)
  return new t.Type<Float64Array, number[], unknown>(
    name,
    (u): u is Float64Array => u instanceof Float64Array && u.length === n,
    (u, c) => {
      if (!Array.isArray(u) || u.length !== n) return t.failure(u, c)
      const r = entries.validate(u, c)
      return r._tag === 'Left' ? r : t.success(Float64Array.from(r.right))
    },
    (a) => Array.from(a),
  )
}

/**
 * The named columns of a record, in the order given, decoded as a Float64Array: a CSV row read with a
 * header, a Redis entry's fields or a JSON object. Other fields are ignored; a missing or bad one is
 * named.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { decodeRecord, row } from './records.js'
 * const xy = row(['x', 'y'])
 * assert.deepEqual(decodeRecord(xy, { t: '17', y: '2', x: '1.5' }), { value: Float64Array.of(1.5, 2) })
 * assert.deepEqual(decodeRecord(xy, { x: '1.5', y: '' }), { path: 'y', reason: 'y: expected a finite number, got ""' })
 * assert.deepEqual(decodeRecord(xy, { x: '1.5' }), { path: 'y', reason: 'y: expected a finite number, got nothing' })
 */
export const row = (columns: readonly string[]): t.Type<Float64Array, Record<string, number>, unknown> => {
  const where = 'records.row: columns'
  if (!Array.isArray(columns) || columns.length === 0) throw typeError(where, 'a non-empty array of column names', columns)
  columns.forEach((c, i) => {
    if (typeof c !== 'string') throw typeError(`${where}[${i}]`, 'a string', c)
  })
  const fields = t.type(Object.fromEntries(columns.map((c) => [c, finite])))
  return new t.Type<Float64Array, Record<string, number>, unknown>(
    `a record with the numbers ${columns.join(', ')}`,
    (u): u is Float64Array => u instanceof Float64Array && u.length === columns.length,
    (u, c) => {
      const r = fields.validate(u, c)
      return r._tag === 'Left' ? r : t.success(Float64Array.from(columns, (k) => (r.right as Record<string, number>)[k]))
    },
    (a) => Object.fromEntries(columns.map((k, i) => [k, a[i]])),
  )
}

/**
 * A JSON record (or a CSV row read with a header, or a Redis entry's fields) with the given fields, each
 * decoded by its codec; other fields are dropped. `finite` reads numbers whether written as JSON numbers
 * or as text.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as t from 'io-ts'
 * import { decodeRecord, fields, finite, vector } from './records.js'
 * const Sensor = fields({ sensor: t.string, x: vector(2), label: finite })
 * assert.deepEqual(decodeRecord(Sensor, { sensor: 'a', x: [1, 2], label: 0, note: 'ok' }), { value: { sensor: 'a', x: Float64Array.of(1, 2), label: 0 } })
 * assert.deepEqual(decodeRecord(Sensor, { sensor: 'a', x: [1, null], label: 0 }), { path: 'x[1]', reason: 'x[1]: expected a finite number, got null' })
 */
export const fields = <P extends t.Props>(props: P): t.ExactC<t.TypeC<P>> => {
  const o = props as unknown
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw typeError('records.fields: props', 'an object of io-ts codecs', o)
  for (const [k, codec] of Object.entries(props)) {
    if (!(codec instanceof t.Type)) throw typeError(`records.fields: props.${k}`, 'an io-ts codec', codec)
  }
  return t.exact(t.type(props))
}

/**
 * Decodes a record with `codec`: its value, or the rejection that sends it to the dead letters.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { decodeRecord, vector } from './records.js'
 * assert.deepEqual(decodeRecord(vector(1), [3]), { value: Float64Array.of(3) })
 * assert.deepEqual(decodeRecord(vector(1), 'oops'), { path: '', reason: 'expected an array of 1 number, got "oops"' })
 */
export const decodeRecord = <A>(codec: RecordCodec<A>, raw: unknown): { readonly value: A } | Rejection => {
  const r = decodeResult(codec, raw)
  if ('value' in r) return r
  const at = r.path === '' ? '' : `${r.path}: `
  return { path: r.path, reason: `${at}${r.expected}` }
}
