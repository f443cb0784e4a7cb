/**
 * From values to pixels, and the numbers on the axes.
 *
 * A plot's rectangle of W columns spans the x domain [lo, hi]: column c holds the values in
 * [lo + c·dx, lo + (c + 1)·dx) with dx = (hi − lo)/W, the last column also hi. Rows count downwards from
 * the top, which holds the largest y. Ticks fall on 1, 2 or 5 times a power of ten.
 *
 * @module
 */
import type { Rect } from './image.js'

/** The values at the two ends of an axis: [left, right] or [bottom, top]. */
export type Domain = readonly [number, number]

/** The column of x in a plot rectangle spanning `domain` (values outside land on the nearest edge). */
export const toColumn = (x: number, domain: Domain, r: Rect): number => r.x + clampIndex(((x - domain[0]) / (domain[1] - domain[0])) * r.width, r.width)

/** The row of y in a plot rectangle spanning `domain` from its bottom to its top. */
export const toRow = (y: number, domain: Domain, r: Rect): number => r.y + clampIndex(((domain[1] - y) / (domain[1] - domain[0])) * r.height, r.height)

const clampIndex = (u: number, n: number): number => Math.min(Math.max(Math.floor(u), 0), n - 1)

/** A domain of positive width around a single value (a constant series still gets an axis). */
export const widen = ([lo, hi]: Domain): Domain => {
  if (lo < hi) return [lo, hi]
  const d = lo === 0 ? 1 : Math.abs(lo) * 0.1
  return [lo - d, hi + d]
}

/** The tick spacing for about `count` ticks over a domain: 1, 2 or 5 times a power of ten. */
export const tickStep = ([lo, hi]: Domain, count = 5): number => {
  const raw = (hi - lo) / count
  const power = 10 ** Math.floor(Math.log10(raw))
  const f = raw / power
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * power
}

/** A domain stretched outwards to whole tick steps, so the axis begins and ends on a tick. */
export const niceDomain = (domain: Domain, count = 5): Domain => {
  const [lo, hi] = widen(domain)
  const step = tickStep([lo, hi], count)
  return [Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step]
}

/**
 * The ticks inside a domain, as values and their labels.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { ticks } from './scale.js'
 * assert.deepEqual(ticks([0, 1]).map((t) => t.label), ['0.0', '0.2', '0.4', '0.6', '0.8', '1.0'])
 * assert.deepEqual(ticks([-2, 2], 4).map((t) => t.label), ['-2', '-1', '0', '1', '2'])
 */
export const ticks = (domain: Domain, count = 5): { value: number; label: string }[] => {
  const [lo, hi] = widen(domain)
  const step = tickStep([lo, hi], count)
  const out: { value: number; label: string }[] = []
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) out.push({ value: k * step, label: tickLabel(k * step, step) })
  return out
}

/** A tick's label: as many decimals as the step needs (all ticks of an axis alike), exponent notation for very large or small. */
export const tickLabel = (v: number, step: number): string => {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9))
  const exponent = Math.abs(v) >= 1e5 || decimals > 4
  // Exactly 0, not −0.0 or 1e−17 from summing steps.
  if (Math.abs(v) < step * 1e-9) return exponent ? '0' : (0).toFixed(decimals)
  if (!exponent) return v.toFixed(decimals)
  const digits = Math.floor(Math.log10(Math.abs(v)) + 1e-9) - Math.floor(Math.log10(step) + 1e-9)
  return v.toExponential(Math.max(0, digits)).replace('e+', 'e')
}

/** A value for a label where no step is given (a colour bar's ends): three significant digits. */
export const valueLabel = (v: number): string => {
  if (v === 0) return '0'
  const a = Math.abs(v)
  if (a >= 1e5 || a < 1e-3) return v.toExponential(2).replace('e+', 'e')
  return String(Number(v.toPrecision(3)))
}
