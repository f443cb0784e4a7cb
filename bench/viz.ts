/**
 * How long a 512×512 density picture takes, in its three parts: evaluating the energy on the grid
 * (grid.tabulate with the reference executor, 512² cells), painting the panel (viz.render) and encoding it
 * (viz.png); and, for scale, the 2×2 demo layout (data, learned density with samples, two curves).
 * Each part runs once per round, the parts alternate within a round, and the table gives medians and
 * ranges over the rounds (9 by default, HEATBATH_BENCH_ROUNDS to change).
 *
 *   npx tsx bench/viz.ts
 */
import { energy, grid, viz } from '../src/index.js'

const rounds = Number(process.env.HEATBATH_BENCH_ROUNDS ?? 9)
const well = energy.doubleWell({ dim: 2 })
const bounds: [number, number][] = [[-2, 2], [-2, 2]]

const time = (f: () => unknown): number => {
  const t0 = performance.now()
  f()
  return performance.now() - t0
}

const points = Float64Array.from({ length: 2000 }, (_v, k) => (k % 2 === 0 ? Math.sign(Math.sin(k)) : 0) + 0.4 * Math.sin(k * 1.7))
const densityPanel = viz.density(well, { bounds, n: 512, temperature: 0.8, points })
const image = viz.render(densityPanel, { width: 512, height: 512 })
const records = Array.from({ length: 500 }, (_v, k) => ({ step: k, energyGap: Math.exp(-k / 100) * Math.sin(k / 5), kl: 1 / (1 + k / 50) }))
const demo = viz.layout([
  viz.scatter(points, { title: 'data', bounds }),
  densityPanel,
  viz.curves(records, { fields: ['energyGap'], title: 'energy gap' }),
  viz.curves(records, { fields: ['kl'], title: 'grid KL' }),
], { title: 'demo' })

const parts: [string, () => unknown][] = [
  ['grid.tabulate, 512² cells', () => grid.tabulate(well, { bounds, n: 512 })],
  ['viz.render, 512×512 density with 1000 points', () => viz.render(densityPanel, { width: 512, height: 512 })],
  ['viz.png of that image', () => viz.png(image)],
  ['viz.render + viz.png, the 840×690 demo layout', () => viz.png(viz.render(demo))],
]

const times = parts.map(() => [] as number[])
for (let r = 0; r < rounds; r++) parts.forEach(([, f], k) => times[k].push(time(f)))

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
console.log(`| part | median (ms) | range (ms) |\n| --- | ---: | ---: |`)
parts.forEach(([name], k) => console.log(`| ${name} | ${median(times[k]).toFixed(1)} | ${Math.min(...times[k]).toFixed(1)}–${Math.max(...times[k]).toFixed(1)} |`))
console.log(`(${rounds} rounds; PNG of the density: ${viz.png(image).length} bytes)`)
