/**
 * Panels side by side: a grid of `columns`, filled row by row, under an optional title.
 *
 * @module
 */
import { integer, options as checkOptions } from '../check/index.js'
import { titleHeight } from './axes.js'
import { nonEmpty, text } from './checks.js'
import type { Rect } from './image.js'
import { checkPanel, type LayoutPanel, type Panel } from './panel.js'

/** Options of {@link layout}. */
export interface LayoutOptions {
  readonly title?: string
  /** Panels per row; default ⌈√count⌉. */
  readonly columns?: number
}

/**
 * Several panels in one picture, row by row.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { viz } from 'heatbath'
 * const figure = viz.layout([viz.trace([[0, 1, 0.5]]), viz.bars([1, 2]), viz.patterns([[1, 0, 0, 1]])], { title: 'three panels' })
 * assert.equal(figure.columns, 2)
 */
export const layout = (panels: readonly Panel[], options?: LayoutOptions): LayoutPanel => {
  const where = 'viz.layout'
  const o = checkOptions(options, `${where}: options`, ['title', 'columns'])
  const checked = nonEmpty(panels, `${where}: panels`, 'panels').map((p, k) => checkPanel(p, `${where}: panels[${k}]`))
  const columns = integer(o.columns ?? Math.ceil(Math.sqrt(panels.length)), `${where}: columns`, { min: 1 })
  return { kind: 'layout', title: text(o.title, `${where}: title`), columns, panels: checked }
}

/** The rectangle of each panel of a layout. */
export const cells = (p: LayoutPanel, r: Rect): Rect[] => {
  const top = p.title === '' ? r.y : r.y + 6 + titleHeight(p.title, r.width)
  const rows = Math.ceil(p.panels.length / p.columns)
  const [w, h] = [Math.floor(r.width / p.columns), Math.floor((r.y + r.height - top) / rows)]
  return p.panels.map((_p, k) => ({ x: r.x + (k % p.columns) * w, y: top + Math.floor(k / p.columns) * h, width: w, height: h }))
}

/** The default size of a picture of a panel: 480×360, and a layout's cells 420×330 each. */
export const defaultSize = (p: Panel): { width: number; height: number } => {
  if (p.kind !== 'layout') return { width: 480, height: 360 }
  const rows = Math.ceil(p.panels.length / p.columns)
  return { width: 420 * p.columns, height: 330 * rows + (p.title === '' ? 0 : 30) }
}
