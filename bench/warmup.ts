/**
 * What warmup buys: bulk ESS per second (the minimum over coordinates) of HMC tuned by `sampler.warmup`
 * with a dense mass matrix (with 4 leapfrog steps, and with ChEES's trajectory length, at most 64 steps),
 * of NUTS tuned by warmup (dense mass matrix, and step size only), against HMC with only its step size
 * tuned (identity mass matrix), untuned HMC
 * (h = 0.1, the guess a user might start from) and MALA with its step size tuned, on Gaussians of
 * condition number 1, 100 and 10⁴ (2-D, rotated) and a 100-D one (κ = 100, rotated), at T = 0.5.
 *
 *   npx tsx bench/warmup.ts        (HEATBATH_BENCH_ROUNDS, default 5)
 *
 * HEATBATH_BENCH_TARGETS and HEATBATH_BENCH_SYSTEMS keep only the targets and systems whose names contain
 * them (e.g. '100-D' and 'dense mass matrix': the 100-D target, dense HMC against dense NUTS); the ratio's
 * base, dense-adapted HMC, is always kept.
 *
 * Each system warms up once per target (its warmup time is reported apart); then every round samples each
 * system in turn, in an order that alternates between rounds, and the table gives medians over rounds of
 * ESS/s and of each system's ratio to dense-adapted HMC within the same round. Draws: 64 chains × 500
 * steps after warmup, every step kept.
 */
import { loadavg } from 'node:os'
import { essBulk } from '../src/diagnostics/index.js'
import * as energy from '../src/energy/index.js'
import * as sampler from '../src/sampler/index.js'
import { integratorOf } from '../src/sampler/adapt/tune.js'

const rounds = Number(process.env.HEATBATH_BENCH_ROUNDS ?? 5)
const T = 0.5
const chains = 64
const steps = 500

// precision eigenvalues from 1 to κ, rotated by the Householder reflection of v = (1, 2, …, D)
const rotated = (D: number, kappa: number): energy.Energy => {
  const lambda = Array.from({ length: D }, (_, k) => Math.pow(kappa, D === 1 ? 0 : k / (D - 1)))
  const v = Array.from({ length: D }, (_, i) => i + 1)
  const vv = v.reduce((s, x) => s + x * x, 0)
  const R = v.map((vi, i) => v.map((vj, j) => (i === j ? 1 : 0) - (2 * vi * vj) / vv))
  return energy.gaussian({ mean: new Array(D).fill(0.5), precision: R.map((ri) => R.map((rj) => ri.reduce((s, rik, k) => s + rik * lambda[k] * rj[k], 0))) })
}

const only = (name: string, filter: string | undefined) => filter === undefined || name.includes(filter)
const targets = Object.entries({ 'κ = 1, 2-D': () => rotated(2, 1), 'κ = 100, 2-D': () => rotated(2, 100), 'κ = 10⁴, 2-D': () => rotated(2, 1e4), 'κ = 100, 100-D': () => rotated(100, 100) }).filter(([n]) => only(n, process.env.HEATBATH_BENCH_TARGETS))
const hmc = sampler.hmc({ stepSize: 0.1, leapfrogSteps: 4, temperature: T })
const mala = sampler.mala({ stepSize: 0.1, temperature: T })
const nuts = sampler.nuts({ stepSize: 0.1, temperature: T })

interface System {
  readonly kernel: sampler.Kernel
  readonly init: Float64Array | undefined
  readonly gradients: number
  readonly warmupSeconds: number
}

// Warmup once; a gradient evaluation per leapfrog step (MALA: one per step; NUTS: counted from its trees).
const tune = async (e: energy.Energy, kernel: sampler.Kernel, massMatrix: 'identity' | 'dense', trajectory?: 'chees'): Promise<System> => {
  const started = performance.now()
  const w = await sampler.warmup(e, kernel, { chains, steps: 500, seed: 1, massMatrix, ...(trajectory === undefined ? {} : { trajectory, maxLeapfrogSteps: 64 }) })
  return { kernel: w.kernel, init: w.positions, gradients: Math.max(1, integratorOf(w.kernel).leapfrogSteps), warmupSeconds: (performance.now() - started) / 1000 }
}

// Dense-adapted HMC first: the base of every ratio.
const systems = async (e: energy.Energy): Promise<Record<string, System>> => {
  const all: [string, () => Promise<System>][] = [
    ['HMC, dense mass matrix', () => tune(e, hmc, 'dense')],
    ['HMC, dense + ChEES', () => tune(e, hmc, 'dense', 'chees')],
    ['NUTS, dense mass matrix', () => tune(e, nuts, 'dense')],
    ['NUTS, step size only', () => tune(e, nuts, 'identity')],
    ['HMC, step size only', () => tune(e, hmc, 'identity')],
    ['HMC untuned (h = 0.1)', async () => ({ kernel: hmc, init: undefined, gradients: 4, warmupSeconds: 0 })],
    ['MALA, step size tuned', () => tune(e, mala, 'identity')],
  ]
  const out: Record<string, System> = {}
  for (const [n, system] of all) if (n === all[0][0] || only(n, process.env.HEATBATH_BENCH_SYSTEMS)) out[n] = await system()
  return out
}

// Bulk ESS (minimum over coordinates) per second of sampling, and per gradient evaluation.
const measure = async (e: energy.Energy, s: System, seed: number) => {
  const r = sampler.runner(e, s.kernel, { chains, ...(s.init === undefined ? {} : { init: s.init }) })
  const D = r.state.dimension
  const draws = Array.from({ length: D }, () => Array.from({ length: chains }, () => new Float64Array(steps)))
  let leapfrogs = 0
  const started = performance.now()
  for (let t = 0; t < steps; t++) {
    const stats = await r.run({ seed, from: t, to: t + 1 })
    if (stats.trees !== undefined) leapfrogs += stats.trees.meanLeapfrogSteps * stats.trees.transitions
    for (let c = 0; c < chains; c++) for (let j = 0; j < D; j++) draws[j][c][t] = r.state.position[c * D + j]
  }
  const seconds = (performance.now() - started) / 1000
  const ess = Math.min(...draws.map((d) => essBulk(d)))
  const finite = Number.isFinite(ess) ? ess : 0
  return { perSecond: finite / seconds, perGradient: finite / (leapfrogs > 0 ? leapfrogs : chains * steps * s.gradients) }
}

const median = (a: readonly number[]): number => {
  const s = [...a].sort((x, y) => x - y)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2])
}

console.log(`bench/warmup.ts: ${rounds} rounds, ${chains} chains × ${steps} steps, load average ${loadavg()[0].toFixed(1)}`)
console.log('| target | system | warmup s | bulk ESS/s | ESS per gradient | ÷ dense-adapted HMC |')
console.log('| --- | --- | ---: | ---: | ---: | ---: |')
for (const [name, target] of targets) {
  const e = target()
  const all = await systems(e)
  const names = Object.keys(all)
  const perSecond = new Map(names.map((n) => [n, [] as number[]]))
  const perGradient = new Map(names.map((n) => [n, [] as number[]]))
  const ratios = new Map(names.map((n) => [n, [] as number[]]))
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse()
    const got = new Map<string, number>()
    for (const n of order) {
      const m = await measure(e, all[n], 100 + round)
      got.set(n, m.perSecond)
      perSecond.get(n)?.push(m.perSecond)
      perGradient.get(n)?.push(m.perGradient)
    }
    for (const n of names) ratios.get(n)?.push((got.get(n) ?? 0) / (got.get(names[0]) ?? NaN))
  }
  for (const n of names) {
    const s = all[n]
    console.log(`| ${name} | ${n} | ${s.warmupSeconds.toFixed(2)} | ${median(perSecond.get(n) ?? []).toFixed(0)} | ${median(perGradient.get(n) ?? []).toFixed(4)} | ${median(ratios.get(n) ?? []).toFixed(3)} |`)
  }
}
