/**
 * The cost of NUTS's trees under a dense mass matrix, this tree against another build (an older commit
 * built in a scratch directory), both loaded in one Node process: gradient evaluations per second (the
 * trees' leapfrog steps) and seconds per transition of NUTS with the target's covariance as its metric, on
 * correlated Gaussians of 10 and 100 dimensions (native, float64, one thread; and the reference in 10-D),
 * and under the identity metric as a control. Each round runs both trees on every workload in alternating order; the table gives
 * the medians over rounds of each rate and of the per-round ratio. Every run also checks that both trees
 * give the same bits.
 *
 *   git archive <commit> | tar -x -C /tmp/hb-old && ln -s $PWD/node_modules /tmp/hb-old/
 *   (cd /tmp/hb-old && npm run install)
 *   HEATBATH_AB_OTHER=/tmp/hb-old npx tsx bench/nuts-dense.ts      (HEATBATH_BENCH_ROUNDS, default 15)
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { loadavg } from 'node:os'
import * as ours from '../src/index.js'

type Heatbath = typeof ours
const other = process.env.HEATBATH_AB_OTHER
if (other === undefined) throw new Error('HEATBATH_AB_OTHER: the root of the other tree (built), e.g. /tmp/hb-old')
const theirs = (await import(pathToFileURL(join(other, 'src', 'index.ts')).href)) as Heatbath
const rounds = Number(process.env.HEATBATH_BENCH_ROUNDS ?? 15)

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

// Σ = S·R·S with R the AR(1) correlation ρ^|i−j| (ρ = 0.9) and scales S from 0.5 to 2; its precision
// S⁻¹·R⁻¹·S⁻¹, R⁻¹ tridiagonal in closed form (stored dense: the energy's gradient is one D² product).
const correlated = (D: number) => {
  const rho = 0.9
  const s = Array.from({ length: D }, (_v, i) => 0.5 * 4 ** (i / (D - 1)))
  const covariance = s.flatMap((si, i) => s.map((sj, j) => si * sj * rho ** Math.abs(i - j)))
  const rInverse = (i: number, j: number) => (i === j ? (i === 0 || i === D - 1 ? 1 : 1 + rho * rho) : Math.abs(i - j) === 1 ? -rho : 0) / (1 - rho * rho)
  const precision = s.map((si, i) => s.map((sj, j) => rInverse(i, j) / (si * sj)))
  return { precision, covariance }
}

const sameBits = (a: Float64Array, b: Float64Array) => Buffer.from(a.buffer).equals(Buffer.from(b.buffer))
const chains = 32
const workloads = [10, 100].flatMap((D) => {
  const { precision, covariance } = correlated(D)
  const mean = Array.from({ length: D }, (_v, i) => Math.sin(i))
  const init = ours.rng.normals(1, 0, 0, chains * D).map((z, k) => mean[k % D] + 0.5 * z)
  // Step sizes near what warmup picks for a whitened Gaussian of this size (acceptance ≈ 0.8).
  const stepSize = D === 10 ? 0.7 : 0.45
  const systems = [['dense', 'native'], ['identity', 'native'], ...(D === 10 ? [['dense', 'reference'] as const] : [])] as const
  return systems.map(([metric, backend]) => ({
    name: `${D}-D, ${metric} metric, ${backend}`,
    D,
    init,
    backend,
    steps: backend === 'reference' ? 150 : D === 10 ? 2000 : metric === 'dense' ? 200 : 40,
    // Under the identity the unwhitened target needs a step size for its smallest scale, and deep trees.
    kernel: (h: Heatbath) => h.sampler.nuts({ stepSize: metric === 'dense' ? stepSize : 0.3 * stepSize, maxTreeDepth: 10, ...(metric === 'dense' ? { metric: { kind: 'dense' as const, inverse: covariance } } : {}) }),
    energy: (h: Heatbath) => h.energy.gaussian({ mean, precision }),
  }))
})
type Workload = (typeof workloads)[number]

// Seconds per transition and leapfrog steps (gradient evaluations) per second of one run.
const rate = async (h: Heatbath, w: Workload) => {
  const started = performance.now()
  const cpu = process.cpuUsage()
  const r = await h.sampler.sample(w.energy(h), w.kernel(h), { chains, steps: w.steps, seed: 3, init: w.init, backend: w.backend, dtype: 'float64', threads: 1 })
  const seconds = (performance.now() - started) / 1000
  const used = process.cpuUsage(cpu)
  const gradients = (r.statistics.trees?.meanLeapfrogSteps ?? NaN) * chains * w.steps
  const trees = r.statistics.trees
  return { perTransition: seconds / (chains * w.steps), gradientsPerSecond: gradients / seconds, gradientsPerCpuSecond: gradients / ((used.user + used.system) / 1e6), depth: trees?.meanDepth ?? NaN, leapfrogs: trees?.meanLeapfrogSteps ?? NaN, positions: r.positions }
}

for (const w of workloads) {
  await rate(ours, { ...w, steps: Math.ceil(w.steps / 5) }) // warm-up: tapes, pages, the JIT
  await rate(theirs, { ...w, steps: Math.ceil(w.steps / 5) })
}
const results = new Map<string, { gradients: [number[], number[]]; perTransition: [number[], number[]]; ratio: number[]; cpuRatio: number[]; depth: number; leapfrogs: number }>()
for (let round = 0; round < rounds; round++) {
  for (const w of workloads) {
    const [a, b] = round % 2 === 0 ? [await rate(ours, w), await rate(theirs, w)] : (([y, x]) => [x, y])([await rate(theirs, w), await rate(ours, w)])
    if (!sameBits(a.positions, b.positions)) {
      console.log(`${w.name}: DIFFERENT positions in round ${round}`)
      process.exitCode = 1
    }
    const r = results.get(w.name) ?? { gradients: [[], []], perTransition: [[], []], ratio: [], cpuRatio: [], depth: a.depth, leapfrogs: a.leapfrogs }
    r.gradients[0].push(a.gradientsPerSecond)
    r.gradients[1].push(b.gradientsPerSecond)
    r.perTransition[0].push(a.perTransition)
    r.perTransition[1].push(b.perTransition)
    // Both trees take the same leapfrog steps (the same bits), so this is also the ratio of transitions per second; the CPU time of the process (its one thread) is the steadier measure when other tenants take turns on the cores.
    r.ratio.push(a.gradientsPerSecond / b.gradientsPerSecond)
    r.cpuRatio.push(a.gradientsPerCpuSecond / b.gradientsPerCpuSecond)
    results.set(w.name, r)
  }
}
console.log(`\n${rounds} rounds, ${chains} chains, float64, one thread; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
console.log('| workload | mean depth | leapfrogs a transition | this tree: gradients/s | µs a chain transition | other: gradients/s | µs a chain transition | this ÷ other, median of rounds (range) | by CPU time |')
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
for (const [name, r] of results) {
  const ratio = (x: number[]) => `${median(x).toFixed(3)} (${Math.min(...x).toFixed(2)}–${Math.max(...x).toFixed(2)})`
  const us = (x: number[]) => (1e6 * median(x)).toFixed(1)
  console.log(`| ${name} | ${r.depth.toFixed(2)} | ${r.leapfrogs.toFixed(1)} | ${median(r.gradients[0]).toFixed(0)} | ${us(r.perTransition[0])} | ${median(r.gradients[1]).toFixed(0)} | ${us(r.perTransition[1])} | ${ratio(r.ratio)} | ${ratio(r.cpuRatio)} |`)
}
