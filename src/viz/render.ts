/**
 * `render`: one function draws every panel, layouts included, into a fresh image.
 *
 * @module
 */
import { object, options as checkOptions } from '../check/index.js'
import { drawTitle } from './axes.js'
import { barsKind } from './bars.js'
import { white } from './colour.js'
import { heatmapKind } from './heatmap.js'
import { blank, type Image, type Rect, side } from './image.js'
import { cells, defaultSize } from './layout.js'
import { linesKind } from './lines.js'
import { type Area, checkPanel, type Kind, type LayoutPanel, type Panel } from './panel.js'
import { patternsKind } from './patterns.js'

const layoutKind: Kind<LayoutPanel> = {
  areas: (p, r) => cells(p, r).flatMap((c, k) => areasIn(p.panels[k], c)),
  draw: (p, image, r) => {
    drawTitle(image, p.title, r)
    cells(p, r).forEach((c, k) => drawIn(p.panels[k], image, c))
  },
}

const kinds: { readonly [K in Panel['kind']]: Kind<Extract<Panel, { kind: K }>> } = {
  heatmap: heatmapKind,
  lines: linesKind,
  bars: barsKind,
  patterns: patternsKind,
  layout: layoutKind,
}

const drawIn = (p: Panel, image: Image, r: Rect): void => (kinds[p.kind] as Kind<Panel>).draw(p, image, r)
const areasIn = (p: Panel, r: Rect): readonly Area[] => (kinds[p.kind] as Kind<Panel>).areas(p, r)

/** The size of a picture in pixels. */
export interface Size {
  readonly width: number
  readonly height: number
}

const checkSize = (p: Panel, size: unknown, where: string): Size => {
  const o = checkOptions(size === undefined ? undefined : object(size, `${where}: size`), `${where}: size`, ['width', 'height'])
  const d = defaultSize(p)
  return { width: side(o.width ?? d.width, `${where}: size.width`), height: side(o.height ?? d.height, `${where}: size.height`) }
}

/**
 * Draws a panel into a new image of `size` pixels (default 480×360; a layout 420×330 per cell). A size
 * too small for the panel's plot is a RangeError that says so.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { viz } from 'heatbath'
 * const image = viz.render(viz.trace([[0, 1, 0.5, 0.8]]), { width: 300, height: 200 })
 * assert.deepEqual([image.width, image.height, image.data.length], [300, 200, 300 * 200 * 4])
 */
export const render = (panel: Panel, size?: Partial<Size>): Image => {
  const p = checkPanel(panel, 'viz.render: panel')
  const { width, height } = checkSize(p, size, 'viz.render')
  const image = blank(width, height, white)
  drawIn(p, image, { x: 0, y: 0, width, height })
  return image
}

/**
 * Where each plot of a panel lands when rendered at `size`, and the values at its edges: the map from
 * data to pixels, for tests and for drawing over a picture. A layout lists its panels' plots in order.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { viz } from 'heatbath'
 * const [area] = viz.areas(viz.scatter([[0, 0], [1, 1]], { bounds: [[0, 1], [0, 1]] }), { width: 300, height: 300 })
 * assert.deepEqual(area.x, [0, 1])
 * assert.equal(area.rect.width, area.rect.height) // equal aspect
 */
export const areas = (panel: Panel, size?: Partial<Size>): readonly Area[] => {
  const p = checkPanel(panel, 'viz.areas: panel')
  const { width, height } = checkSize(p, size, 'viz.areas')
  return areasIn(p, { x: 0, y: 0, width, height })
}
