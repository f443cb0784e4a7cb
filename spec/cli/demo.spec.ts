/**
 * `heatbath demo` in a reduced budget trains, reports its progress as JSON lines when its output is not a
 * terminal, and writes a picture whose learned density, decoded from the PNG, is bright at the eight
 * centres of 8gaussians and dark at the origin. Without the addon it says so and trains a smaller model.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import t from 'tap'
import { nativeAddon } from '../../src/backend/index.js'
import { bounds, demoFigure, figureSize } from '../../src/cli/commands/demo.js'
import { eightGaussiansCentres, eightGaussiansLaw, toyDensity } from '../../src/data/index.js'
import { grid, viz } from '../../src/index.js'
import { columnOf, rowOf } from '../viz/pixels.js'
import { heatbath, inProcess, jsonLines } from './run.js'

const native = nativeAddon().addon !== undefined
const centres = eightGaussiansCentres.map(([x, y]) => [eightGaussiansLaw.radius * x, eightGaussiansLaw.radius * y])

/** Where the learned density lands in the picture: the layout's second plot (no colour bar, so its place does not depend on the values). */
const densityArea = (): viz.Area => {
  const like = grid.tabulate(toyDensity('8gaussians'), { bounds, n: 20 })
  const figure = demoFigure({ data: new Float64Array(2 * 5000), model: like, samples: new Float64Array(0), gaps: [{ step: 1, energyGap: 0 }], kls: [{ step: 0, kl: 1 }] })
  return viz.areas(figure, figureSize)[1]
}

/** The median green of the 5 × 5 pixels around a point: viridis's green rises from 1 to 231 along the map, and a median ignores the few sample dots drawn over it. */
const greenAround = (image: PNG, area: viz.Area, [x, y]: readonly number[]): number => {
  const [c, r] = [columnOf(area, x), rowOf(area, y)]
  const greens: number[] = []
  for (let dr = -2; dr <= 2; dr++) for (let dc = -2; dc <= 2; dc++) greens.push(image.data[((r + dr) * image.width + c + dc) * 4 + 1])
  return greens.sort((a, b) => a - b)[12]
}

t.test('demo --steps 1000 learns the eight modes: its picture is bright at the centres and dark at the origin', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-demo-'))
  const ran = await heatbath(['demo', '--steps', '1000', '--out', 'demo.png'], { cwd: dir })
  t.equal(ran.status, 0, ran.stderr)
  const lines = jsonLines(ran.stdout)
  const progress = lines.filter((l) => l.event === 'progress')
  t.same(progress.map((l) => l.step), [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000], 'a progress line every 100 steps (stdout is not a terminal)')
  t.ok(progress.every((l) => typeof l.loss === 'number' && typeof l.energyGap === 'number' && typeof l.kl === 'number'), 'each with the loss, energy gap and KL')
  const done = lines[lines.length - 1]
  t.same([done.event, done.steps, done.backend], ['done', 1000, native ? 'native' : 'reference'])
  t.same(readdirSync(dir), ['demo.png'], 'the picture, and no temporary file')
  if (!native) {
    t.match(ran.stderr, /the native addon is not available/, 'the fallback says so')
    t.comment('the eight modes are not checked: the reference fallback learns the ring of the data, not yet its modes')
    return
  }
  // A shorter run is the start of the full one: at 1000 steps the recipe is well below a KL of 0.1.
  t.ok((done.kl as number) < 0.1, `KL(data ‖ model) = ${done.kl as number}`)
  const image = PNG.sync.read(readFileSync(join(dir, 'demo.png')))
  t.same([image.width, image.height], [figureSize.width, figureSize.height])
  const area = densityArea()
  const origin = greenAround(image, area, [0, 0])
  t.ok(origin < 40, `dark at the origin (green ${origin})`)
  for (const c of centres) {
    const g = greenAround(image, area, c)
    t.ok(g > 120, `bright at (${c.map((v) => v.toFixed(2)).join(', ')}) (green ${g})`)
  }
})

t.test('on the reference executor the demo says so, trains a smaller model and still draws its picture', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-demo-'))
  const ran = await inProcess(['demo', '--backend', 'reference', '--steps', '20', '--out', 'small.png'], { cwd: dir })
  t.equal(ran.status, 0, ran.stderr)
  t.equal(ran.stderr, 'heatbath demo: the reference executor was asked for: training a smaller model (MLP 2→32→32→1, batch 128, 20 steps) in TypeScript; it learns the ring of the data but not its eight modes. Build the addon (npm run install) for the full demo.\n')
  const done = jsonLines(ran.stdout).pop()!
  t.same([done.steps, done.backend, done.out], [20, 'reference', 'small.png'])
  t.same(readdirSync(dir), ['small.png'])
})

t.test('on a terminal: a progress bar, then a summary for people', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-demo-'))
  const ran = await inProcess(['demo', '--backend', 'reference', '--steps', '10'], { cwd: dir, tty: true })
  t.equal(ran.status, 0, ran.stderr)
  t.match(ran.stdout, /10\/10 steps \| loss -?\d+\.\d{3} \| energy gap -?\d+\.\d{3} \| KL \d+\.\d{3}/, 'the bar at its last step')
  t.match(ran.stdout, /\nKL\(data ‖ model\) on the grid: \d\.\d{3} \(a flat density: 1\.33; the data's own: 0\)\n10 steps in [\d.]+ s of training/)
  t.match(ran.stdout, /wrote demo\.png/)
})
