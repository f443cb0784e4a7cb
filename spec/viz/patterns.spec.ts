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
