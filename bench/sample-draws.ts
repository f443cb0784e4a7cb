/**
 * What keeping every draw costs on the native backend: `sample(…, { keep: 'draws', thin: 1 })` against
 * `keep: 'final'`, with the snapshots recorded by the native loop many to a call (the default) and one call
 * per snapshot (`snapshotsPerCall: 1`, the path before recording). Each round times the three in turn, in
 * the same process; times and ratios to keep: 'final' are medians over rounds.
 *
 *   npx tsx bench/sample-draws.ts [--rounds 7]
 *
 * Points: 1000 chains of a 2-D double well, MALA (float64, 1000 steps), where a step costs less than a
 * worker round trip; and 256 chains of the 64→256→256→1 SiLU MLP of the products grid, MALA (float32,
 * 200 steps), where it costs more.
 */
import { loadavg } from 'node:os'
import { energy, sampler } from '../src/index.js'
import { gridMlp, initOf, median } from './mlp-grid.js'

const flag = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback
}
const rounds = Number(flag('rounds', '7'))

const milliseconds = async (run: () => Promise<unknown>): Promise<number> => {
  const started = performance.now()
  await run()
  return performance.now() - started
}

interface Point {
  readonly name: string
  readonly energy: energy.Energy
  readonly kernel: sampler.Kernel
  readonly options: sampler.SampleOptions
}

const points: Point[] = [
  {
    name: '2-D double well, 1000 chains, MALA, 1000 steps, float64',
    energy: energy.doubleWell({ dim: 2 }),
    kernel: sampler.mala({ stepSize: 0.1 }),
    options: { chains: 1000, steps: 1000, seed: 1, backend: 'native' },
  },
  {
    name: '64→256 MLP, 256 chains, MALA, 200 steps, float32',
    energy: gridMlp(64, 256),
    kernel: sampler.mala({ stepSize: 1e-3 }),
    options: { chains: 256, steps: 200, seed: 1, backend: 'native', dtype: 'float32', init: initOf(256, 64) },
  },
]

const variants = {
  final: (p: Point) => sampler.sample(p.energy, p.kernel, p.options),
  draws: (p: Point) => sampler.sample(p.energy, p.kernel, { ...p.options, keep: 'draws', thin: 1 }),
  'draws, a call per snapshot': (p: Point) => sampler.execute(sampler.checkRun(p.energy, p.kernel, { ...p.options, keep: 'draws', thin: 1 }), { snapshotsPerCall: 1 }),
} as const
type Variant = keyof typeof variants
const names = Object.keys(variants) as Variant[]

console.log(`sample-draws: ${rounds} rounds; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
console.log(`| point | ${names.map((n) => `${n} ms`).join(' | ')} | draws ÷ final | a call per snapshot ÷ final |`)
console.log(`| --- | ${names.map(() => '---:').join(' | ')} | ---: | ---: |`)
for (const p of points) {
  await variants.final(p) // compiles and loads the tapes
  const times = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<Variant, number[]>
  for (let r = 0; r < rounds; r++) {
    // Alternate the order between rounds, so that no variant always follows the same one.
    for (const n of r % 2 === 0 ? names : [...names].reverse()) times[n].push(await milliseconds(() => variants[n](p)))
  }
  const ratio = (n: Variant) => median(times[n].map((t, r) => t / times.final[r])).toFixed(2)
  console.log(`| ${p.name} | ${names.map((n) => median(times[n]).toFixed(1)).join(' | ')} | ${ratio('draws')} | ${ratio('draws, a call per snapshot')} |`)
}
