import t from 'tap'
import { areas, patterns } from '../../src/viz/index.js'
import { picture, rgbAt, same } from './pixels.js'

// Three 4×3 patterns (4 cells per row, 3 rows), as spins and as bits.
const spins = [
  [1, -1, -1, 1, -1, 1, 1, -1, 1, 1, -1, -1],
  [-1, -1, 1, 1, 1, 1, -1, -1, -1, 1, -1, 1],
  [1, 1, 1, 1, -1, -1, -1, -1, 1, -1, 1, -1],
]

t.test("every pixel of every tile is its cell's bit: +1 white, −1 black", async (t) => {
  const panel = patterns(spins, { width: 4, columns: 2, title: 'memories' })
  const size = { width: 250, height: 200 }
  const tiles = areas(panel, size)
  const image = picture(panel, size)
  t.equal(tiles.length, 3)
  tiles.forEach((tile, k) => {
    const cell = tile.rect.width / 4
    t.equal(cell, tile.rect.height / 3, 'square cells')
    t.ok(Number.isInteger(cell) && cell >= 1, `cells of ${cell} whole pixels`)
    let wrong = 0
    for (let r = 0; r < tile.rect.height; r++) {
      for (let c = 0; c < tile.rect.width; c++) {
        const bit = spins[k][Math.floor(r / cell) * 4 + Math.floor(c / cell)]
        if (!same(rgbAt(image, tile.rect.x + c, tile.rect.y + r), bit === 1 ? [255, 255, 255] : [0, 0, 0])) wrong++
      }
    }
    t.equal(wrong, 0, `tile ${k}: ${tile.rect.width}×${tile.rect.height} pixels`)
  })
  t.ok(tiles[1].rect.x > tiles[0].rect.x && tiles[1].rect.y === tiles[0].rect.y, 'tiles fill a row first')
  t.ok(tiles[2].rect.y > tiles[0].rect.y && tiles[2].rect.x === tiles[0].rect.x, 'then the next row')
})

t.test('bits 0/1 draw as spins −1/+1 do', async (t) => {
  const bits = spins.map((p) => p.map((s) => (s + 1) / 2))
  const size = { width: 200, height: 150 }
  t.same(picture(patterns(bits, { width: 4 }), size).data, picture(patterns(spins, { width: 4 }), size).data)
})

t.test('square patterns need no width', async (t) => {
  const panel = patterns([[1, 0, 0, 1, 0, 1, 1, 0, 1]])
  t.same([panel.width, panel.height, panel.columns], [3, 3, 1])
})

t.test('pattern grids refuse bad input with errors that name it', async (t) => {
  t.throws(() => patterns([[1, 0, 2, 1]]), { name: 'RangeError', message: 'viz.patterns: patterns[0][2]: expected a bit: 0 or 1, or a spin: −1 or +1, got 2' })
  t.throws(() => patterns([[1, 0, NaN, 1]]), { message: 'viz.patterns: patterns[0][2]: expected a finite number, got NaN' })
  t.throws(() => patterns([[1, 0, 0, 1], [1, 0]]), { message: 'viz.patterns: patterns[1]: expected 4 cells, as patterns[0], got an array of length 2' })
  t.throws(() => patterns([[1, 0, 0]]), { message: "viz.patterns: width: expected a pattern's width in cells (its length 3 is not a square), got undefined" })
  t.throws(() => patterns([[1, 0, 0, 1, 1, 1]], { width: 4 }), { message: "viz.patterns: width: expected a width that divides the patterns' length 6, got 4" })
  t.throws(() => patterns([]), { name: 'TypeError', message: 'viz.patterns: patterns: expected a non-empty array of patterns, got an array of length 0' })
  t.throws(() => patterns([[]]), { message: 'viz.patterns: patterns[0]: expected at least one cell, got an array of length 0' })
  t.throws(() => areas(patterns([Array(900).fill(1)]), { width: 40, height: 40 }), { name: 'RangeError', message: /viz.render: a patterns panel of 40×40 pixels: expected room for 1×1 tiles of 30×30 cells of at least a pixel each/ })
})
