/**
 * Bar charts, and the two of them that say whether chains can be trusted: R-hat and ESS per coordinate,
 * against the thresholds of Vehtari et al. (2021): R-hat below 1.01, bulk and tail ESS above 100 per
 * chain.
 *
 * @module
 */
import { finite, object, oneOf, options as checkOptions, positive, rangeError, typeError } from '../check/index.js'
import type { Draws } from '../diagnostics/draws.js'
import { essBulk, essTail } from '../diagnostics/ess.js'
import { rhat } from '../diagnostics/rhat.js'
import { nonEmpty, someNumbers, text } from './checks.js'
import type { BarsPanel } from './panel.js'

/** How a bar chart is shown. */
export interface BarsOptions {
  readonly title?: string
  readonly xLabel?: string
  readonly yLabel?: string
  /** One per bar; default x₀, x₁, … */
  readonly labels?: readonly string[]
  /** Where bars start (default 0). */
  readonly baseline?: number
  /** A threshold: bars ending on its `bad` side are drawn in the warning colour. */
  readonly rule?: { readonly y: number; readonly label?: string; readonly bad: 'above' | 'below' }
}

const barsOptionNames = ['title', 'xLabel', 'yLabel', 'labels', 'baseline', 'rule'] as const

const subscript = (k: number): string => Array.from(String(k), (d) => String.fromCharCode(0x2080 + Number(d))).join('')

const checkLabels = (v: unknown, count: number, where: string): string[] => {
  if (v === undefined) return Array.from({ length: count }, (_v, k) => `x${subscript(k)}`)
  if (!Array.isArray(v)) throw typeError(where, `an array of ${count} labels`, v)
  if (v.length !== count) throw rangeError(where, `${count} labels, one per bar`, v)
  return v.map((l, k) => text(l, `${where}[${k}]`))
}

const checkRule = (v: unknown, where: string): BarsPanel['rule'] => {
  if (v === undefined) return null
  const o = checkOptions(object(v, where), where, ['y', 'label', 'bad'])
  return { y: finite(o.y, `${where}.y`), label: text(o.label, `${where}.label`), bad: oneOf(o.bad, `${where}.bad`, ['above', 'below'] as const) }
}

/**
 * A bar chart: one bar per value from the baseline, with an optional threshold rule. +∞ is a bar off the
 * top of the chart (a stuck chain's R-hat); NaN is an error.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { viz } from 'heatbath'
 * const panel = viz.bars([3, 1, 2], { labels: ['a', 'b', 'c'], rule: { y: 1.5, bad: 'below' } })
 * assert.equal(panel.values.length, 3)
 */
export const bars = (values: ArrayLike<number>, options?: BarsOptions): BarsPanel => {
  const where = 'viz.bars'
  const o = checkOptions(options, `${where}: options`, barsOptionNames)
  const v = someNumbers(values, `${where}: values`, 'value', { finite: false })
  v.forEach((x, k) => {
    if (!(Number.isFinite(x) || x === Infinity)) throw rangeError(`${where}: values[${k}]`, 'a finite number or +Infinity', x)
  })
  return {
    kind: 'bars',
    title: text(o.title, `${where}: title`),
    xLabel: text(o.xLabel, `${where}: xLabel`),
    yLabel: text(o.yLabel, `${where}: yLabel`),
    labels: checkLabels(o.labels, v.length, `${where}: labels`),
    values: v,
    baseline: finite(o.baseline ?? 0, `${where}: baseline`),
    rule: checkRule(o.rule, `${where}: rule`),
  }
}

/** The diagnostic's error about `name: draws…`, of the same class, about `where: coordinates[k]…` instead. */
const renamed = (err: unknown, at: string): unknown => {
  if (!(err instanceof TypeError || err instanceof RangeError)) return err
  return new (err.constructor as ErrorConstructor)(err.message.replace(/^\w+: draws/, at))
}

/** Runs a diagnostic on each coordinate's draws; its errors are named by the coordinate. */
const perCoordinate = (coordinates: unknown, where: string, diagnostic: (d: Draws) => number): { values: number[]; chains: number } => {
  const list = nonEmpty(coordinates, `${where}: coordinates`, 'draws, one array of chains per coordinate')
  const values = list.map((d, k) => {
    let v: number
    try {
      v = diagnostic(d as Draws)
    } catch (err) {
      throw renamed(err, `${where}: coordinates[${k}]`)
    }
    if (Number.isNaN(v)) throw rangeError(`${where}: coordinates[${k}]`, 'draws that are not all equal (their R-hat and ESS are undefined)', v)
    return v
  })
  return { values, chains: (list[0] as Draws).length }
}

/** Options of {@link rhatChart}. */
export type RhatChartOptions = Omit<BarsOptions, 'baseline' | 'rule'> & {
  /** Default 1.01. */
  readonly threshold?: number
}

/**
 * The rank-normalised split R-hat of each coordinate (`diagnostics.rhat`) as bars from 1, with the line
 * at 1.01 above which chains have not mixed. Stuck chains (R-hat = ∞) run off the top.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { viz } from 'heatbath'
 * const mixed = [[0.1, -0.4, 0.3, 0.9, -1.2, 0.5], [0.2, 0.7, -0.6, 0.0, 1.1, -0.3]]
 * const apart = [[5, 5.1, 4.9, 5, 5.2, 4.8], [-5, -5.1, -4.9, -5, -5.2, -4.8]] // two chains, two modes
 * const stuck = [[1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 2]] // each chain at its own value
 * const panel = viz.rhatChart([mixed, apart, stuck])
 * assert.ok(panel.values[0] < 1.01 && panel.values[1] > 1.5)
 * assert.equal(panel.values[2], Infinity)
 */
export const rhatChart = (coordinates: readonly Draws[], options?: RhatChartOptions): BarsPanel => {
  const where = 'viz.rhatChart'
  const o = checkOptions(options, `${where}: options`, ['title', 'xLabel', 'yLabel', 'labels', 'threshold'])
  const threshold = positive(o.threshold ?? 1.01, `${where}: threshold`)
  const { values } = perCoordinate(coordinates, where, rhat)
  const { threshold: _t, ...shown } = o
  return bars(values, { title: 'R-hat', ...shown, baseline: 1, rule: { y: threshold, label: String(threshold), bad: 'above' } })
}

/** Options of {@link essChart}. */
export type EssChartOptions = Omit<BarsOptions, 'baseline' | 'rule'> & {
  /** 'bulk' (default) or 'tail'. */
  readonly kind?: 'bulk' | 'tail'
  /** Default 100 per chain. */
  readonly threshold?: number
}

/**
 * The bulk (or tail) effective sample size of each coordinate as bars, with the threshold of 100 per
 * chain below which its estimates are not to be trusted.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { viz } from 'heatbath'
 * const chain = (a: number) => Array.from({ length: 50 }, (_v, k) => Math.sin(a * k * k))
 * const panel = viz.essChart([[chain(1), chain(2)], [chain(3), chain(5)]], { kind: 'tail' })
 * assert.equal(panel.rule?.y, 200)
 */
export const essChart = (coordinates: readonly Draws[], options?: EssChartOptions): BarsPanel => {
  const where = 'viz.essChart'
  const o = checkOptions(options, `${where}: options`, ['title', 'xLabel', 'yLabel', 'labels', 'kind', 'threshold'])
  const kind = oneOf(o.kind ?? 'bulk', `${where}: kind`, ['bulk', 'tail'] as const)
  const { values, chains } = perCoordinate(coordinates, where, kind === 'bulk' ? essBulk : essTail)
  const threshold = positive(o.threshold ?? 100 * chains, `${where}: threshold`)
  const { threshold: _t, kind: _k, ...shown } = o
  return bars(values, { title: `${kind} ESS`, ...shown, rule: { y: threshold, label: String(threshold), bad: 'below' } })
}
