import { PNG } from 'pngjs'
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import { glyph } from '../../src/viz/glyphs.js'
import { areas, bars, density, layout, type Panel, patterns, pixel, png, render, trace } from '../../src/viz/index.js'
import { textWidth } from '../../src/viz/text.js'

const small = density(energy.gaussian({ mean: [0.5, 0], precision: [[2, 0], [0, 1]] }), { bounds: [[-2, 2], [-2, 2]], n: 50, title: 'p', points: [[0, 0]] })
const panels: Panel[] = [small, trace([[0, 1, 0.5, 2]], { title: 'trace' }), bars([1, 3, 2], { title: 'bars' }), patterns([[1, 0, 0, 1]], { title: 'tiles' })]

t.test('PNG round trip: decoding the encoded image gives back every pixel', async (t) => {
  const image = render(layout(panels, { title: 'round trip' }), { width: 500, height: 400 })
  const decoded = PNG.sync.read(Buffer.from(png(image)))
  t.same([decoded.width, decoded.height], [500, 400])
  t.ok(Buffer.compare(decoded.data, Buffer.from(image.data)) === 0, 'same RGBA bytes')
})

t.test('a layout draws each panel in its cell exactly as the panel alone at that size', async (t) => {
  const [w, h] = [300, 240]
  const whole = render(layout(panels, { columns: 2 }), { width: 2 * w, height: 2 * h })
  panels.forEach((p, k) => {
    const alone = render(p, { width: w, height: h })
    const [x0, y0] = [(k % 2) * w, Math.floor(k / 2) * h]
    let differ = 0
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (pixel(alone, x, y).join() !== pixel(whole, x0 + x, y0 + y).join()) differ++
    t.equal(differ, 0, `panel ${k} (${p.kind})`)
  })
  const laid = areas(layout(panels, { columns: 2 }), { width: 2 * w, height: 2 * h })
  const alone = areas(panels[3], { width: w, height: h })[0]
  t.same(laid[3].rect, { ...alone.rect, x: alone.rect.x + w, y: alone.rect.y + h }, "a layout's areas are its panels' areas, moved to their cells")
})

t.test('layouts nest, and a layout title takes the top of the picture', async (t) => {
  const inner = layout(panels.slice(0, 2), { columns: 1 })
  const image = render(layout([inner, panels[2]], { title: 'outer' }), { width: 600, height: 500 })
  t.equal(areas(layout([inner, panels[2]], { title: 'outer' }), { width: 600, height: 500 }).length, 3)
  // The title is centred at scale 2: the first glyph's top-left ink pixel.
  const x = 300 - Math.floor(textWidth('outer', 2) / 2)
  const first = glyph('o').findIndex((row) => row.some(Boolean))
  const column = glyph('o')[first].indexOf(true)
  t.same(pixel(image, x + 2 * column, 6 + 2 * first).slice(0, 3), [34, 34, 34])
})

t.test('the default size is 480×360, a layout 420×330 a cell', async (t) => {
  t.same([render(panels[1]).width, render(panels[1]).height], [480, 360])
  const image = render(layout(panels, { columns: 2 }))
  t.same([image.width, image.height], [840, 660])
})

t.test('a 512×512 density map renders (its speed is measured in bench/viz.ts)', async (t) => {
  const big = density(energy.doubleWell({ dim: 2 }), { bounds: [[-2, 2], [-2, 2]], n: 128 })
  const image = render(big, { width: 512, height: 512 })
  t.equal(image.data.length, 512 * 512 * 4)
})
