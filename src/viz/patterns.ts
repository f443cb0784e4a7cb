/**
 * Binary patterns (the memories of a Hopfield network, an RBM's samples, Ising configurations) as tiles
 * of black and white cells: +1 and 1 white, −1 and 0 black. Every cell is a square of whole pixels, so
 * each pixel belongs to exactly one cell.
 *
 * @module
 */
import { integer, options as checkOptions, positiveInteger, rangeError } from '../check/index.js'
import { drawTitle, titleHeight } from './axes.js'
import { black, faint, white } from './colour.js'
import { nonEmpty, someNumbers, text } from './checks.js'
import { fill, type Rect } from './image.js'
import type { Kind, PatternsPanel } from './panel.js'

const pad = 6
const gutter = 2

/** Options of {@link patterns}. */
export interface PatternsOptions {
  readonly title?: string
  /** Cells per row of a pattern; default √length for square patterns. */
  readonly width?: number
  /** Tiles per row of the picture; default ⌈√count⌉. */
  readonly columns?: number
}

const bits = (v: unknown, where: string): Uint8Array => {
  const x = someNumbers(v, where, 'cell')
  return Uint8Array.from(x, (b, k) => {
    if (b !== 1 && b !== 0 && b !== -1) throw rangeError(`${where}[${k}]`, 'a bit: 0 or 1, or a spin: −1 or +1', b)
    return b === 1 ? 1 : 0
  })
}

const patternWidth = (v: unknown, length: number, where: string): number => {
  if (v === undefined) {
    const side = Math.round(Math.sqrt(length))
    if (side * side !== length) throw rangeError(where, `a pattern's width in cells (its length ${length} is not a square)`, v)
    return side
  }
  const w = positiveInteger(v, where)
  if (length % w !== 0) throw rangeError(where, `a width that divides the patterns' length ${length}`, w)
  return w
}

/**
 * Patterns as a grid of tiles.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { viz } from 'heatbath'
 * const panel = viz.patterns([[1, -1, -1, 1, 1, -1], [-1, 1, 1, -1, -1, 1]], { width: 3, title: 'memories' })
 * assert.deepEqual([panel.width, panel.height, panel.columns], [3, 2, 2])
 */
export const patterns = (list: readonly ArrayLike<number>[], options?: PatternsOptions): PatternsPanel => {
  const where = 'viz.patterns'
  const o = checkOptions(options, `${where}: options`, ['title', 'width', 'columns'])
  const checked = nonEmpty(list, `${where}: patterns`, 'patterns').map((p, k) => bits(p, `${where}: patterns[${k}]`))
  const length = checked[0].length
  checked.forEach((p, k) => {
    if (p.length !== length) throw rangeError(`${where}: patterns[${k}]`, `${length} cells, as patterns[0]`, list[k])
  })
  const width = patternWidth(o.width, length, `${where}: width`)
  const columns = integer(o.columns ?? Math.ceil(Math.sqrt(list.length)), `${where}: columns`, { min: 1 })
  return { kind: 'patterns', title: text(o.title, `${where}: title`), patterns: checked, width, height: length / width, columns }
}

/** The tiles' rectangles in a panel's rectangle; a RangeError when a cell would be under a pixel. */
const tiles = (p: PatternsPanel, r: Rect, top: number): Rect[] => {
  const rows = Math.ceil(p.patterns.length / p.columns)
  const [w, h] = [r.width - 2 * pad - (p.columns - 1) * gutter, r.y + r.height - pad - top - (rows - 1) * gutter]
  const cell = Math.floor(Math.min(w / (p.columns * p.width), h / (rows * p.height)))
  if (!(cell >= 1)) {
    throw rangeError(`viz.render: a patterns panel of ${r.width}×${r.height} pixels`, `room for ${p.columns}×${rows} tiles of ${p.width}×${p.height} cells of at least a pixel each`, `${Math.max(w, 0)}×${Math.max(h, 0)} pixels for them`)
  }
  const [tw, th] = [cell * p.width, cell * p.height]
  const left = r.x + Math.floor((r.width - (p.columns * (tw + gutter) - gutter)) / 2)
  return p.patterns.map((_p, k) => ({ x: left + (k % p.columns) * (tw + gutter), y: top + Math.floor(k / p.columns) * (th + gutter), width: tw, height: th }))
}

/** The first row under the title. */
const titleBand = (p: PatternsPanel, r: Rect): number => r.y + pad + titleHeight(p.title, r.width)

/** How a patterns panel is laid out and drawn. */
export const patternsKind: Kind<PatternsPanel> = {
  areas: (p, r) => tiles(p, r, titleBand(p, r)).map((rect) => ({ rect, x: [0, p.width], y: [p.height, 0] })),
  draw: (p, image, r) => {
    drawTitle(image, p.title, r)
    tiles(p, r, titleBand(p, r)).forEach((t, k) => {
      const cell = t.width / p.width
      fill(image, { x: t.x - 1, y: t.y - 1, width: t.width + 2, height: t.height + 2 }, faint)
      p.patterns[k].forEach((b, i) => fill(image, { x: t.x + (i % p.width) * cell, y: t.y + Math.floor(i / p.width) * cell, width: cell, height: cell }, b === 1 ? white : black))
    })
  },
}
