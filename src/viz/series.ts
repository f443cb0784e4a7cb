/**
 * Values against steps: any series (`lines`), the chains of a sampler (`trace`), the records of training
 * (`curves`).
 *
 * @module
 */
import { boolean, finite, numbers, object, options as checkOptions, positiveInteger, rangeError, typeError } from '../check/index.js'
import { nonEmpty, rgb, someNumbers, text } from './checks.js'
import { palette } from './colour.js'
import type { Rgb } from './image.js'
import type { LinesPanel, Rule, Series } from './panel.js'

/** A reference line: its height and what it stands for. */
export interface RuleOptions {
  readonly y: number
  readonly label?: string
}

/** How any line chart is shown. */
export interface ChartOptions {
  readonly title?: string
  readonly xLabel?: string
  readonly yLabel?: string
  /** Horizontal reference lines. */
  readonly rules?: readonly RuleOptions[]
  /** Pixels of line width (default 1 for traces, 2 otherwise). */
  readonly lineWidth?: number
}

const chartOptionNames = ['title', 'xLabel', 'yLabel', 'rules', 'lineWidth'] as const

const checkRules = (v: unknown, where: string): Rule[] => {
  if (v === undefined) return []
  if (!Array.isArray(v)) throw typeError(where, 'an array of { y, label }', v)
  return v.map((r, k) => {
    const o = checkOptions(object(r, `${where}[${k}]`), `${where}[${k}]`, ['y', 'label'])
    return { y: finite(o.y, `${where}[${k}].y`), label: text(o.label, `${where}[${k}].label`) }
  })
}

const chart = (o: Readonly<Record<string, unknown>>, where: string, defaults: { xLabel: string; yLabel: string; lineWidth: number }) => ({
  title: text(o.title, `${where}: title`),
  xLabel: o.xLabel === undefined ? defaults.xLabel : text(o.xLabel, `${where}: xLabel`),
  yLabel: o.yLabel === undefined ? defaults.yLabel : text(o.yLabel, `${where}: yLabel`),
  rules: checkRules(o.rules, `${where}: rules`),
  lineWidth: positiveInteger(o.lineWidth ?? defaults.lineWidth, `${where}: lineWidth`),
})

const steps = (n: number): Float64Array => Float64Array.from({ length: n }, (_v, k) => k)

/** One series of {@link lines}. */
export interface SeriesOptions {
  readonly y: ArrayLike<number>
  /** Default 0, 1, 2, … */
  readonly x?: ArrayLike<number>
  readonly name?: string
  /** Default the palette's next colour. */
  readonly colour?: Rgb
}

/**
 * A line chart of any series (each y against its x, or against 0, 1, 2, …), with a legend when the
 * series have names.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { viz } from 'heatbath'
 * const panel = viz.lines([{ name: 'sin', y: [0, 0.84, 0.91, 0.14, -0.76] }], { title: 'a sine', rules: [{ y: 0 }] })
 * assert.equal(panel.series[0].x.length, 5)
 */
export const lines = (series: readonly SeriesOptions[], options?: ChartOptions & { readonly legend?: boolean }): LinesPanel => {
  const where = 'viz.lines'
  const o = checkOptions(options, `${where}: options`, [...chartOptionNames, 'legend'])
  const checked: Series[] = nonEmpty(series, `${where}: series`, 'series { y, x?, name?, colour? }').map((v, k) => {
    const at = `${where}: series[${k}]`
    const s = checkOptions(object(v, at), at, ['y', 'x', 'name', 'colour'])
    const y = someNumbers(s.y, `${at}.y`, 'value')
    const x = s.x === undefined ? steps(y.length) : numbers(s.x, `${at}.x`, { length: y.length, lengthReason: `its ${y.length} y values` })
    return { name: text(s.name, `${at}.name`), x, y, colour: s.colour === undefined ? palette[k % palette.length] : rgb(s.colour, `${at}.colour`) }
  })
  const legend = o.legend === undefined ? checked.some((s) => s.name !== '') : boolean(o.legend, `${where}: legend`)
  return { kind: 'lines', ...chart(o, where, { xLabel: '', yLabel: '', lineWidth: 2 }), series: checked, legend }
}

/**
 * A trace plot: each chain's draws of one quantity against the step, one colour per chain. Chains that
 * mix overlap like a hairy caterpillar; a chain stuck in its own mode shows as a band apart.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { viz } from 'heatbath'
 * const panel = viz.trace([[0.1, -0.3, 0.2, 0.5], [1.1, 0.9, 1.3, 1.0]], { title: 'x₀' })
 * assert.equal(panel.series.length, 2)
 */
export const trace = (draws: readonly ArrayLike<number>[], options?: ChartOptions): LinesPanel => {
  const where = 'viz.trace'
  const o = checkOptions(options, `${where}: options`, chartOptionNames)
  const chains = nonEmpty(draws, `${where}: draws`, 'chains, each an array of draws').map((c, k) => {
    const y = someNumbers(c, `${where}: draws[${k}]`, 'draw')
    return { name: `chain ${k}`, x: steps(y.length), y, colour: palette[k % palette.length] }
  })
  return { kind: 'lines', ...chart(o, where, { xLabel: 'step', yLabel: '', lineWidth: 1 }), series: chains, legend: false }
}

/** What {@link curves} draws from the records. */
export interface CurvesOptions extends ChartOptions {
  /** The records' fields to draw, one line each. */
  readonly fields: readonly string[]
  /** The field of the x axis (default 'step'; records without it are counted 0, 1, 2, …). */
  readonly x?: string
}

const fieldValue = (record: Readonly<Record<string, unknown>>, field: string, where: string): number => {
  const v = record[field]
  if (v === null || v === undefined) return NaN
  if (typeof v !== 'number') throw typeError(where, 'a number or null', v)
  return finite(v, where)
}

/**
 * Training curves: the named fields of an array of records (loss, energyGap, a grid KL, …) against the
 * step. A field that is null or missing in a record leaves a gap; NaN or ±∞ is an error naming the record.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { viz } from 'heatbath'
 * const records = [{ step: 0, loss: 2, kl: 1.5 }, { step: 10, loss: 1.2, kl: null }, { step: 20, loss: 0.7, kl: 0.4 }]
 * const panel = viz.curves(records, { fields: ['loss', 'kl'], title: 'training' })
 * assert.deepEqual(Array.from(panel.series[1].y), [1.5, NaN, 0.4])
 */
export const curves = (records: readonly object[], options: CurvesOptions): LinesPanel => {
  const where = 'viz.curves'
  const o = checkOptions(object(options, `${where}: options`), `${where}: options`, [...chartOptionNames, 'fields', 'x'])
  const fields = nonEmpty(o.fields, `${where}: fields`, 'field names').map((f, k) => text(f, `${where}: fields[${k}]`))
  const xField = o.x === undefined ? 'step' : text(o.x, `${where}: x`)
  const rows = nonEmpty(records, `${where}: records`, 'records').map((r, k) => object(r, `${where}: records[${k}]`))
  const x = Float64Array.from(rows, (r, k) => (r[xField] === undefined ? k : finite(r[xField], `${where}: records[${k}].${xField}`)))
  const series = fields.map((f, k) => ({ name: f, x, y: Float64Array.from(rows, (r, i) => fieldValue(r, f, `${where}: records[${i}].${f}`)), colour: palette[k % palette.length] }))
  const empty = series.findIndex((s) => s.y.every(Number.isNaN))
  if (empty >= 0) throw rangeError(`${where}: fields[${empty}]`, `a field with a number in at least one of the ${rows.length} records`, fields[empty])
  return { kind: 'lines', ...chart(o, where, { xLabel: xField, yLabel: '', lineWidth: 2 }), series, legend: true }
}
