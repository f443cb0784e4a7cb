/**
 * Decoding outside data with io-ts, once, at the edge, with errors that name the path of the bad field,
 * the bad value and what was expected.
 *
 * @module
 */
import * as t from 'io-ts'
import { isLeft } from 'fp-ts/lib/Either.js'
import type { Json as JsonValue } from '../energy/index.js'

const show = (v: unknown): string => {
  if (v === undefined) return 'nothing'
  try {
    const s = JSON.stringify(v)
    return s.length > 60 ? `${s.slice(0, 57)}...` : s
  } catch {
    return String(v)
  }
}

/** A path like `W1.shape[0]` from an io-ts context (array indices in brackets). */
const pathOf = (context: t.Context): string =>
  context
    .slice(1)
    .map((c) => c.key)
    .filter((k) => k !== '')
    .reduce((p, k) => (/^\d+$/.test(k) ? `${p}[${k}]` : p === '' ? k : `${p}.${k}`), '')

/**
 * Decodes `value` with `codec`, or throws a RangeError `${what}: ${path}: expected ${type}, got ${value}`
 * for the first failure. A RangeError whatever the failure: the argument (one decoded document, such as a
 * file's header) has the right type, and a field in it the wrong value; the value is shown as JSON,
 * which is what the author of the document wrote.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { decodeOrThrow, NonNegativeInteger } from './decode.js'
 * assert.equal(decodeOrThrow(NonNegativeInteger, 3, 'config.steps'), 3)
 * assert.throws(() => decodeOrThrow(NonNegativeInteger, -1, 'config.steps'), { name: 'RangeError', message: 'config.steps: expected a non-negative integer, got -1' })
 */
export const decodeOrThrow = <A>(codec: t.Decoder<unknown, A>, value: unknown, what: string): A => {
  const result = decodeResult(codec, value)
  if ('value' in result) return result.value
  // An index joins its array's name directly (`shape[0]`), a field after a colon (`header: W1.shape`).
  const at = result.path === '' || result.path.startsWith('[') ? result.path : `: ${result.path}`
  throw new RangeError(`${what}${at}: ${result.expected}`)
}

/** A decoded value, or where the first failure is and what it says. */
export type DecodeResult<A> = { readonly value: A } | { readonly path: string; readonly expected: string }

/**
 * Decodes `value` with `codec`: the value, or the path of the first bad field (`''` for the value itself,
 * `[1]`, `sensor.x`) and `expected …, got …` for it.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as t from 'io-ts'
 * import { decodeResult } from './decode.js'
 * assert.deepEqual(decodeResult(t.type({ x: t.number }), { x: 1 }), { value: { x: 1 } })
 * assert.deepEqual(decodeResult(t.type({ x: t.number }), { x: 'a' }), { path: 'x', expected: 'expected number, got "a"' })
 */
export const decodeResult = <A>(codec: t.Decoder<unknown, A>, value: unknown): DecodeResult<A> => {
  const result = codec.decode(value)
  if (!isLeft(result)) return { value: result.right }
  const [first] = result.left
  const expected = first.context[first.context.length - 1]?.type.name ?? codec.name
  return { path: pathOf(first.context), expected: `expected ${first.message ?? expected}, got ${show(first.value)}` }
}

/**
 * A non-negative safe integer.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { NonNegativeInteger } from './decode.js'
 * assert.equal(NonNegativeInteger.is(3), true)
 */
export const NonNegativeInteger = new t.Type<number, number, unknown>(
  'a non-negative integer',
  (u): u is number => Number.isSafeInteger(u) && (u as number) >= 0,
  (u, c) => (Number.isSafeInteger(u) && (u as number) >= 0 ? t.success(u as number) : t.failure(u, c)),
  t.identity,
)

/**
 * Any JSON value (what JSON.parse can return).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { Json } from './decode.js'
 * assert.equal(Json.is({ a: [1, null] }), true)
 */
export const Json: t.Type<JsonValue> = t.recursion('JSON', () => t.union([t.null, t.boolean, t.number, t.string, t.readonlyArray(Json), t.readonly(t.record(t.string, Json))]))
