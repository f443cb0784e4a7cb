/**
 * NUTS against plain HMC and MALA on the native loop (float64, one thread):
 *
 * - the tree's overhead: gradient evaluations per second of NUTS (its leapfrog steps) over plain HMC's
 *   (L leapfrog steps a step), on the same chains and energy: what the trees' bookkeeping, the packing of
 *   the chains still building and the rounds of uneven depth cost per gradient;
 * - bulk ESS per second (the minimum over coordinates, diagnostics.essBulk over the chains' draws) of NUTS,
 *   HMC with a fixed trajectory (untuned: L = 10) and MALA, step sizes by hand (no warmup yet).
 *
 * The machine is shared and noisy: every round runs each sampler once, in an order that rotates, and the
 * tables give the median over rounds of each rate and of each ratio taken within a round.
 *
 *   npx tsx bench/nuts.ts        (HEATBATH_BENCH_ROUNDS, default 5)
 */
import * as heatbath from '../src/index.js'

const { energy, sampler, diagnostics } = heatbath
const rounds = Number(process.env.HEATBATH_BENCH_ROUNDS ?? 5)

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

// P = R·diag(λ₀, λ₁)·Rᵀ in 2-D, and a diagonal one in 100-D with curvatures from 1 to 10.
const rotated = (l0: number, l1: number): number[][] => {
  const c = Math.cos(0.5), s = Math.sin(0.5)
  return [[c * c * l0 + s * s * l1, c * s * (l0 - l1)], [c * s * (l0 - l1), s * s * l0 + c * c * l1]]
}
const curvatures = Array.from({ length: 100 }, (_v, i) => 10 ** (i / 99))
const targets = [
  { name: 'Gaussian 2-D, κ = 100', energy: energy.gaussian({ mean: [1, -2], precision: rotated(0.5, 50) }), lambdaMax: 50, lambdaMin: 0.5 },
  { name: 'Gaussian 100-D, κ = 10', energy: energy.gaussian({ mean: curvatures.map(() => 0), precision: curvatures.map((l, i) => curvatures.map((_m, j) => (i === j ? l : 0))) }), lambdaMax: 10, lambdaMin: 1 },
]

interface Measured {
  readonly seconds: number
  readonly gradients: number
  readonly essPerSecond: number
  readonly acceptance: number
}

// Runs `steps` steps on `chains` chains from exact-ish starts, one run per step so as to keep every draw;
// times the runs only.
const measure = async (e: heatbath.energy.Energy, kernel: heatbath.sampler.Kernel, chains: number, steps: number, gradientsPerStep: (s: heatbath.sampler.RunStatistics) => number): Promise<Measured> => {
  const D = heatbath.ir.size(e.shape)
  const r = sampler.runner(e, kernel, { chains, backend: 'native', init: heatbath.rng.normals(1, 0, 0, chains * D).map((z) => 0.3 * z) })
  await r.run({ seed: 1, from: 0, to: 20 }) // burn-in, untimed
  const draws = Array.from({ length: D }, () => Array.from({ length: chains }, () => new Float64Array(steps)))
  let seconds = 0
  let gradients = 0
  let accepted = 0
  for (let t = 0; t < steps; t++) {
    const started = performance.now()
    const s = await r.run({ seed: 1, from: 20 + t, to: 21 + t })
    seconds += (performance.now() - started) / 1000
    gradients += gradientsPerStep(s)
    accepted += s.acceptanceRate ?? NaN
    for (let c = 0; c < chains; c++) for (let j = 0; j < D; j++) draws[j][c][t] = r.state.position[c * D + j]
  }
  const ess = Math.min(...draws.map((d) => diagnostics.essBulk(d)))
  return { seconds, gradients, essPerSecond: ess / seconds, acceptance: accepted / steps }
}

// The tree's overhead alone: many chains, one call of `steps` steps, gradients counted from the statistics.
const throughput = async (e: heatbath.energy.Energy, kernel: heatbath.sampler.Kernel, chains: number, steps: number, gradientsPerRun: (s: heatbath.sampler.RunStatistics) => number): Promise<number> => {
  const D = heatbath.ir.size(e.shape)
  const r = sampler.runner(e, kernel, { chains, backend: 'native', init: heatbath.rng.normals(1, 0, 0, chains * D).map((z) => 0.3 * z) })
  await r.run({ seed: 1, from: 0, to: 5 })
  const started = performance.now()
  const s = await r.run({ seed: 1, from: 5, to: 5 + steps })
  return gradientsPerRun(s) / ((performance.now() - started) / 1000)
}

for (const target of targets) {
  const h = 0.8 / Math.sqrt(target.lambdaMax)
  const L = 10
  for (const chains of [64, 4096]) {
    const steps = chains === 64 ? 200 : 10
    const ratios: number[] = []
    const nutsRates: number[] = []
    const hmcRates: number[] = []
    for (let round = 0; round < rounds; round++) {
      const runNuts = () => throughput(target.energy, sampler.nuts({ stepSize: h }), chains, steps, (s) => (s.trees?.meanLeapfrogSteps ?? NaN) * (s.trees?.transitions ?? NaN))
      const runHmc = () => throughput(target.energy, sampler.hmc({ stepSize: h, leapfrogSteps: L }), chains, steps, () => L * chains * steps)
      const [a, b] = round % 2 === 0 ? [await runNuts(), await runHmc()] : (([y, x]) => [x, y])([await runHmc(), await runNuts()])
      nutsRates.push(a)
      hmcRates.push(b)
      ratios.push(a / b)
    }
    console.log(`${target.name}, ${chains} chains: gradients/s NUTS ${(median(nutsRates) / 1e6).toFixed(2)} M, HMC (L = ${L}) ${(median(hmcRates) / 1e6).toFixed(2)} M, NUTS ÷ HMC ${median(ratios).toFixed(2)}`)
  }
}

for (const target of targets) {
  const h = 0.8 / Math.sqrt(target.lambdaMax)
  const chains = 64
  const steps = 400
  const L = 10
  const systems = {
    nuts: () => measure(target.energy, sampler.nuts({ stepSize: h }), chains, steps, (s) => (s.trees?.meanLeapfrogSteps ?? NaN) * (s.trees?.transitions ?? NaN)),
    hmc: () => measure(target.energy, sampler.hmc({ stepSize: h, leapfrogSteps: L }), chains, steps, () => L * chains),
    // MALA's step h is x − h∇E + √(2h)ξ: stable for h·λmax < 2; 0.5/λmax keeps most moves.
    mala: () => measure(target.energy, sampler.mala({ stepSize: 0.5 / target.lambdaMax }), chains, steps, () => chains),
  }
  const names = Object.keys(systems) as (keyof typeof systems)[]
  const results: Record<string, Measured[]> = { nuts: [], hmc: [], mala: [] }
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length]
      results[name].push(await systems[name]())
    }
  }
  const rate = (name: string) => median(results[name].map((m) => m.gradients / m.seconds))
  const ess = (name: string) => median(results[name].map((m) => m.essPerSecond))
  const ratio = (a: string, b: string, f: (m: Measured) => number) => median(results[a].map((m, i) => f(m) / f(results[b][i])))
  console.log(`\n${target.name}, ${chains} chains × ${steps} draws, h = ${h.toFixed(3)}, ${rounds} rounds (medians)`)
  console.log('| sampler | gradients/s | bulk ESS/s (min over coordinates) | acceptance | gradients/s ÷ HMC | ESS/s ÷ HMC | ESS/s ÷ MALA |')
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const name of names) {
    const acceptance = median(results[name].map((m) => m.acceptance))
    console.log(
      `| ${name} | ${(rate(name) / 1e6).toFixed(2)} M | ${ess(name).toFixed(0)} | ${acceptance.toFixed(3)} | ${ratio(name, 'hmc', (m) => m.gradients / m.seconds).toFixed(2)} | ${ratio(name, 'hmc', (m) => m.essPerSecond).toFixed(2)} | ${ratio(name, 'mala', (m) => m.essPerSecond).toFixed(2)} |`,
    )
  }
  const meanLeapfrogs = median(results.nuts.map((m) => m.gradients / (chains * steps)))
  console.log(`NUTS: ${meanLeapfrogs.toFixed(1)} leapfrog steps a transition`)
}
