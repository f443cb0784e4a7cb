/**
 * Short-run training against PCD, each model probed with long-run chains (train.longRunProbe).
 *
 * Short-run training (Nijkamp et al. 2019) starts fresh chains from noise every step and runs them K steps:
 * the model learns to make those K steps land on the data, which it can do without being a good density.
 * Its short-run chains then look like the data, but the model's own distribution exp(−E)/Z, which long
 * chains reach, need not: it may hold much of its mass in a few deep wells that K steps from noise rarely
 * reach, so the training never pushed them up. PCD's chains persist across steps and go where the model's
 * mass is, so the training sees those wells and raises them.
 *
 * Both models are the same MLP trained on 8gaussians with the same optimizer and the same sampler (ULA, h =
 * 0.02); short-run with K = 5 steps from uniform noise, PCD with K = 20 steps on a buffer of 10,000 chains.
 * For each model the table gives every mode's share of: the training's own chains (10,000 fresh short-run
 * chains; PCD's buffer), the model's density on a grid (exact), and the long-run chains (MALA, 10,000 steps,
 * from noise). The data put 12.5% in each mode. Then what the probe reports about energies.
 *
 * Run: npm run example examples/short-run-ravines.ts
 */
import { data, energy, grid, rng, sampler, train } from '../src/index.js'

const quick = process.env.HEATBATH_EXAMPLE_QUICK === '1'
const trainSteps = quick ? 300 : 1500
const [probeSteps, probeChains] = quick ? [1000, 100] : [10000, 500]

const x = data.toy('8gaussians', 4000, 1)
const ring = data.eightGaussiansCentres.map(([x, y]) => [data.eightGaussiansLaw.radius * x, data.eightGaussiansLaw.radius * y])
const spec = { bounds: [[-4.5, 4.5], [-4.5, 4.5]] as [number, number][], n: 90 }
const target = grid.tabulate(data.toyDensity('8gaussians'), spec)
const noise = { kind: 'uniform', low: -4.5, high: 4.5 } as const
const ula = sampler.ula({ stepSize: 0.02 })

/** The mode within distance 1 of a point (0 … 7, counterclockwise from (2.83, 0)), else 8: between modes. */
const modeOf = (p: readonly number[]): number => {
  const k = ring.findIndex((m) => Math.hypot(p[0] - m[0], p[1] - m[1]) < 1)
  return k < 0 ? 8 : k
}
const shares = (points: Float64Array): number[] => {
  const counts = new Array<number>(9).fill(0)
  for (let i = 0; i < points.length / 2; i++) counts[modeOf([points[2 * i], points[2 * i + 1]])]++
  return counts.map((c) => c / (points.length / 2))
}
const percent = (v: readonly number[]) => v.map((a) => `${(100 * a).toFixed(0)}%`.padStart(5)).join('')
const mean = (v: Float64Array) => v.reduce((s, a) => s + a, 0) / v.length

const K = 5
const methods: [string, train.Negatives][] = [
  [`short-run K = ${K}`, train.shortRun({ kernel: ula, steps: K, init: noise })],
  ['PCD K = 20', train.persistent({ kernel: ula, steps: 20, init: noise, bufferSize: 10000 })],
]
console.log(`8gaussians, MLP 2-32-32-1 (SiLU), Adam (lr 0.01 → 0.001, cosine), batch 128, ${trainSteps} steps; ULA h = 0.02; long-run probe: ${probeChains} + ${probeChains} MALA chains of ${probeSteps} steps (h = 0.01)`)
for (const [name, negatives] of methods) {
  const e = energy.mlp({ widths: [2, 32, 32, 1], activation: 'silu', seed: 0 })
  const { params, state, records } = await train.fit(e, x, { objective: train.contrastive(), negatives, optimizer: train.adam({ lr: sampler.cosine(0.01, 0.001, trainSteps), betas: [0.5, 0.999] }), batchSize: 128, steps: trainSteps, seed: 1 })
  // The training's own chains: fresh short runs from noise, or PCD's buffer.
  const own = negatives.kind === 'persistent' ? (state.negatives.buffer as Float64Array) : (await sampler.sample(e, ula, { chains: 10000, steps: K, seed: 9, params, init: rng.uniforms(9, 0, 0, 20000).map((u) => -4.5 + 9 * u) })).positions
  const model = grid.tabulate(e, { ...spec, params })
  const probe = await train.longRunProbe(e, params, { data: x, seed: 2, steps: probeSteps, chains: probeChains, grid: spec, target })
  const gap = records.slice(-100).reduce((s, r) => s + (r.energyGap ?? 0), 0) / Math.min(100, records.length)

  console.log(`\n${name}: KL(data ‖ model) on the grid ${grid.kl(target, model).toFixed(3)}, energy gap over the last 100 steps ${gap.toFixed(3)}`)
  console.log(`share of each mode (0 … 7, then between modes) ${' '.repeat(2)}${ring.map((_m, k) => String(k).padStart(5)).join('')}  between`)
  const rows: [string, number[]][] = [
    ['its training chains', shares(own)],
    ['its density exp(−E)/Z (grid)', Array.from({ length: 9 }, (_v, k) => grid.mass(model, (p) => modeOf(p) === k))],
    ['long-run chains from noise', shares(probe.fromNoise.positions)],
  ]
  for (const [label, v] of rows) console.log(`  ${label.padEnd(46)}${percent(v)}`)
  const [chainShare, modelShare] = [rows[0][1], rows[1][1]]
  const k = modelShare.slice(0, 8).reduce((b, v, i) => (v - chainShare[i] > modelShare[b] - chainShare[b] ? i : b), 0)
  console.log(`  the model holds ${(100 * modelShare[k]).toFixed(0)}% of its mass in mode ${k}, where its training chains spend ${(100 * chainShare[k]).toFixed(0)}% of their time`)
  const ownEnergies = energy.energyAt(e, own, params)
  console.log(`  energies: data mean ${probe.data.mean.toFixed(2)}, 1% quantile ${probe.threshold.toFixed(2)}; training chains mean ${mean(ownEnergies).toFixed(2)};` +
    ` long-run chains mean ${probe.fromNoise.energies.mean.toFixed(2)} from noise, ${probe.fromData.energies.mean.toFixed(2)} from data`)
  console.log(`  below the data's 1% quantile: ${(100 * ownEnergies.filter((v) => v < probe.threshold).length / ownEnergies.length).toFixed(1)}% of the training chains,` +
    ` ${(100 * probe.fromNoise.ravines).toFixed(1)}% of the long-run chains from noise, ${(100 * probe.fromData.ravines).toFixed(1)}% from data`)
  console.log(`  KL(long run ‖ data) ${probe.fromNoise.kl?.data?.toFixed(3)}, KL(training chains ‖ data) ${grid.kl(grid.histogram(own, spec), target).toFixed(3)}, KL(long run ‖ model) ${probe.fromNoise.kl?.model.toFixed(3)}`)
}
