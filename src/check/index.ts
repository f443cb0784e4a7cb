/**
 * Argument checks and the error policy, below every other layer so that all of them share one message
 * shape: `where: expected …, got …`. A value of the wrong type is a TypeError, a value of the right type
 * but outside what is allowed a RangeError. A plain Error is kept for broken internal invariants only.
 *
 * Each check returns the value it accepts (narrowed), so a constructor reads
 * `const h = positive(o.stepSize, 'ula: stepSize')`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { positive } from './index.js'
 * assert.throws(() => positive(-0.1, 'config.sampler.stepSize'), { name: 'RangeError', message: 'config.sampler.stepSize: expected a positive number, got -0.1' })
 * assert.throws(() => positive('0.1', 'config.sampler.stepSize'), { name: 'TypeError', message: 'config.sampler.stepSize: expected a positive number, got "0.1"' })
 *
 * @module
 */

/**
 * A short description of any value for an error message: numbers and booleans as written, strings quoted
 * (cut after 40 characters), arrays and typed arrays by their length, objects by their first keys.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { show } from './index.js'
 * assert.equal(show('a'), '"a"')
 * assert.equal(show([1, 2]), 'an array of length 2')
 * assert.equal(show(new Float32Array(3)), 'a Float32Array of length 3')
 * assert.equal(show({ chains: 4 }), 'an object with keys chains')
 */
export const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v === null || v === undefined) return String(v)
  if (typeof v === 'function') return 'a function'
  if (Array.isArray(v)) return `an array of length ${v.length}`
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}${'length' in v ? ` of length ${(v as unknown as ArrayLike<unknown>).length}` : ''}`
  if (typeof v === 'object') {
    const keys = Object.keys(v)
    return `an object with keys ${keys.slice(0, 5).join(', ') || '(none)'}${keys.length > 5 ? ', …' : ''}`
  }
  return typeof v
}

/**
 * The RangeError of a value of the right type that is not allowed: `where: expected …, got …`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { rangeError } from './index.js'
 * assert.equal(rangeError('x', 'a positive number', -1).message, 'x: expected a positive number, got -1')
 */
export const rangeError = (where: string, expected: string, got: unknown): RangeError => new RangeError(`${where}: expected ${expected}, got ${show(got)}`)

/**
 * The TypeError of a value of the wrong type: `where: expected …, got …`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { typeError } from './index.js'
 * assert.ok(typeError('x', 'a number', 'a') instanceof TypeError)
 */
export const typeError = (where: string, expected: string, got: unknown): TypeError => new TypeError(`${where}: expected ${expected}, got ${show(got)}`)

/** A number (any, NaN included); a TypeError otherwise. */
const numberOf = (v: unknown, where: string, expected: string): number => {
  if (typeof v !== 'number') throw typeError(where, expected, v)
  return v
}

/**
 * A finite number.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { finite } from './index.js'
 * assert.equal(finite(2.5, 'energy.gmm: sigma'), 2.5)
 * assert.throws(() => finite(NaN, 'energy.gmm: sigma'), /energy.gmm: sigma: expected a finite number, got NaN/)
 */
export const finite = (v: unknown, where: string): number => {
  const x = numberOf(v, where, 'a finite number')
  if (!Number.isFinite(x)) throw rangeError(where, 'a finite number', x)
  return x
}

/**
 * A finite number > 0.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { positive } from './index.js'
 * assert.equal(positive(0.1, 'energy.temper: T'), 0.1)
 * assert.throws(() => positive(0, 'energy.temper: T'), RangeError)
 */
export const positive = (v: unknown, where: string): number => {
  const x = numberOf(v, where, 'a positive number')
  if (!(Number.isFinite(x) && x > 0)) throw rangeError(where, 'a positive number', x)
  return x
}

/**
 * A finite number ≥ 0.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { nonNegative } from './index.js'
 * assert.equal(nonNegative(0, 'noise: scale'), 0)
 */
export const nonNegative = (v: unknown, where: string): number => {
  const x = numberOf(v, where, 'a number ≥ 0')
  if (!(Number.isFinite(x) && x >= 0)) throw rangeError(where, 'a number ≥ 0', x)
  return x
}

/**
 * A number in [0, 1].
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { probability } from './index.js'
 * assert.equal(probability(0.05, 'quantile: prob'), 0.05)
 * assert.throws(() => probability(1.5, 'quantile: prob'), /expected a probability in \[0, 1\], got 1.5/)
 */
export const probability = (v: unknown, where: string): number => {
  const x = numberOf(v, where, 'a probability in [0, 1]')
  if (!(x >= 0 && x <= 1)) throw rangeError(where, 'a probability in [0, 1]', x)
  return x
}

/** Bounds of {@link integer}. */
export interface IntegerBounds {
  /** Default 0. */
  readonly min?: number
  /** Default 2^53 − 1. */
  readonly max?: number
}

/**
 * A safe integer in [min, max] (default [0, 2^53 − 1]).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { integer } from './index.js'
 * assert.equal(integer(3, 'energy.mlp: widths[0]', { min: 1 }), 3)
 * assert.throws(() => integer(1.5, 'threads', { min: 1, max: 1024 }), { message: 'threads: expected an integer in [1, 1024], got 1.5' })
 */
export const integer = (v: unknown, where: string, bounds: IntegerBounds = {}): number => {
  const min = bounds.min ?? 0
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER
  const expected = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`
  const x = numberOf(v, where, expected)
  if (!(Number.isSafeInteger(x) && x >= min && x <= max)) throw rangeError(where, expected, x)
  return x
}

/**
 * A safe integer ≥ 1.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { positiveInteger } from './index.js'
 * assert.equal(positiveInteger(10, 'repeat: times'), 10)
 */
export const positiveInteger = (v: unknown, where: string): number => integer(v, where, { min: 1 })

/**
 * A seed, stream or counter: an integer in [0, 2^53), the range in which a double holds every integer
 * exactly and Philox's key and counter layout is defined.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { seed } from './index.js'
 * assert.equal(seed(42, 'sample: seed'), 42)
 * assert.throws(() => seed(2 ** 53, 'sample: seed'), { name: 'RangeError', message: 'sample: seed: expected an integer in [0, 2^53), got 9007199254740992' })
 */
export const seed = (v: unknown, where: string): number => {
  const x = numberOf(v, where, 'an integer in [0, 2^53)')
  if (!(Number.isSafeInteger(x) && x >= 0)) throw rangeError(where, 'an integer in [0, 2^53)', x)
  return x
}

/**
 * A boolean.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { boolean } from './index.js'
 * assert.equal(boolean(true, 'sum: keepDims'), true)
 */
export const boolean = (v: unknown, where: string): boolean => {
  if (typeof v !== 'boolean') throw typeError(where, 'true or false', v)
  return v
}

/**
 * A string.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { string } from './index.js'
 * assert.equal(string('x', 'input: name'), 'x')
 */
export const string = (v: unknown, where: string): string => {
  if (typeof v !== 'string') throw typeError(where, 'a string', v)
  return v
}

/**
 * One of a fixed set of strings (or other primitives); the error lists them.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { oneOf } from './index.js'
 * assert.equal(oneOf('native', 'sample: backend', ['auto', 'reference', 'native'] as const), 'native')
 * assert.throws(() => oneOf('gpu', 'sample: backend', ['auto', 'reference', 'native'] as const), { message: 'sample: backend: expected one of "auto", "reference", "native", got "gpu"' })
 */
export const oneOf = <const A extends readonly (string | number | boolean)[]>(v: unknown, where: string, options: A): A[number] => {
  if (!options.includes(v as A[number])) throw rangeError(where, `one of ${options.map((o) => show(o)).join(', ')}`, v)
  return v as A[number]
}

/**
 * A function.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { func } from './index.js'
 * assert.throws(() => func(3, 'rollingLangevinStability: curvature'), TypeError)
 */
export const func = <F extends (...args: never[]) => unknown>(v: unknown, where: string): F => {
  if (typeof v !== 'function') throw typeError(where, 'a function', v)
  return v as F
}

/**
 * An optional AbortSignal (undefined when none was given).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { abortSignal } from './index.js'
 * assert.equal(abortSignal(undefined, 'temper: signal'), undefined)
 * assert.throws(() => abortSignal('stop', 'temper: signal'), { name: 'TypeError', message: 'temper: signal: expected an AbortSignal, got "stop"' })
 */
export const abortSignal = (v: unknown, where: string): AbortSignal | undefined => {
  if (v !== undefined && !(v instanceof AbortSignal)) throw typeError(where, 'an AbortSignal', v)
  return v
}

/**
 * The error a run stopped by its AbortSignal rejects with: an Error named 'AbortError', as the platform's
 * own aborts are (callers tell it apart by name).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { abortError } from './index.js'
 * assert.equal(abortError('rbm.fit: aborted after 3 epochs').name, 'AbortError')
 */
export const abortError = (message: string): Error => Object.assign(new Error(message), { name: 'AbortError' })

/**
 * A non-null object (not an array): options, descriptions, records.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { object } from './index.js'
 * assert.throws(() => object(null, 'sample: options'), { name: 'TypeError', message: 'sample: options: expected an object, got null' })
 */
export const object = (v: unknown, where: string): Readonly<Record<string, unknown>> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw typeError(where, 'an object', v)
  return v as Readonly<Record<string, unknown>>
}

/**
 * An options object whose keys are all known: an unknown key (a typo) is an error naming it and listing
 * the known ones. `undefined` is accepted as no options. With a type argument, `known` must be keys of
 * that options type, and the result is typed as its partial.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { options } from './index.js'
 * assert.deepEqual(options({ chains: 4 }, 'sample: options', ['chains', 'steps', 'seed']), { chains: 4 })
 * assert.throws(() => options({ chians: 4 }, 'sample: options', ['chains', 'steps', 'seed']), { message: "sample: options: unknown option 'chians' (options: chains, steps, seed)" })
 */
export const options = <O extends object = Record<string, unknown>>(v: unknown, where: string, known: readonly (keyof O & string)[]): Readonly<Partial<O>> => {
  if (v === undefined) return {} as Partial<O>
  const o = object(v, where)
  for (const k of Object.keys(o)) if (!(known as readonly string[]).includes(k)) throw new RangeError(`${where}: unknown option '${k}' (options: ${known.join(', ')})`)
  return o as Partial<O>
}

/** What {@link array} and {@link numbers} accept. */
export interface LengthOptions {
  /** The required length, or undefined for any. */
  readonly length?: number
  /** Why that length, for the message: '8 chains × 2 dimensions' in 'has 5 values; 8 chains × 2 dimensions need 16'. */
  readonly lengthReason?: string
}

/** What {@link numbers} accepts. */
export interface NumbersOptions extends LengthOptions {
  /** Whether every value must be finite (default true). */
  readonly finite?: boolean
}

/**
 * An array or typed array (not a DataView), optionally of a given length, returned as it is: neither
 * copied nor read element by element, for arrays a hot path hands on (a snapshot's positions).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { array } from './index.js'
 * const positions = new Float64Array(4)
 * assert.equal(array(positions, 'snapshot: positions', { length: 4 }), positions)
 * assert.throws(() => array(positions, 'snapshot: positions', { length: 6, lengthReason: '3 chains × 2 dimensions' }), { name: 'RangeError', message: 'snapshot: positions: has 4 values; 3 chains × 2 dimensions need 6' })
 * assert.throws(() => array(4, 'snapshot: positions'), { name: 'TypeError', message: 'snapshot: positions: expected an array or typed array of numbers, got 4' })
 */
export const array = <A extends ArrayLike<unknown> = ArrayLike<number>>(v: unknown, where: string, o: LengthOptions = {}): A => {
  if (!(Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)))) throw typeError(where, 'an array or typed array of numbers', v)
  const a = v as unknown as A
  if (o.length !== undefined && a.length !== o.length) {
    throw new RangeError(o.lengthReason === undefined ? `${where}: expected ${o.length} value${o.length === 1 ? '' : 's'}, got ${a.length}` : `${where}: has ${a.length} value${a.length === 1 ? '' : 's'}; ${o.lengthReason} need ${o.length}`)
  }
  return a
}

// A float array holds numbers only: copied whole, then scanned for non-finite values (element by element,
// a run's initial positions at image sizes took milliseconds).
const floatNumbers = (a: Float32Array | Float64Array, where: string, requireFinite: boolean): Float64Array => {
  const out = a instanceof Float64Array ? a.slice() : Float64Array.from(a)
  if (requireFinite) for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i])) throw rangeError(`${where}[${i}]`, 'a finite number', out[i])
  return out
}

/**
 * An array or typed array of numbers, copied into a Float64Array; the error names the first bad index.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { numbers } from './index.js'
 * assert.deepEqual(numbers([1, 2], 'x'), new Float64Array([1, 2]))
 * assert.throws(() => numbers([1, 2, 3, 4, 5], 'sample: init', { length: 16, lengthReason: '8 chains × 2 dimensions' }), { message: 'sample: init: has 5 values; 8 chains × 2 dimensions need 16' })
 * assert.throws(() => numbers([1, NaN], 'sample: init'), { message: 'sample: init[1]: expected a finite number, got NaN' })
 * assert.deepEqual(numbers(new Float32Array([0.1, 2]), 'x'), new Float64Array([Math.fround(0.1), 2]))
 * assert.throws(() => numbers(new Float64Array([1, 2, -Infinity]), 'sample: init'), { message: 'sample: init[2]: expected a finite number, got -Infinity' })
 */
export const numbers = (v: unknown, where: string, o: NumbersOptions = {}): Float64Array => {
  const a = array<ArrayLike<unknown>>(v, where, o)
  const requireFinite = o.finite ?? true
  if (a instanceof Float64Array || a instanceof Float32Array) return floatNumbers(a, where, requireFinite)
  const out = new Float64Array(a.length)
  for (let i = 0; i < a.length; i++) {
    const x = a[i]
    if (typeof x !== 'number' && typeof x !== 'bigint') throw typeError(`${where}[${i}]`, 'a number', x)
    out[i] = Number(x)
    if (requireFinite && !Number.isFinite(out[i])) throw rangeError(`${where}[${i}]`, 'a finite number', out[i])
  }
  return out
}

/**
 * A non-empty array of finite numbers as a plain array, optionally of a given length.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { vector } from './index.js'
 * assert.deepEqual(vector([1, 2], 'energy.gaussian: mean', 2), [1, 2])
 */
export const vector = (v: unknown, where: string, length?: number): number[] => {
  const a = numbers(v, where, length === undefined ? {} : { length })
  if (a.length === 0) throw rangeError(where, 'at least one number', v)
  return Array.from(a)
}

/**
 * A rectangular non-empty matrix of finite numbers (rows of equal length), optionally with `columns`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { matrix } from './index.js'
 * assert.deepEqual(matrix([[1, 2], [3, 4]], 'energy.gmm: means'), [[1, 2], [3, 4]])
 * assert.throws(() => matrix([[1, 2], [3]], 'energy.gmm: means'), /energy.gmm: means\[1\]: expected 2 numbers/)
 */
export const matrix = (v: unknown, where: string, columns?: number): number[][] => {
  if (!Array.isArray(v)) throw typeError(where, 'a non-empty array of rows', v)
  if (v.length === 0) throw rangeError(where, 'a non-empty array of rows', v)
  const rows = v.map((r, i) => vector(r, `${where}[${i}]`))
  const c = columns ?? rows[0].length
  rows.forEach((r, i) => {
    if (r.length !== c) throw rangeError(`${where}[${i}]`, `${c} numbers (rows of equal length)`, r)
  })
  return rows
}

/**
 * The index of the first value that is not a finite number, or −1: a plain loop, for the hot paths that
 * check every step's arrays (a findIndex with a closure costs several times more on large arrays).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { firstNonFinite } from './index.js'
 * assert.equal(firstNonFinite(new Float64Array([1, 2, Infinity, NaN])), 2)
 * assert.equal(firstNonFinite([0.5, -3]), -1)
 */
export const firstNonFinite = (a: ArrayLike<number>): number => {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return i
  return -1
}
