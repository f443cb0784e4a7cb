/**
 * The fixed cost of one `sample` call (issue 18): ULA on the grid's MLP energy (bench/mlp-grid.ts), float32,
 * native backend, 1 thread. Each round times a call of 1 step and a call of 1 + n steps; a step costs their
 * difference over n, and the call's own cost is the 1-step call less one step. Medians over rounds.
 *
 *   npx tsx bench/sample-call.ts [--points 784x512x256,784x512x1024,64x512x256] [--rounds 7] [--n 4] [--seeded]
 *
 * The energy value is built once per point, as a training loop holds it; the first call (compiling and
 * loading the tapes, packing the weights) is reported apart. With --seeded the energy is the catalogue's
 * `energy.mlp({ widths: [D, H, H, 1], activation: 'silu', seed })`, whose weights are drawn from its seed
 * (the grid's are given as values).
 */
import { loadavg } from 'node:os'
import { energy, sampler } from '../src/index.js'
import { gridMlp, initOf, median } from './mlp-grid.js'

const flag = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback
}
const points = flag('points', '784x512x256,784x512x1024,64x512x256').split(',').map((p) => p.split('x').map(Number))
const rounds = Number(flag('rounds', '7'))
const n = Number(flag('n', '4'))
const seeded = process.argv.includes('--seeded')
const energyOf = (D: number, H: number) => (seeded ? energy.mlp({ widths: [D, H, H, 1], activation: 'silu', seed: 1 }) : gridMlp(D, H))

const seconds = async (run: () => Promise<unknown>): Promise<number> => {
  const started = performance.now()
  await run()
  return (performance.now() - started) / 1000
}

// Medians over rounds of a step's cost and of a call's own: each round times a call of 1 step and one of
// 1 + n steps.
const costs = async (call: (steps: number) => Promise<unknown>): Promise<{ step: number; call: number }> => {
  const steps: number[] = []
  const calls: number[] = []
  for (let r = 0; r < rounds; r++) {
    const one = await seconds(() => call(1))
    const step = ((await seconds(() => call(1 + n))) - one) / n
    steps.push(step)
    calls.push(one - step)
  }
  return { step: median(steps), call: median(calls) }
}

const ms = (s: number, digits = 1) => (1000 * s).toFixed(digits)

console.log(`sample-call${seeded ? ' (seeded MLP)' : ''}: ${rounds} rounds, 1 vs 1 + ${n} steps; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
console.log('| D→H, chains | first call ms | step ms | call ms (1-step call less a step) | runner: run ms (1-step run less a step) |')
console.log('| --- | ---: | ---: | ---: | ---: |')
for (const [D, H, C] of points) {
  const e = energyOf(D, H)
  const init = initOf(C, D)
  const ula = sampler.ula({ stepSize: 1e-3 })
  const options = { chains: C, init, backend: 'native', dtype: 'float32' } as const
  const first = await seconds(() => sampler.sample(e, ula, { ...options, steps: 1, seed: 1 }))
  const sampled = await costs((steps) => sampler.sample(e, ula, { ...options, steps, seed: 1 }))
  // A runner (training's path) keeps its chains and tapes between runs; each run goes on from the last.
  const r = sampler.runner(e, ula, options)
  let t = 0
  const ran = await costs((steps) => r.run({ seed: 1, from: t, to: (t += steps) }))
  console.log(`| ${D}→${H}, ${C} | ${ms(first, 0)} | ${ms(sampled.step)} | ${ms(sampled.call)} | ${ms(ran.call)} |`)
}
