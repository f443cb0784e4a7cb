/**
 * The checks the panel builders share, on top of src/check: texts, colours, intervals, point sets.
 *
 * @module
 */
import { integer, numbers, type NumbersOptions, oneOf, rangeError, string, typeError } from '../check/index.js'
import type { Rgb } from './image.js'
import type { Domain } from './scale.js'

/** An optional text (default ''). */
export const text = (v: unknown, where: string): string => (v === undefined ? '' : string(v, where))

/** A non-empty array: a TypeError for anything else, a RangeError when empty; `what` says what it holds. */
export const nonEmpty = (v: unknown, where: string, what: string): readonly unknown[] => {
  if (!Array.isArray(v)) throw typeError(where, `a non-empty array of ${what}`, v)
  if (v.length === 0) throw rangeError(where, `a non-empty array of ${what}`, v)
  return v
}

/** At least one number (check.numbers, then not empty). */
export const someNumbers = (v: unknown, where: string, what: string, o: NumbersOptions = {}): Float64Array => {
  const x = numbers(v, where, o)
  if (x.length === 0) throw rangeError(where, `at least one ${what}`, v)
  return x
}

/** A colour [r, g, b] of integers in 0…255. */
export const rgb = (v: unknown, where: string): Rgb => {
  if (!Array.isArray(v) || v.length !== 3) throw typeError(where, 'a colour [red, green, blue] of integers in [0, 255]', v)
  return [0, 1, 2].map((k) => integer(v[k], `${where}[${k}]`, { min: 0, max: 255 })) as unknown as Rgb
}

/** An interval [lo, hi] of finite numbers with lo < hi. */
export const interval = (v: unknown, where: string): Domain => {
  const [lo, hi] = numbers(v, where, { length: 2 })
  if (!(lo < hi)) throw rangeError(where, '[lo, hi] with lo < hi', `[${lo}, ${hi}]`)
  return [lo, hi]
}

/** A 2-D box [[x₀, x₁], [y₀, y₁]]. */
export const box = (v: unknown, where: string): readonly [Domain, Domain] => {
  if (!Array.isArray(v) || v.length !== 2) throw typeError(where, 'bounds [[x0, x1], [y0, y1]] of a 2-D box', v)
  return [interval(v[0], `${where}[0]`), interval(v[1], `${where}[1]`)]
}

/** Points in the plane, as rows [x, y] or a flat array of pairs, into a flat Float64Array of pairs. */
export const points = (v: unknown, where: string): Float64Array => {
  if (Array.isArray(v) && v.length > 0 && Array.isArray(v[0])) {
    const flat = new Float64Array(v.length * 2)
    v.forEach((row, k) => flat.set(numbers(row, `${where}[${k}]`, { length: 2, lengthReason: 'a point [x, y]' }), 2 * k))
    return flat
  }
  const flat = numbers(v, where)
  if (flat.length % 2 !== 0) throw rangeError(where, 'x, y pairs (an even count of numbers)', v)
  return flat
}

/** Whether a unit of x and of y take the same room: 'equal' (default) or 'fill'. */
export const aspect = (v: unknown, where: string): boolean => oneOf(v ?? 'equal', where, ['equal', 'fill'] as const) === 'equal'

/** The smallest and largest of values, ignoring ±∞; a RangeError at a NaN or when nothing is finite. */
export const extent = (values: Float64Array, where: string): Domain => {
  let [lo, hi] = [Infinity, -Infinity]
  values.forEach((v, k) => {
    if (Number.isNaN(v)) throw rangeError(`${where}[${k}]`, 'a number (not NaN)', v)
    if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)]
  })
  if (lo > hi) throw rangeError(where, 'at least one finite value', values)
  return [lo, hi]
}
