import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as grid from '../../src/energy/grid.js'
import { type Area, areas, density, heatmap, landscape, type Panel, scatter } from '../../src/viz/index.js'
import { centreOf, columnOf, mapValue, picture, rgbAt, rowOf, same } from './pixels.js'

// A correlated Gaussian off the centre of its box, at T ≠ 1: p(x) ∝ exp(−½(x − μ)ᵀP(x − μ)/T).
const mu = [0.7, -0.4]
const P = [[2, 0.6], [0.6, 3]]
const T = 1.7
const quadraticForm = ([x, y]: readonly number[]): number => {
  const [dx, dy] = [x - mu[0], y - mu[1]]
  return 0.5 * (P[0][0] * dx * dx + 2 * P[0][1] * dx * dy + P[1][1] * dy * dy)
}
const gaussianPanel = density(energy.gaussian({ mean: mu, precision: P }), { bounds: [[-2.5, 2.5], [-2.5, 2.5]], n: 400, temperature: T, title: 'N(μ, P⁻¹) at T = 1.7' })
const size = { width: 300, height: 260 }

/** Each pixel of a map's plot as its place on the colour map. */
const mapValues = (panel: Panel & { colourMap: 'viridis' | 'magma' | 'greys' }) => {
  const [area] = areas(panel, size)
  const image = picture(panel, size)
  const at = (column: number, row: number) => mapValue(panel.colourMap, rgbAt(image, column, row))
  return { area, image, at }
}

const pixels = (a: Area): [number, number][] => Array.from({ length: a.rect.width * a.rect.height }, (_v, k) => [a.rect.x + (k % a.rect.width), a.rect.y + Math.floor(k / a.rect.width)])

t.test('a density map colours each pixel by the density at its centre: t = (p − min)/(max − min) within 0.02', async (t) => {
  const { area, at } = mapValues(gaussianPanel)
  const [lo, hi] = gaussianPanel.range
  // p/max p = exp(−q/T); the range is the grid's own smallest and largest density.
  const pMax = gaussianPanel.values!.reduce((m, v) => Math.max(m, v), 0)
  let worst = 0
  let offMap = 0
  for (const [c, r] of pixels(area)) {
    const want = ((pMax * Math.exp(-quadraticForm(centreOf(area, c, r)) / T)) - lo) / (hi - lo)
    const got = at(c, r)
    if (got.distance !== 0) offMap++
    worst = Math.max(worst, Math.abs(got.t - want))
  }
  t.equal(offMap, 0, 'every pixel is a colour of the map')
  // Colour levels are 1/1023 apart; a 400-cell grid puts a pixel centre at most half a cell (0.009 in x)
  // from its cell's centre, where t moves by at most |∇t|·0.009 < 0.008.
  t.ok(worst < 0.02, `largest |t − p/max p| = ${worst}`)
})

t.test('the brightest pixels of a density sit on its mode, to the pixel', async (t) => {
  const { area, at } = mapValues(gaussianPanel)
  const best = pixels(area).reduce((m, [c, r]) => Math.max(m, at(c, r).t), 0)
  const top = pixels(area).filter(([c, r]) => at(c, r).t === best)
  const centroid = [0, 1].map((k) => top.reduce((s, p) => s + p[k], 0) / top.length)
  const want = [columnOf(area, mu[0]), rowOf(area, mu[1])]
  t.ok(Math.abs(centroid[0] - want[0]) <= 1 && Math.abs(centroid[1] - want[1]) <= 1, `centroid of the ${top.length} brightest ${centroid} vs the mode's pixel ${want}`)
  // The mode (0.7, −0.4) is right of the box's centre and below it: x grows rightwards, y upwards.
  t.ok(want[0] > area.rect.x + area.rect.width / 2 && want[1] > area.rect.y + area.rect.height / 2)
})

t.test('along the row and the column through the mode the colour rises to the mode and falls after it', async (t) => {
  const { area, at } = mapValues(gaussianPanel)
  const [mc, mr] = [columnOf(area, mu[0]), rowOf(area, mu[1])]
  const row = Array.from({ length: area.rect.width }, (_v, k) => at(area.rect.x + k, mr).t)
  const column = Array.from({ length: area.rect.height }, (_v, k) => at(mc, area.rect.y + k).t)
  const unimodal = (v: number[], peak: number) => v.every((x, k) => k === 0 || (k <= peak ? x >= v[k - 1] : x <= v[k - 1]))
  t.ok(unimodal(row, mc - area.rect.x), 'row through the mode')
  t.ok(unimodal(column, mr - area.rect.y), 'column through the mode')
  t.ok(row[mc - area.rect.x] - row[0] > 0.5, 'and it changes: the row spans most of the map')
})

t.test('a landscape is darkest in the wells of the double well, at x₀ = ±1', async (t) => {
  const panel = landscape(energy.doubleWell({ dim: 2 }), { bounds: [[-2, 2], [-2, 2]], n: 300, colourMap: 'magma' })
  const { area, at } = mapValues(panel)
  const half = (sign: number) => pixels(area).filter(([c]) => Math.sign(centreOf(area, c, area.rect.y)[0]) === sign)
  for (const sign of [-1, 1]) {
    const side = half(sign)
    const low = Math.min(...side.map(([c, r]) => at(c, r).t))
    const darkest = side.filter(([c, r]) => at(c, r).t === low)
    const centroid = [0, 1].map((k) => darkest.reduce((s, p) => s + p[k], 0) / darkest.length)
    t.ok(Math.abs(centroid[0] - columnOf(area, sign)) <= 1 && Math.abs(centroid[1] - rowOf(area, 0)) <= 1, `well at ${sign}: ${centroid}`)
  }
})

t.test('a histogram heat map paints each cell over exactly its pixels', async (t) => {
  // All the points in cell (i = 3, j = 0) of 4 × 4 over [0, 4]²: high x, low y, the bottom-right corner.
  const h = grid.histogram([[3.5, 0.5], [3.2, 0.1], [3.9, 0.9]], { bounds: [[0, 4], [0, 4]], n: 4 })
  const panel = heatmap(h, { colourMap: 'greys' })
  const [area] = areas(panel, size)
  const image = picture(panel, size)
  for (const [c, r] of pixels(area)) {
    // Cell i holds x in [i, i + 1), cell j holds y in [j, j + 1).
    const [x, y] = centreOf(area, c, r)
    const want = x >= 3 && y < 1 ? [255, 255, 255] : [0, 0, 0]
    if (!same(rgbAt(image, c, r), want)) return t.fail(`pixel (${c}, ${r}) at (${x}, ${y}) is ${rgbAt(image, c, r)}`)
  }
  t.pass('bright in the cell of the points, dark elsewhere')
})

t.test('points drawn at known coordinates colour exactly their pixels; points outside the box are left out', async (t) => {
  const red = [255, 0, 0] as const
  const pts = [[2.5, 1.25], [7.3, 4.1], [0, 0], [10, 5], [11, 2], [5, -0.1]]
  const panel = scatter(pts, { bounds: [[0, 10], [0, 5]], pointColour: red, pointRadius: 0, aspect: 'fill' })
  const [area] = areas(panel, size)
  const image = picture(panel, size)
  const inside = pts.slice(0, 4)
  for (const [x, y] of inside) t.ok(same(rgbAt(image, columnOf(area, x), rowOf(area, y)), red), `(${x}, ${y})`)
  const reds = pixels(area).filter(([c, r]) => same(rgbAt(image, c, r), red))
  t.equal(reds.length, inside.length, 'one pixel per point inside, none for the two outside')
})

t.test('samples over a density are drawn on top of it', async (t) => {
  const panel = density(energy.gaussian({ mean: [0, 0] }), { bounds: [[-3, 3], [-3, 3]], n: 60, points: [[1, 1], [-2, 0.5]], pointColour: [255, 0, 255] })
  const [area] = areas(panel, size)
  const image = picture(panel, size)
  for (const [x, y] of [[1, 1], [-2, 0.5]]) {
    for (const [dc, dr] of [[0, 0], [1, 0], [0, -1]]) t.ok(same(rgbAt(image, columnOf(area, x) + dc, rowOf(area, y) + dr), [255, 0, 255]))
  }
})

t.test('equal aspect: a unit of x and of y are the same number of pixels', async (t) => {
  const [area] = areas(scatter([[0, 0]], { bounds: [[-3, 3], [-1.5, 1.5]] }), { width: 400, height: 400 })
  // Within the pixel that rounding the other side costs.
  t.ok(Math.abs(area.rect.width - 2 * area.rect.height) <= 1, `${area.rect.width}×${area.rect.height}`)
  const [filled] = areas(scatter([[0, 0]], { bounds: [[-3, 3], [-1.5, 1.5]], aspect: 'fill' }), { width: 400, height: 400 })
  t.ok(filled.rect.height > area.rect.height)
})
