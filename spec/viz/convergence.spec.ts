import t from 'tap'
import { essBulk } from '../../src/diagnostics/ess.js'
import { rhat } from '../../src/diagnostics/rhat.js'
import { type Area, areas, bars, type BarsPanel, essChart, type Image, rhatChart } from '../../src/viz/index.js'
import { bad, good } from '../../src/viz/colour.js'
import { columnOf, picture, rgbAt, rowOf, same } from './pixels.js'

const size = { width: 360, height: 260 }

/** The rows a bar covers in the centre column of its slot: [top, bottom], and its colour. */
const bar = (image: Image, area: Area, k: number): { top: number; bottom: number; colour: number[] } => {
  const c = columnOf(area, k + 0.5)
  const coloured = (r: number) => same(rgbAt(image, c, r), good) || same(rgbAt(image, c, r), bad)
  const rows = Array.from({ length: area.rect.height }, (_v, i) => area.rect.y + i).filter(coloured)
  return { top: rows[0], bottom: rows[rows.length - 1], colour: rgbAt(image, c, rows[0]) }
}

const drawn = (panel: BarsPanel) => {
  const [area] = areas(panel, size)
  return { area, image: picture(panel, size) }
}

t.test('each bar runs from the baseline to its value, coloured by the side of the rule it ends on', async (t) => {
  const values = [3, 1, 2.25, 0.5]
  const { area, image } = drawn(bars(values, { rule: { y: 1.5, label: 'enough', bad: 'below' } }))
  values.forEach((v, k) => {
    const b = bar(image, area, k)
    t.equal(b.top, rowOf(area, v), `bar ${k} ends at the row of ${v}`)
    t.equal(b.bottom, rowOf(area, 0), `bar ${k} starts at the baseline`)
    t.same(b.colour, v < 1.5 ? bad : good, `bar ${k} ${v < 1.5 ? 'below' : 'above'} the rule`)
  })
})

// Four chains of 200 draws from a fixed deterministic recipe: an AR(1) walk driven by a Weyl sequence.
const chain = (offset: number, seed: number): number[] => {
  let x = 0
  return Array.from({ length: 200 }, (_v, k) => (x = 0.5 * x + (((k * 0.7548776662 + seed * 0.5698402910) % 1) - 0.5) * 2) + offset)
}
const mixed = [chain(0, 1), chain(0, 2), chain(0, 3), chain(0, 4)]
const apart = [chain(0, 1), chain(0, 2), chain(3, 3), chain(3, 4)]
// Each chain stuck at its own value.
const stuck = [1, 2, 3, 4].map((v) => Array<number>(200).fill(v))

t.test('the R-hat chart shows diagnostics.rhat of each coordinate from 1, with the 1.01 line; chains apart are flagged', async (t) => {
  const panel = rhatChart([mixed, apart])
  t.same(Array.from(panel.values), [rhat(mixed), rhat(apart)])
  t.equal(panel.baseline, 1)
  const { area, image } = drawn(panel)
  const [m, a] = [bar(image, area, 0), bar(image, area, 1)]
  t.same(a.colour, bad, `chains apart: R-hat ${rhat(apart)} > 1.01`)
  t.equal(a.top, rowOf(area, rhat(apart)))
  t.ok(m.bottom - m.top <= a.bottom - a.top, 'the mixed coordinate has the shorter bar')
})

t.test('a stuck coordinate (R-hat = ∞) runs off the top of the R-hat chart', async (t) => {
  const panel = rhatChart([mixed, stuck])
  t.equal(panel.values[1], Infinity)
  const { area, image } = drawn(panel)
  const s = bar(image, area, 1)
  t.equal(s.top, area.rect.y)
  t.same(s.colour, bad)
})

t.test('the ESS chart shows the bulk or tail ESS with the threshold of 100 per chain', async (t) => {
  const panel = essChart([mixed, apart])
  t.same(Array.from(panel.values), [essBulk(mixed), essBulk(apart)])
  t.same(panel.rule, { y: 400, label: '400', bad: 'below' })
  const { area, image } = drawn(panel)
  panel.values.forEach((v, k) => {
    t.same(bar(image, area, k).colour, v < 400 ? bad : good, `ESS ${v}`)
    t.equal(bar(image, area, k).top, rowOf(area, v))
  })
  t.equal(essChart([mixed], { kind: 'tail', threshold: 50 }).rule?.y, 50)
})
