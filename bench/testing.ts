/**
 * What a check of heatbath/testing costs: checkStationarity at its default sizes (500 chains, 10 steps,
 * 499 permutations on 250 chains) on a passing kernel (MALA) and a failing one (ULA at a step where its
 * bias shows), on the native loop and on the reference runner, and the energy distance's share. Rounds
 * alternate the workloads; the table gives medians over rounds, in milliseconds.
 *
 *   npx tsx bench/testing.ts      (HEATBATH_BENCH_ROUNDS, default 9)
 */
import { loadavg } from 'node:os'
import * as sampler from '../src/sampler/index.js'
import * as rng from '../src/rng/index.js'
import * as testing from '../src/testing/index.js'

const rounds = Number(process.env.HEATBATH_BENCH_ROUNDS ?? 9)
const T = 0.5
const target = testing.gaussianTarget({ mean: [1, -0.5], precision: [[2, 0.8], [0.8, 1.5]], temperature: T })
const x = rng.normals(1, 0, 0, 500)
const shifted = rng.normals(1, 1, 0, 500).map((v) => v + 0.5)

const workloads: Record<string, () => Promise<unknown>> = {
  'checkStationarity, MALA (passes), native': () => testing.checkStationarity(target, sampler.mala({ stepSize: 0.3, temperature: T }), { seed: 1, backend: 'native' }),
  'checkStationarity, MALA (passes), reference': () => testing.checkStationarity(target, sampler.mala({ stepSize: 0.3, temperature: T }), { seed: 1, backend: 'reference' }),
  'checkStationarity, ULA h = 0.5 (fails), native': () => testing.checkStationarity(target, sampler.ula({ stepSize: 0.5, temperature: T }), { seed: 1, backend: 'native' }),
  'energy distance, 250 + 250 in 2-D, equal laws (stops early)': async () => testing.energyDistance(x, rng.normals(1, 2, 0, 500), 2, { permutations: 499, seed: 1 }),
  'energy distance, 250 + 250 in 2-D, shifted (all 499)': async () => testing.energyDistance(x, shifted, 2, { permutations: 499, seed: 1 }),
}

const times: Record<string, number[]> = Object.fromEntries(Object.keys(workloads).map((k) => [k, []]))
for (const w of Object.values(workloads)) await w() // warm up: compile tapes, load the addon
for (let r = 0; r < rounds; r++) {
  const names = Object.keys(workloads)
  for (const name of r % 2 === 0 ? names : names.reverse()) {
    const start = performance.now()
    await workloads[name]()
    times[name].push(performance.now() - start)
  }
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]
console.log(`load average ${loadavg()[0].toFixed(1)}, ${rounds} rounds`)
for (const [name, v] of Object.entries(times)) console.log(`${median(v).toFixed(1).padStart(8)} ms  ${name}`)
