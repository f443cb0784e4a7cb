/**
 * io-ts codecs for what the command line reads: numbers with their allowed ranges, flags given as text,
 * and objects that refuse unknown keys (a typo in a config file is an error, not a silent default).
 * Errors go through io's `decodeOrThrow`, so every message has the shape `where: path: expected …, got …`.
 *
 * Objects are decoded by the combinators below rather than io-ts's intersection and union, whose
 * contexts add positional keys: here a path is always the keys of the document (`optimizer.lr`).
 *
 * @module
 */
import * as t from 'io-ts'
import { decodeOrThrow } from '../io/decode.js'
import { input } from './command.js'

/** A number codec named by what it accepts: `a positive number`. */
const numberWhere = (name: string, accepts: (x: number) => boolean): t.Type<number, number, unknown> =>
  new t.Type<number, number, unknown>(
    name,
    (u): u is number => typeof u === 'number' && accepts(u),
    (u, c) => (typeof u === 'number' && accepts(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  )

/** A finite number. */
export const Finite = numberWhere('a finite number', Number.isFinite)
/** A finite number > 0. */
export const Positive = numberWhere('a positive number', (x) => Number.isFinite(x) && x > 0)
/** A finite number ≥ 0. */
export const NonNegative = numberWhere('a number ≥ 0', (x) => Number.isFinite(x) && x >= 0)
/** A probability. */
export const Probability = numberWhere('a number in [0, 1]', (x) => x >= 0 && x <= 1)
/** An integer ≥ 1. */
export const PositiveInteger = numberWhere('an integer ≥ 1', (x) => Number.isSafeInteger(x) && x >= 1)
/** An integer ≥ 0. */
export const NonNegativeInteger = numberWhere('an integer ≥ 0', (x) => Number.isSafeInteger(x) && x >= 0)
/** A seed: an integer in [0, 2^53). */
export const Seed = numberWhere('an integer in [0, 2^53)', (x) => Number.isSafeInteger(x) && x >= 0)
/** Threads of the native executor. */
export const Threads = numberWhere('an integer in [1, 1024]', (x) => Number.isSafeInteger(x) && x >= 1 && x <= 1024)

/** A non-empty string. */
export const Text = new t.Type<string, string, unknown>(
  'a non-empty string',
  (u): u is string => typeof u === 'string' && u !== '',
  (u, c) => (typeof u === 'string' && u !== '' ? t.success(u) : t.failure(u, c)),
  t.identity,
)

/** One of a few strings, named by listing them. */
export const oneOf = <const A extends readonly string[]>(values: A): t.Type<A[number], A[number], unknown> =>
  new t.Type<A[number], A[number], unknown>(
    `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`,
    (u): u is A[number] => values.includes(u as string),
    (u, c) => (values.includes(u as string) ? t.success(u as A[number]) : t.failure(u, c)),
    t.identity,
  )

/** A non-empty array of `item`, each element's path `name[i]`. */
export const nonEmptyArray = <A>(item: t.Type<A, unknown, unknown>, name: string): t.Type<readonly A[], unknown, unknown> =>
  new t.Type<readonly A[], unknown, unknown>(
    name,
    (u): u is readonly A[] => Array.isArray(u) && u.length > 0 && u.every(item.is),
    (u, c) => {
      if (!Array.isArray(u) || u.length === 0) return t.failure(u, c)
      const out: A[] = []
      for (let i = 0; i < u.length; i++) {
        const r = item.validate(u[i], t.appendContext(c, String(i), item, u[i]))
        if (r._tag === 'Left') return r
        out.push(r.right)
      }
      return t.success(out)
    },
    t.identity,
  )

/** Whether a value is a plain object (not null, not an array): what a JSON object decodes to. */
export const isObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

/** The fields of a closed object: its codecs, and which of them may be left out. */
export interface Fields {
  readonly required: t.Props
  readonly optional?: t.Props
}

type Decoded<F extends Fields> = { readonly [K in keyof F['required']]: t.TypeOf<F['required'][K]> } & {
  readonly [K in keyof NonNullable<F['optional']>]?: t.TypeOf<NonNullable<F['optional']>[K]>
}

/**
 * An object with exactly these fields: a missing required field, a field of the wrong value or a key it
 * does not know is a failure naming the path. Optional fields left out stay out of the result.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { closed, Positive } from './codecs.js'
 * import { decodeOrThrow } from '../io/decode.js'
 * const Kernel = closed('a kernel', { required: { stepSize: Positive } })
 * assert.deepEqual(decodeOrThrow(Kernel, { stepSize: 0.1 }, 'run.json: sampler'), { stepSize: 0.1 })
 * assert.throws(() => decodeOrThrow(Kernel, { stepSize: 0.1, steps: 3 }, 'run.json: sampler'), { message: 'run.json: sampler: expected only the keys stepSize, got "steps"' })
 */
export const closed = <F extends Fields>(name: string, fields: F): t.Type<Decoded<F>, unknown, unknown> => {
  const optional = fields.optional ?? {}
  const known = [...Object.keys(fields.required), ...Object.keys(optional)]
  const field = (u: Record<string, unknown>, c: t.Context, k: string, codec: t.Mixed, out: Record<string, unknown>): t.Validation<unknown> => {
    const r = codec.validate(u[k], t.appendContext(c, k, codec, u[k]))
    if (r._tag === 'Right') out[k] = r.right
    return r
  }
  return new t.Type<Decoded<F>, unknown, unknown>(
    name,
    (u): u is Decoded<F> => isObject(u),
    (u, c) => {
      if (!isObject(u)) return t.failure(u, c)
      const unknownKey = Object.keys(u).find((k) => !known.includes(k))
      if (unknownKey !== undefined) return t.failure(unknownKey, c, `only the keys ${known.join(', ')}`)
      const out: Record<string, unknown> = {}
      for (const [k, codec] of Object.entries(fields.required)) {
        const r = field(u, c, k, codec, out)
        if (r._tag === 'Left') return r
      }
      for (const [k, codec] of Object.entries(optional)) {
        if (u[k] === undefined) continue
        const r = field(u, c, k, codec, out)
        if (r._tag === 'Left') return r
      }
      return t.success(out as Decoded<F>)
    },
    t.identity,
  )
}

/**
 * One of several closed objects, chosen by the string in `kind`; each variant's codec sees the whole
 * object (its fields include `kind`). An unknown kind is a failure at `kind` listing the known ones.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as t from 'io-ts'
 * import { closed, Positive, tagged } from './codecs.js'
 * import { decodeOrThrow } from '../io/decode.js'
 * const Sampler = tagged('a sampler', { ula: closed('ula', { required: { kind: t.literal('ula'), stepSize: Positive } }) })
 * assert.throws(() => decodeOrThrow(Sampler, { kind: 'ulaa', stepSize: 1 }, 'run.json'), { message: 'run.json: kind: expected one of "ula", got "ulaa"' })
 */
export const tagged = <V extends Record<string, t.Mixed>>(name: string, variants: V): t.Type<t.TypeOf<V[keyof V]>, unknown, unknown> => {
  const kind = oneOf(Object.keys(variants))
  return new t.Type<t.TypeOf<V[keyof V]>, unknown, unknown>(
    name,
    (u): u is t.TypeOf<V[keyof V]> => isObject(u) && Object.keys(variants).includes(u.kind as string),
    (u, c) => {
      if (!isObject(u)) return t.failure(u, c)
      if (!kind.is(u.kind)) return t.failure(u.kind, t.appendContext(c, 'kind', kind, u.kind))
      return variants[u.kind].validate(u, c) as t.Validation<t.TypeOf<V[keyof V]>>
    },
    t.identity,
  )
}

/** Either of two codecs: the first when its guard `is` accepts the value, else the second. */
export const either = <A, B>(name: string, first: t.Type<A, unknown, unknown>, second: t.Type<B, unknown, unknown>, pick: (u: unknown) => boolean): t.Type<A | B, unknown, unknown> =>
  new t.Type<A | B, unknown, unknown>(
    name,
    (u): u is A | B => first.is(u) || second.is(u),
    (u, c) => (pick(u) ? first.validate(u, c) : second.validate(u, c)),
    t.identity,
  )

/**
 * A number read from a flag's text (`--steps 5000`), or a flag's default given as a number, then checked
 * by `codec`: text that is not a number is a failure naming the text.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { fromText, PositiveInteger } from './codecs.js'
 * import { decodeOrThrow } from '../io/decode.js'
 * assert.equal(decodeOrThrow(fromText(PositiveInteger), '5000', '--steps'), 5000)
 * assert.throws(() => decodeOrThrow(fromText(PositiveInteger), 'many', '--steps'), { message: '--steps: expected an integer ≥ 1, got "many"' })
 */
export const fromText = (codec: t.Type<number, number, unknown>): t.Type<number, unknown, unknown> =>
  new t.Type<number, unknown, unknown>(
    codec.name,
    codec.is,
    (u, c) => {
      // A default written as a number (so that the help shows it as one) passes as it is.
      const x = typeof u === 'number' ? u : typeof u === 'string' && u.trim() !== '' ? Number(u) : NaN
      return codec.is(x) ? t.success(x) : t.failure(u, c)
    },
    t.identity,
  )

/** A flag that may be left out: undefined passes through, anything else must satisfy `codec`. */
export const optional = <A>(codec: t.Type<A, unknown, unknown>): t.Type<A | undefined, unknown, unknown> =>
  new t.Type<A | undefined, unknown, unknown>(
    codec.name,
    (u): u is A | undefined => u === undefined || codec.is(u),
    (u, c) => (u === undefined ? t.success(undefined) : codec.validate(u, c)),
    t.identity,
  )

/** A switch (`--json`): true when given, false when not. */
export const Switch = new t.Type<boolean, unknown, unknown>(
  'no value (a switch)',
  (u): u is boolean => typeof u === 'boolean',
  (u, c) => (u === undefined || u === false ? t.success(false) : u === true ? t.success(true) : t.failure(u, c)),
  t.identity,
)

/** The flag of an option's name: `stepSize` is `--step-size`. */
export const flagName = (name: string): string => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`

/**
 * Decodes the flags commander parsed (text, or true for a switch) with one codec each; a bad one is a
 * UsageError naming the flag: `--steps: expected an integer ≥ 1, got "many"`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { decodeFlags, fromText, PositiveInteger, Switch } from './codecs.js'
 * assert.deepEqual(decodeFlags({ steps: fromText(PositiveInteger), json: Switch }, { steps: '200' }), { steps: 200, json: false })
 * assert.throws(() => decodeFlags({ chainCount: fromText(PositiveInteger) }, { chainCount: '0' }), { name: 'UsageError', message: '--chain-count: expected an integer ≥ 1, got "0"' })
 */
export const decodeFlags = <P extends Record<string, t.Mixed>>(codecs: P, raw: Readonly<Record<string, unknown>>): { readonly [K in keyof P]: t.TypeOf<P[K]> } =>
  Object.fromEntries(Object.entries(codecs).map(([k, codec]) => [k, input('', () => decodeOrThrow(codec, raw[k], flagName(k)))])) as { readonly [K in keyof P]: t.TypeOf<P[K]> }
