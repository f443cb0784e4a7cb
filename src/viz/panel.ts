/**
 * A picture is described by a value, a panel, and drawn by one function, `viz.render`. Panels are plain
 * data built (and checked) by the functions of the viz namespace: `density`, `landscape`, `heatmap` and
 * `scatter` (2-D maps with points over them), `trace`, `curves` and `lines` (values against steps),
 * `rhatChart`, `essChart` and `bars`, `patterns`, and `layout`, which arranges other panels in a grid.
 *
 * @module
 */
import { typeError } from '../check/index.js'
import type { ColourMap } from './colour.js'
import type { Image, Rect, Rgb } from './image.js'
import type { Domain } from './scale.js'

/** A map of values over a 2-D box, with points drawn over it. */
export interface HeatmapPanel {
  readonly kind: 'heatmap'
  readonly title: string
  readonly xLabel: string
  readonly yLabel: string
  /** The box: x (horizontal) then y (vertical, upwards). */
  readonly bounds: readonly [Domain, Domain]
  /** Cells along x and along y. */
  readonly cells: readonly [number, number]
  /** One value per cell, x slowest (cell (i, j) at i·cells[1] + j), as grid.tabulate lays them out; null for points alone. */
  readonly values: Float64Array | null
  /** The values at the two ends of the colour map. */
  readonly range: Domain
  readonly colourMap: ColourMap
  /** What the colour bar says the values are ('' for no colour bar). */
  readonly valueLabel: string
  /** Points as x, y pairs. */
  readonly points: Float64Array
  readonly pointColour: Rgb
  /** Pixels of a point's radius (0: one pixel). */
  readonly pointRadius: number
  /** Whether a unit of x and of y have the same length on screen. */
  readonly equalAspect: boolean
}

/** One line of a line chart; NaN in y breaks the line. */
export interface Series {
  readonly name: string
  readonly x: Float64Array
  readonly y: Float64Array
  readonly colour: Rgb
}

/** A horizontal reference line across a chart. */
export interface Rule {
  readonly y: number
  readonly label: string
}

/** Lines of values against steps (traces, training curves). */
export interface LinesPanel {
  readonly kind: 'lines'
  readonly title: string
  readonly xLabel: string
  readonly yLabel: string
  readonly series: readonly Series[]
  readonly rules: readonly Rule[]
  readonly legend: boolean
  readonly lineWidth: number
}

/** One bar per label, from a baseline; +Infinity runs off the top of the chart. */
export interface BarsPanel {
  readonly kind: 'bars'
  readonly title: string
  readonly xLabel: string
  readonly yLabel: string
  readonly labels: readonly string[]
  readonly values: Float64Array
  readonly baseline: number
  /** A threshold: bars on its `bad` side are drawn in the warning colour. */
  readonly rule: (Rule & { readonly bad: 'above' | 'below' }) | null
}

/** Binary patterns as tiles of black and white cells: 1 white, 0 black. */
export interface PatternsPanel {
  readonly kind: 'patterns'
  readonly title: string
  /** Each pattern's cells, row-major. */
  readonly patterns: readonly Uint8Array[]
  /** Cells per row and rows of one pattern. */
  readonly width: number
  readonly height: number
  /** Tiles per row of the picture. */
  readonly columns: number
}

/** Panels in a grid of `columns`, filled row by row. */
export interface LayoutPanel {
  readonly kind: 'layout'
  readonly title: string
  readonly columns: number
  readonly panels: readonly Panel[]
}

export type Panel = HeatmapPanel | LinesPanel | BarsPanel | PatternsPanel | LayoutPanel

/** The kinds of panel `viz.render` draws. */
export const panelKinds = ['heatmap', 'lines', 'bars', 'patterns', 'layout'] as const

/** Checks a panel: an object of a known kind (its contents were checked by the function that built it). */
export const checkPanel = (v: unknown, where: string): Panel => {
  const kind = typeof v === 'object' && v !== null ? (v as { kind?: unknown }).kind : undefined
  if (!panelKinds.includes(kind as Panel['kind'])) throw typeError(where, `a panel (built by viz.density, viz.trace, viz.layout, …; kind ${panelKinds.join(', ')})`, v)
  return v as Panel
}

/**
 * Where a plot landed in a rendered image, and which values its edges stand for: x at the left and right
 * edges, y at the bottom and top. Column c of the rectangle holds x in [x₀ + c·dx, x₀ + (c + 1)·dx) with
 * dx = (x₁ − x₀)/width; row r (from the top) holds y in (y₁ − (r + 1)·dy, y₁ − r·dy]. A pattern's tile
 * has x = [0, width] and y = [height, 0]: cell columns rightwards, cell rows downwards.
 */
export interface Area {
  readonly rect: Rect
  readonly x: Domain
  readonly y: Domain
}

/** How a kind of panel is drawn: where its plots go, and painting it into its rectangle of an image. */
export interface Kind<P> {
  readonly areas: (panel: P, r: Rect) => readonly Area[]
  readonly draw: (panel: P, image: Image, r: Rect) => void
}
