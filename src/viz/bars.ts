/**
 * Drawing a bar chart: one bar per label from the baseline, coloured by which side of the rule it ends
 * on; a bar of +∞ runs to the top.
 *
 * @module
 */
import { drawRule, type FrameSpec, framed, numericTicks, type Tick } from './axes.js'
import { bad, good } from './colour.js'
import { fill, type Image, type Rect } from './image.js'
import type { BarsPanel, Kind } from './panel.js'
import { type Domain, niceDomain, toColumn, toRow } from './scale.js'
import { textWidth } from './text.js'

const yDomain = (p: BarsPanel): Domain => {
  const finite = [...p.values.filter(Number.isFinite), p.baseline, ...(p.rule === null ? [] : [p.rule.y])]
  const [lo, hi] = [Math.min(...finite), Math.max(...finite)]
  // Room above everything finite, so that a bar of +∞ visibly passes the rule.
  return niceDomain([lo, p.values.includes(Infinity) ? hi + 0.2 * (hi - lo || 1) : hi])
}

/** A label under every bar, or under every k-th when they would not fit. */
const barTicks = (labels: readonly string[]) => (width: number): readonly Tick[] => {
  const room = Math.max(...labels.map((l) => textWidth(l))) + 6
  const every = Math.max(1, Math.ceil((labels.length * room) / width))
  return labels.flatMap((label, k) => (k % every === 0 ? [{ value: k + 0.5, label }] : []))
}

const spec = (p: BarsPanel): FrameSpec => {
  const y = yDomain(p)
  return { kind: 'bars', title: p.title, xLabel: p.xLabel, yLabel: p.yLabel, x: [0, p.values.length], y, xTicks: barTicks(p.labels), yTicks: numericTicks(y, 45), legend: [], right: 0 }
}

const isBad = (p: BarsPanel, v: number): boolean => p.rule !== null && (p.rule.bad === 'above' ? v > p.rule.y : v < p.rule.y)

const paintBars = (image: Image, p: BarsPanel, s: FrameSpec, r: Rect): void => {
  p.values.forEach((v, k) => {
    const [left, right] = [toColumn(k + 0.15, s.x, r), toColumn(k + 0.85, s.x, r)]
    const base = toRow(p.baseline, s.y, r)
    const end = v === Infinity ? r.y : toRow(v, s.y, r)
    const [top, bottom] = [Math.min(base, end), Math.max(base, end)]
    fill(image, { x: left, y: top, width: Math.max(1, right - left), height: bottom - top + 1 }, isBad(p, v) ? bad : good)
  })
}

/** How a bar chart is laid out and drawn. */
export const barsKind: Kind<BarsPanel> = framed(spec, (p, image, s, plot) => {
  paintBars(image, p, s, plot)
  if (p.rule !== null) drawRule(image, p.rule, s.y, plot)
}, true)
