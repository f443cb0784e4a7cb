/**
 * The frame around a plot: title, legend, axes with ticks and numbers, axis labels. `frame` says where
 * the plot goes inside a panel's rectangle; `drawFrame` paints everything around it, after the plot.
 *
 * @module
 */
import { rangeError } from '../check/index.js'
import { faint, ink, rule as ruleColour, white } from './colour.js'
import { dashed, line, outline } from './draw.js'
import { fill, type Image, type Rect, type Rgb } from './image.js'
import type { Kind } from './panel.js'
import { type Domain, ticks, toColumn, toRow } from './scale.js'
import { drawText, textHeight, textWidth } from './text.js'

/** A tick: where on its axis, and what it says. */
export interface Tick {
  readonly value: number
  readonly label: string
}

/** One entry of a legend. */
export interface LegendEntry {
  readonly name: string
  readonly colour: Rgb
}

/** What a frame holds. */
export interface FrameSpec {
  readonly kind: string
  readonly title: string
  readonly xLabel: string
  readonly yLabel: string
  readonly x: Domain
  readonly y: Domain
  /** The x ticks for a plot of a given width in pixels (their number depends on the room). */
  readonly xTicks: (width: number) => readonly Tick[]
  /** The y ticks for a panel of a given height (not the plot's, which depends on the ticks' labels). */
  readonly yTicks: (height: number) => readonly Tick[]
  readonly legend: readonly LegendEntry[]
  /** Room kept right of the plot (a colour bar). */
  readonly right: number
  /** The plot's width / height in pixels, or undefined to fill the room. */
  readonly aspect?: number
}

/** Numeric ticks about every `spacing` pixels of a side of `size` pixels. */
export const numericTicks = (domain: Domain, spacing: number) => (size: number): readonly Tick[] => ticks(domain, Math.max(2, Math.floor(size / spacing)))

const pad = 6
const tickLength = 3
/** The smallest plot, in pixels either way, that still shows anything. */
export const minimumPlot = 16

/** The title's scale: 2 when it fits the panel, else 1. */
const titleScale = (title: string, width: number): number => (textWidth(title, 2) <= width - 2 * pad ? 2 : 1)

const band = (present: boolean, height: number): number => (present ? height : 0)

/** The height a title takes at the top of a panel of a given width (0 for no title). */
export const titleHeight = (title: string, width: number): number => band(title !== '', textHeight(titleScale(title, width)) + 4)

/** The height of the title band (title and legend) at the top of a panel. */
const topBand = (spec: FrameSpec, r: Rect): number => pad + titleHeight(spec.title, r.width) + band(spec.legend.length > 0, textHeight() + 4)

/** Where the plot goes inside a panel's rectangle; a RangeError when there is no room for one. */
export const frame = (spec: FrameSpec, r: Rect): Rect => {
  const top = topBand(spec, r)
  const bottom = pad + tickLength + 2 + textHeight() + band(spec.xLabel !== '', textHeight() + 3)
  const yLabels = spec.yTicks(r.height).map((t) => textWidth(t.label))
  const left = pad + band(spec.yLabel !== '', textHeight() + 3) + Math.max(0, ...yLabels) + tickLength + 3
  let width = r.width - left - pad - spec.right
  let height = r.height - top - bottom
  if (spec.aspect !== undefined) {
    // Equal units both ways: shrink whichever side is too long for the aspect.
    if (width / height > spec.aspect) width = Math.round(height * spec.aspect)
    else height = Math.round(width / spec.aspect)
  }
  if (!(width >= minimumPlot && height >= minimumPlot)) {
    throw rangeError(`viz.render: a ${spec.kind} panel of ${r.width}×${r.height} pixels`, `room for a plot of at least ${minimumPlot}×${minimumPlot} pixels inside its title, axes and labels (a larger image, or shorter labels)`, `${Math.max(width, 0)}×${Math.max(height, 0)}`)
  }
  return { x: r.x + left, y: r.y + top, width, height }
}

/** Faint lines across the plot at the y ticks, painted before the data. */
export const drawGrid = (image: Image, spec: FrameSpec, plot: Rect, r: Rect): void => {
  for (const t of spec.yTicks(r.height)) {
    const row = toRow(t.value, spec.y, plot)
    line(image, [plot.x, row], [plot.x + plot.width - 1, row], faint, 1, plot)
  }
}

/** Text centred on a column, kept inside the panel. */
const centred = (image: Image, text: string, column: number, y: number, r: Rect, scale = 1): void => {
  const w = textWidth(text, scale)
  const x = Math.min(Math.max(column - Math.floor(w / 2), r.x), r.x + r.width - w)
  drawText(image, text, ink, { x, y, scale })
}

const drawXAxis = (image: Image, spec: FrameSpec, p: Rect, r: Rect): void => {
  const below = p.y + p.height + 1
  for (const t of spec.xTicks(p.width)) {
    const c = toColumn(t.value, spec.x, p)
    line(image, [c, below], [c, below + tickLength - 1], ink, 1, r)
    centred(image, t.label, c, below + tickLength + 2, r)
  }
  if (spec.xLabel !== '') centred(image, spec.xLabel, p.x + Math.floor(p.width / 2), below + tickLength + 2 + textHeight() + 3, r)
}

const drawYAxis = (image: Image, spec: FrameSpec, p: Rect, r: Rect): void => {
  for (const t of spec.yTicks(r.height)) {
    const row = toRow(t.value, spec.y, p)
    line(image, [p.x - 2, row], [p.x - 1 - tickLength, row], ink, 1, r)
    drawText(image, t.label, ink, { x: p.x - tickLength - 3 - textWidth(t.label), y: row - 3 })
  }
  if (spec.yLabel !== '') {
    const h = textWidth(spec.yLabel)
    drawText(image, spec.yLabel, ink, { x: r.x + pad, y: Math.max(r.y, p.y + Math.floor((p.height - h) / 2)), direction: 'up' })
  }
}

/** The title, centred at the top of a panel; returns the row below it. */
export const drawTitle = (image: Image, title: string, r: Rect): number => {
  if (title !== '') centred(image, title, r.x + Math.floor(r.width / 2), r.y + pad, r, titleScale(title, r.width))
  return r.y + pad + titleHeight(title, r.width)
}

const drawLegend = (image: Image, legend: readonly LegendEntry[], y: number, r: Rect): void => {
  const widths = legend.map((e) => 12 + textWidth(e.name) + 10)
  let x = r.x + Math.max(pad, Math.floor((r.width - widths.reduce((a, b) => a + b, 0)) / 2))
  legend.forEach((e, k) => {
    for (let dy = 2; dy < 6; dy++) line(image, [x, y + dy], [x + 8, y + dy], e.colour, 1, r)
    drawText(image, e.name, ink, { x: x + 12, y })
    x += widths[k]
  })
}

/** Paints the title, legend, box, ticks and labels around a plot. */
export const drawFrame = (image: Image, spec: FrameSpec, plot: Rect, r: Rect): void => {
  const below = drawTitle(image, spec.title, r)
  if (spec.legend.length > 0) drawLegend(image, spec.legend, below, r)
  outline(image, plot, ink, r)
  drawXAxis(image, spec, plot, r)
  drawYAxis(image, spec, plot, r)
}

/** A dashed horizontal reference line at height y across the plot, its label above its right end. */
export const drawRule = (image: Image, rule: { readonly y: number; readonly label: string }, domain: Domain, plot: Rect): void => {
  const row = toRow(rule.y, domain, plot)
  dashed(image, row, ruleColour, plot)
  if (rule.label === '') return
  const at = { x: plot.x + plot.width - 2 - textWidth(rule.label), y: Math.max(plot.y + 1, row - 9) }
  // Paper behind the label keeps it legible over bars and lines.
  fill(image, { x: at.x - 1, y: at.y - 1, width: textWidth(rule.label) + 2, height: 9 }, white)
  drawText(image, rule.label, ruleColour, at)
}

/**
 * A kind of panel that is one plot in a frame: `spec` says what the frame holds, `paint` draws the data
 * into the plot's rectangle (after the faint grid when `grid`), and the frame goes on top.
 */
export const framed = <P>(spec: (p: P) => FrameSpec, paint: (p: P, image: Image, s: FrameSpec, plot: Rect, r: Rect) => void, grid: boolean): Kind<P> => ({
  areas: (p, r) => {
    const s = spec(p)
    return [{ rect: frame(s, r), x: s.x, y: s.y }]
  },
  draw: (p, image, r) => {
    const s = spec(p)
    const plot = frame(s, r)
    if (grid) drawGrid(image, s, plot, r)
    paint(p, image, s, plot, r)
    drawFrame(image, s, plot, r)
  },
})
