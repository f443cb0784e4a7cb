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

t.test('render, areas, pixel and png refuse bad input with errors that name it', async (t) => {
  t.throws(() => render(small, { width: 0, height: 100 }), { name: 'RangeError', message: 'viz.render: size.width: expected an integer in [1, 8192], got 0' })
  t.throws(() => render(small, { width: 100, height: 1.5 }), { message: 'viz.render: size.height: expected an integer in [1, 8192], got 1.5' })
  t.throws(() => render(small, { width: 100000, height: 100 }), { message: 'viz.render: size.width: expected an integer in [1, 8192], got 100000' })
  t.throws(() => render(small, { depth: 3 } as never), { message: "viz.render: size: unknown option 'depth' (options: width, height)" })
  t.throws(() => render({ kind: 'pie' } as never), { name: 'TypeError', message: /viz.render: panel: expected a panel \(built by viz.density, viz.trace, viz.layout, …; kind heatmap, lines, bars, patterns, layout\), got an object with keys kind/ })
  t.throws(() => render(null as never), { name: 'TypeError', message: /viz.render: panel: expected a panel/ })
  t.throws(() => render(small, { width: 60, height: 40 }), { name: 'RangeError', message: /^viz.render: a heatmap panel of 60×40 pixels: expected room for a plot of at least 16×16 pixels inside its title, axes and labels/ })
  t.throws(() => areas(trace([[1, 2]]), { width: 30, height: 200 }), { message: /^viz.render: a lines panel of 30×200 pixels/ })
  t.throws(() => layout([small, { kind: 'pie' } as never]), { name: 'TypeError', message: /viz.layout: panels\[1\]: expected a panel/ })
  t.throws(() => layout([]), { message: 'viz.layout: panels: expected a non-empty array of panels, got an array of length 0' })
  t.throws(() => layout([small], { columns: 0 }), { message: 'viz.layout: columns: expected an integer ≥ 1, got 0' })
  const image = render(panels[1], { width: 100, height: 100 })
  t.throws(() => pixel(image, 100, 0), { message: 'viz.pixel: x: expected an integer in [0, 99], got 100' })
  t.throws(() => pixel({} as never, 0, 0), { name: 'TypeError', message: 'viz.pixel: image: expected an image (from viz.render), got an object with keys (none)' })
  t.throws(() => png({ width: 2, height: 2, data: new Uint8Array(15) }), { message: 'viz.png: image.data: expected 2·2·4 = 16 bytes, got a Uint8Array of length 15' })
  t.throws(() => png({ width: 0, height: 2, data: new Uint8Array(0) }), { message: 'viz.png: image.width: expected an integer in [1, 8192], got 0' })
  t.throws(() => png('picture' as never), { name: 'TypeError' })
})
