/**
 * Drawing a line chart: faint grid, each series as a polyline (broken at NaN), reference rules, then the
 * axes and the legend.
 *
 * @module
 */
import { drawRule, type FrameSpec, framed, numericTicks } from './axes.js'
import { disc, line } from './draw.js'
import type { Image, Rect } from './image.js'
import type { Kind, LinesPanel, Series } from './panel.js'
import { type Domain, niceDomain, toColumn, toRow, widen } from './scale.js'

const finiteExtent = (arrays: readonly Float64Array[]): Domain => {
  let [lo, hi] = [Infinity, -Infinity]
  for (const a of arrays) for (const v of a) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)]
  return [lo, hi]
}

/** The x domain: exactly the steps shown. */
const xDomain = (p: LinesPanel): Domain => widen(finiteExtent(p.series.map((s) => s.x)))

/** The y domain: every value and rule, out to whole ticks. */
const yDomain = (p: LinesPanel): Domain => niceDomain(finiteExtent([...p.series.map((s) => s.y), Float64Array.from(p.rules, (r) => r.y)]))

const spec = (p: LinesPanel): FrameSpec => {
  const [x, y] = [xDomain(p), yDomain(p)]
  return {
    kind: 'lines',
    title: p.title,
    xLabel: p.xLabel,
    yLabel: p.yLabel,
    x,
    y,
    xTicks: numericTicks(x, 70),
    yTicks: numericTicks(y, 45),
    legend: p.legend ? p.series.map((s) => ({ name: s.name, colour: s.colour })) : [],
    right: 0,
  }
}

const paintSeries = (image: Image, s: Series, width: number, x: Domain, y: Domain, r: Rect): void => {
  let previous: [number, number] | null = null
  for (let k = 0; k < s.x.length; k++) {
    if (Number.isNaN(s.y[k])) {
      previous = null
      continue
    }
    const here: [number, number] = [toColumn(s.x[k], x, r), toRow(s.y[k], y, r)]
    // A value between two gaps is still drawn, as a dot.
    if (previous === null) disc(image, here[0], here[1], width > 1 ? 1 : 0, s.colour, r)
    else line(image, previous, here, s.colour, width, r)
    previous = here
  }
}

/** How a line chart is laid out and drawn. */
export const linesKind: Kind<LinesPanel> = framed(spec, (p, image, s, plot) => {
  for (const rule of p.rules) drawRule(image, rule, s.y, plot)
  for (const series of p.series) paintSeries(image, series, p.lineWidth, s.x, s.y, plot)
}, true)
