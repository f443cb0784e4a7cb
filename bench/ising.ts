/**
 * Spin flips per second on the 2-D Ising model at L = 64 and T_c: heatbath's checkerboard heat bath and
 * Wolff clusters (native, 1 and 2 threads; the heat bath on the reference runner too, smaller) against a
 * plain C loop (bench/peers/ising.c, compiled here with gcc -O2) as the machine's reference.
 *
 *   npx tsx bench/ising.ts        (HEATBATH_BENCH_ROUNDS, default 7)
 *
 * A heat-bath sweep updates every spin (N = 4,096 updates a sweep); a Wolff step flips one cluster, whose
 * mean size at T_c is measured first (ising.measure), so its rate is spins flipped per second. Each round
 * runs every system once, in alternating order; the table gives medians over rounds and the median of the
 * per-round ratio to C.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ising, sampler } from '../src/index.js'

const rounds = Number(process.env.HEATBATH_BENCH_ROUNDS ?? 7)
const L = 64
const N = L * L
const T = ising.criticalTemperature
const lattices = 256

const here = dirname(fileURLToPath(import.meta.url))
const binary = join(mkdtempSync(join(tmpdir(), 'heatbath-ising-')), 'ising')
execFileSync('gcc', ['-O2', '-o', binary, join(here, 'peers', 'ising.c'), '-lm'])
const peer = (rule: 'heatbath' | 'wolff', steps: number): number => {
  const out = JSON.parse(execFileSync(binary, [rule, String(L), String(T), String(lattices), String(steps)]).toString()) as { seconds: number; flips: number }
  return out.flips / out.seconds
}

const e = ising.lattice({ size: L })
const heatBath = sampler.heatBath({ temperature: T, order: 'checkerboard' })
const wolff = sampler.wolff({ temperature: T })
const clusterSize = (await ising.measure(e, wolff, { chains: lattices, sweeps: 100, burnIn: 100, temperature: T, seed: 7, threads: 2 })).flipsPerStep

// Spins flipped (or updated) per second of a runner's steps, the runner built before timing.
const ours = async (kernel: sampler.Kernel, backend: 'native' | 'reference', threads: number, steps: number, perStep: number, chains = lattices): Promise<number> => {
  const r = sampler.runner(e, kernel, { chains, backend, threads })
  await r.run({ seed: 1, from: 0, to: 1 })
  const started = performance.now()
  await r.run({ seed: 1, from: 1, to: 1 + steps })
  return (chains * steps * perStep) / ((performance.now() - started) / 1000)
}

const systems: Record<string, () => Promise<number> | number> = {
  'C, heat bath': () => peer('heatbath', 100),
  'heatbath native, heat bath, 1 thread': () => ours(heatBath, 'native', 1, 30, N),
  'heatbath native, heat bath, 2 threads': () => ours(heatBath, 'native', 2, 30, N),
  'heatbath reference, heat bath': () => ours(heatBath, 'reference', 1, 4, N, 2),
  'C, Wolff': () => peer('wolff', 50),
  'heatbath native, Wolff, 1 thread': () => ours(wolff, 'native', 1, 20, clusterSize),
  'heatbath native, Wolff, 2 threads': () => ours(wolff, 'native', 2, 20, clusterSize),
}
const names = Object.keys(systems)
const rates = new Map(names.map((n) => [n, [] as number[]]))
const ratios = new Map(names.map((n) => [n, [] as number[]]))
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? names : [...names].reverse()
  const got: Record<string, number> = {}
  for (const name of order) got[name] = await systems[name]()
  for (const name of names) {
    rates.get(name)?.push(got[name])
    ratios.get(name)?.push(got[name] / got[name.includes('Wolff') ? 'C, Wolff' : 'C, heat bath'])
  }
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
console.log(`L = ${L}, T = ${T.toFixed(4)}, ${lattices} lattices; mean Wolff cluster ${clusterSize.toFixed(0)} spins; ${rounds} rounds; load average ${loadavg()[0].toFixed(1)}`)
console.log('| system | spin flips/s, median (range) | ÷ C, median of rounds |')
console.log('| --- | ---: | ---: |')
for (const name of names) {
  const r = rates.get(name) ?? []
  const m = (v: number) => `${(v / 1e6).toFixed(1)} M`
  console.log(`| ${name} | ${m(median(r))} (${m(Math.min(...r))}–${m(Math.max(...r))}) | ${median(ratios.get(name) ?? []).toFixed(2)} |`)
}
