/**
 * Drawing a heat map panel: each pixel of the plot takes the colour of the grid cell under its centre,
 * points go on top, then the axes and a colour bar.
 *
 * @module
 */
import { type FrameSpec, framed, numericTicks } from './axes.js'
import { ink, levels, lookupTable } from './colour.js'
import { disc, line, outline } from './draw.js'
import { type Image, plot, type Rect } from './image.js'
import type { HeatmapPanel, Kind } from './panel.js'
import { toColumn, toRow, valueLabel } from './scale.js'
import { drawText, textHeight, textWidth } from './text.js'

const barGap = 6
const barWidth = 10

const barLabels = (p: HeatmapPanel): [string, string] => [valueLabel(p.range[1]), valueLabel(p.range[0])]

const hasBar = (p: HeatmapPanel): boolean => p.values !== null && p.valueLabel !== ''

const barRoom = (p: HeatmapPanel): number => (hasBar(p) ? barGap + barWidth + 4 + Math.max(...barLabels(p).map((l) => textWidth(l))) + 4 + textHeight() : 0)

const spec = (p: HeatmapPanel): FrameSpec => ({
  kind: 'heatmap',
  title: p.title,
  xLabel: p.xLabel,
  yLabel: p.yLabel,
  x: p.bounds[0],
  y: p.bounds[1],
  xTicks: numericTicks(p.bounds[0], 60),
  yTicks: numericTicks(p.bounds[1], 45),
  legend: [],
  right: barRoom(p),
  aspect: p.equalAspect ? (p.bounds[0][1] - p.bounds[0][0]) / (p.bounds[1][1] - p.bounds[1][0]) : undefined,
})

/** The lookup-table level of a value: its place in the range, −∞ at the bottom. */
const level = (v: number, [lo, hi]: readonly [number, number]): number => {
  const t = (v - lo) / (hi - lo)
  return t >= 1 ? levels - 1 : t > 0 ? Math.round(t * (levels - 1)) : 0
}

const paintCells = (image: Image, p: HeatmapPanel, values: Float64Array, r: Rect): void => {
  const table = lookupTable(p.colourMap)
  const [nx, ny] = p.cells
  for (let row = 0; row < r.height; row++) {
    const j = Math.floor(((r.height - row - 0.5) * ny) / r.height)
    for (let col = 0; col < r.width; col++) {
      const i = Math.floor(((col + 0.5) * nx) / r.width)
      plot(image, r.x + col, r.y + row, table[level(values[i * ny + j], p.range)])
    }
  }
}

const paintPoints = (image: Image, p: HeatmapPanel, r: Rect): void => {
  const [[x0, x1], [y0, y1]] = p.bounds
  for (let k = 0; k < p.points.length; k += 2) {
    const [x, y] = [p.points[k], p.points[k + 1]]
    if (!(x >= x0 && x <= x1 && y >= y0 && y <= y1)) continue
    disc(image, toColumn(x, p.bounds[0], r), toRow(y, p.bounds[1], r), p.pointRadius, p.pointColour, r)
  }
}

const paintBar = (image: Image, p: HeatmapPanel, plotRect: Rect, r: Rect): void => {
  const table = lookupTable(p.colourMap)
  const x = plotRect.x + plotRect.width + barGap
  const { y, height } = plotRect
  for (let row = 0; row < height; row++) {
    const colour = table[Math.round((1 - (row + 0.5) / height) * (levels - 1))]
    line(image, [x, y + row], [x + barWidth - 1, y + row], colour, 1, r)
  }
  outline(image, { x, y, width: barWidth, height }, ink, r)
  const [top, bottom] = barLabels(p)
  const labelX = x + barWidth + 4
  drawText(image, top, ink, { x: labelX, y })
  drawText(image, bottom, ink, { x: labelX, y: y + height - 7 })
  const nameX = labelX + Math.max(textWidth(top), textWidth(bottom)) + 4
  drawText(image, p.valueLabel, ink, { x: nameX, y: y + Math.max(0, Math.floor((height - textWidth(p.valueLabel)) / 2)), direction: 'up' })
}

/** How a heat map panel is laid out and drawn. */
export const heatmapKind: Kind<HeatmapPanel> = framed(spec, (p, image, _s, plot, r) => {
  if (p.values !== null) paintCells(image, p, p.values, plot)
  paintPoints(image, p, plot)
  if (hasBar(p)) paintBar(image, p, plot, r)
}, false)
