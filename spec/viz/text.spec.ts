import t from 'tap'
import { glyph } from '../../src/viz/glyphs.js'
import { blank, pixel } from '../../src/viz/image.js'
import { drawText, textWidth } from '../../src/viz/text.js'
import { tickLabel, ticks, valueLabel } from '../../src/viz/scale.js'

const ink = [0, 0, 0] as const
const isInk = (image: ReturnType<typeof blank>, x: number, y: number) => pixel(image, x, y)[0] === 0

t.test('every printable ASCII character has a glyph of its own, 5 wide, 7 to 9 rows', async (t) => {
  const box = glyph('\u{1F600}')
  const seen = new Set<string>()
  for (let code = 32; code < 127; code++) {
    const c = String.fromCharCode(code)
    const g = glyph(c)
    if (c !== ' ' && g === box) t.fail(`'${c}' has no glyph`)
    if (!(g.length >= 7 && g.length <= 9) || g.some((row) => row.length !== 5)) t.fail(`'${c}' is ${g.length} rows`)
    const key = JSON.stringify(g)
    if (seen.has(key) && c !== ' ') t.fail(`'${c}' looks like another character`)
    seen.add(key)
  }
  t.same(glyph('₃'), [[false, false, false, false, false], [false, false, false, false, false], ...glyph('3')], 'subscripts are the digits lowered')
})

t.test('text reads rightwards glyph by glyph, 6 pixels apart, at any scale', async (t) => {
  const image = blank(40, 20, [255, 255, 255])
  drawText(image, 'L1', ink, { x: 2, y: 1, scale: 2 })
  glyph('L').forEach((row, r) => row.forEach((on, c) => t.equal(isInk(image, 2 + 2 * c + 1, 1 + 2 * r + 1), on) || t.end()))
  glyph('1').forEach((row, r) => row.forEach((on, c) => t.equal(isInk(image, 2 + 12 + 2 * c, 1 + 2 * r), on) || t.end()))
  t.equal(textWidth('L1', 2), 22)
  t.equal(textWidth(''), 0)
})

t.test('text reading upwards has the glyph tops to the left', async (t) => {
  const image = blank(20, 20, [255, 255, 255])
  drawText(image, 'F', ink, { x: 0, y: 0, direction: 'up' })
  // F's top row (#####) is the leftmost column, reading from bottom (row 4) to top (row 0).
  for (let k = 0; k < 5; k++) t.ok(isInk(image, 0, 4 - k))
  // Its left stroke (# in every row) is the bottom row of the box.
  for (let r = 0; r < 7; r++) t.ok(isInk(image, r, 4))
  t.notOk(isInk(image, 6, 0), 'row 6, column 4 of F is paper')
})

t.test('tick labels use as many decimals as the step and exponents for extremes', async (t) => {
  t.same(ticks([0, 0.3], 3).map((k) => k.label), ['0.0', '0.1', '0.2', '0.3'])
  t.same(ticks([-1e-6, 1e-6], 2).map((k) => k.label), ['-1e-6', '0', '1e-6'])
  t.same(ticks([1, 1]).map((k) => k.value).length > 1, true, 'a constant still gets an axis')
  t.equal(tickLabel(250000, 50000), '2.5e5')
  t.equal(tickLabel(0.000015, 0.000005), '1.5e-5')
  t.equal(tickLabel(-3, 1), '-3')
  t.equal(valueLabel(3.77e-7), '3.77e-7')
  t.equal(valueLabel(0.256123), '0.256')
  t.equal(valueLabel(0), '0')
})
