import t from 'tap'
import { glyph } from '../../src/viz/glyphs.js'
import { areas, curves, type Image, lines, palette, trace } from '../../src/viz/index.js'
import { columnOf, picture, rgbAt, rowOf, same } from './pixels.js'

const size = { width: 360, height: 240 }

t.test("a trace's polyline passes through the pixel of each draw", async (t) => {
  const chains = [[0.5, 1.5, -0.25, 2, 1], [-1, -0.5, 0.75, 0, -1.25]]
  const panel = trace(chains, { title: 'x₀' })
  const [area] = areas(panel, size)
  const image = picture(panel, size)
  chains.forEach((chain, c) => {
    chain.forEach((y, step) => t.ok(same(rgbAt(image, columnOf(area, step), rowOf(area, y)), palette[c]), `chain ${c}, step ${step}, value ${y}`))
  })
  t.same(area.x, [0, 4], 'the x axis spans the steps exactly')
  t.ok(area.y[0] <= -1.25 && area.y[1] >= 2, 'the y axis holds every draw')
})

t.test('a line between two draws is unbroken: every column between them has its colour', async (t) => {
  const panel = lines([{ y: [0, 10] }], { lineWidth: 1 })
  const [area] = areas(panel, size)
  const image = picture(panel, size)
  for (let c = area.rect.x; c < area.rect.x + area.rect.width; c++) {
    const column = Array.from({ length: area.rect.height }, (_v, r) => rgbAt(image, c, area.rect.y + r))
    if (!column.some((rgb) => same(rgb, palette[0]))) return t.fail(`column ${c} has no pixel of the line`)
  }
  t.pass('the line crosses the whole plot')
})

t.test('a training record whose field is null leaves a gap in its curve', async (t) => {
  const records = [{ step: 0, loss: 1, kl: 1 }, { step: 50, loss: 0.5, kl: null }, { step: 100, loss: 0.25, kl: 1 }]
  const panel = curves(records, { fields: ['loss', 'kl'] })
  const [area] = areas(panel, size)
  const image = picture(panel, size)
  const kl = palette[1]
  t.ok(same(rgbAt(image, columnOf(area, 0), rowOf(area, 1)), kl), 'the value before the gap is drawn')
  t.ok(same(rgbAt(image, columnOf(area, 100), rowOf(area, 1)), kl), 'and the one after it')
  // Joined across the gap, the line would run along y = 1 through step 50.
  for (const step of [25, 50, 75]) t.notOk(same(rgbAt(image, columnOf(area, step), rowOf(area, 1)), kl), `no kl at step ${step}`)
  t.ok(same(rgbAt(image, columnOf(area, 50), rowOf(area, 0.5)), palette[0]), 'loss has no gap')
})

t.test('a rule is a dashed line at its height', async (t) => {
  const panel = lines([{ y: [0, 1, 2] }], { rules: [{ y: 1.5, label: 'limit' }] })
  const [area] = areas(panel, size)
  const image = picture(panel, size)
  const row = Array.from({ length: 40 }, (_v, k) => rgbAt(image, area.rect.x + k, rowOf(area, 1.5)))
  const grey = row.filter((rgb) => same(rgb, [90, 90, 90])).length
  t.ok(grey >= 20 && grey <= 25, `4 of every 7 pixels: ${grey} of 40`)
})

/** Whether a character's glyph is drawn with its top-left corner at (x, y). */
const drawnAt = (image: Image, c: string, x: number, y: number): boolean =>
  glyph(c).every((row, r) => row.every((ink, k) => same(rgbAt(image, x + k, y + r), ink ? [34, 34, 34] : [255, 255, 255])))

t.test('the axes are numbered: the glyph of each tick label sits under its tick', async (t) => {
  const panel = lines([{ x: [0, 8], y: [0, 8] }])
  const [area] = areas(panel, size)
  const image = picture(panel, size)
  for (const v of [0, 2, 4, 6, 8]) {
    const column = columnOf(area, v)
    const rows = Array.from({ length: 14 }, (_v, k) => area.rect.y + area.rect.height + k)
    const found = rows.some((y) => [-3, -2, -1].some((dx) => drawnAt(image, String(v), column + dx, y)))
    t.ok(found, `'${v}' under x = ${v}`)
  }
})
