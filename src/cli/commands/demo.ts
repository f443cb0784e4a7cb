/**
 * `heatbath demo`: an MLP energy learns FFJORD's 8gaussians by persistent contrastive divergence, with
 * heatbath's recipe (docs/training.md): MLP 2→128→128→1 (SiLU), a replay buffer of 10,000 chains with 5%
 * restarted uniformly on [−4, 4]², K = 20 ULA steps of h = 0.01, batch 256, Adam (lr 3e-3 → 1e-5 along a
 * half cosine, betas (0.5, 0.999)), α = 0.03 on the energies' squares, float32 on two threads. Progress
 * shows the step, loss, energy gap and the KL(data ‖ model) on a 200 × 200 grid; the picture shows the
 * data, the learned density with samples from the replay buffer over it, and the energy gap and KL curves.
 *
 * Without the native addon it trains a smaller model for fewer steps on the reference executor, and says so.
 *
 * @module
 */
import { nativeAddon } from '../../backend/index.js'
import * as data from '../../data/index.js'
import * as energy from '../../energy/index.js'
import * as grid from '../../energy/grid.js'
import { writeAtomically } from '../../io/index.js'
import type { StreamRecord } from '../../stream/index.js'
import * as sampler from '../../sampler/index.js'
import * as train from '../../train/index.js'
import * as viz from '../../viz/index.js'
import { decodeFlags, fromText, oneOf, optional, PositiveInteger, Seed, Switch, Text, Threads } from '../codecs.js'
import { exitStatus, type Io, jsonLine, type Subcommand } from '../command.js'
import { outputPath } from '../model.js'
import { jsonMode, progress } from '../progress.js'
import { runTraining } from '../training.js'

/** The budget of a demo run: the native recipe, or a smaller one the reference executor runs in about 20 s. */
export interface Budget {
  readonly widths: readonly number[]
  readonly steps: number
  readonly batchSize: number
  /** Cells per axis of the KL's grid. */
  readonly gridCells: number
  /** Adam's learning rate along a half cosine over `steps` steps (or over a longer run's). */
  readonly lr: readonly [number, number]
  /** The ULA step size h of the negative chains. */
  readonly stepSize: number
}

const budgets: Readonly<Record<'native' | 'reference', Budget>> = {
  native: { widths: [2, 128, 128, 1], steps: 5000, batchSize: 256, gridCells: 200, lr: [3e-3, 1e-5], stepSize: 0.01 },
  // A smaller network learns the ring of the data in this budget but not yet its eight modes: breaking
  // the ring into modes takes the wide network and a full batch, some hundred times the reference's rate.
  reference: { widths: [2, 32, 32, 1], steps: 600, batchSize: 128, gridCells: 100, lr: [1e-2, 1e-4], stepSize: 0.02 },
}

/** The box of the data and the grid. */
export const bounds: [[number, number], [number, number]] = [[-4, 4], [-4, 4]]


/** What the picture shows. */
export interface FigureInputs {
  /** Data points, row-major pairs. */
  readonly data: Float64Array
  /** The learned density on the grid. */
  readonly model: grid.Grid
  /** Model samples (pairs) drawn over the density. */
  readonly samples: Float64Array
  /** The energy gap, averaged over windows of steps. */
  readonly gaps: readonly { readonly step: number; readonly energyGap: number }[]
  readonly kls: readonly { readonly step: number; readonly kl: number }[]
}

/** The size of the picture. */
export const figureSize = { width: 1000, height: 820 }

/**
 * The picture: the data; the learned density (no colour bar: brightness is what matters) with model
 * samples over it; the energy gap; the grid KL.
 */
export const demoFigure = (o: FigureInputs): viz.Panel =>
  viz.layout(
    [
      viz.scatter(o.data, { bounds, title: `data (${(o.data.length / 2).toLocaleString('en')} points)`, pointRadius: 0 }),
      viz.heatmap(o.model, { title: 'learned density, and samples', points: o.samples, pointRadius: 0, valueLabel: '' }),
      viz.curves(o.gaps, { fields: ['energyGap'], title: 'energy gap E(data) − E(samples)', rules: [{ y: 0, label: '' }] }),
      viz.curves(o.kls, { fields: ['kl'], title: 'KL(data ‖ model)' }),
    ],
    { columns: 2, title: 'heatbath demo: an energy learns 8gaussians by persistent contrastive divergence' },
  )

const flagCodecs = {
  steps: optional(fromText(PositiveInteger)),
  seed: fromText(Seed),
  threads: fromText(Threads),
  backend: oneOf(['auto', 'native', 'reference'] as const),
  out: Text,
  json: Switch,
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length

type Flags = ReturnType<typeof decodeFlags<typeof flagCodecs>>

/** Native or reference, the budget that goes with it, and the notice when the addon cannot be used. */
const chooseBudget = (f: Flags, io: Io): { native: boolean; budget: Budget; steps: number } => {
  const status = nativeAddon()
  const missing = status.addon === undefined ? `the native addon is not available (${status.reason})` : process.env.HEATBATH_BACKEND === 'reference' ? 'HEATBATH_BACKEND=reference' : undefined
  const native = f.backend === 'native' || (f.backend === 'auto' && missing === undefined)
  const budget = budgets[native ? 'native' : 'reference']
  const steps = f.steps ?? budget.steps
  if (!native) {
    const why = f.backend === 'reference' ? 'the reference executor was asked for' : missing
    io.stderr.write(`heatbath demo: ${why}: training a smaller model (MLP ${budget.widths.join('→')}, batch ${budget.batchSize}, ${steps} steps) in TypeScript; it learns the ring of the data but not its eight modes. Build the addon (npm run install) for the full demo.\n`)
  }
  return { native, budget, steps }
}

/** heatbath's recipe for 8gaussians (docs/training.md) within a budget. */
const recipe = (budget: Budget, steps: number, native: boolean, f: Flags) =>
  ({
    objective: train.contrastive({ energyL2: 0.03 }),
    negatives: train.persistent({ kernel: sampler.ula({ stepSize: budget.stepSize }), steps: 20, bufferSize: 10_000, reinit: 0.05, init: { kind: 'uniform', low: -4, high: 4 } }),
    // A shorter run is the start of the full one (its learning rate decays over the full run's steps), so
    // that a quick look shows what the full run shows at that step.
    optimizer: train.adam({ lr: sampler.cosine(budget.lr[0], budget.lr[1], Math.max(steps, budget.steps)), betas: [0.5, 0.999] }),
    batchSize: budget.batchSize,
    backend: native ? 'native' : 'reference',
    dtype: native ? 'float32' : 'float64',
    threads: f.threads,
    seed: f.seed,
  }) as const

/** The curves of a run: the energy gap averaged over windows of steps, and the grid KL every so often. */
const curvesOf = (steps: number, klOf: (params: energy.Params) => number, first: energy.Params) => {
  const klEvery = Math.max(10, Math.round(steps / 20))
  const gapEvery = Math.max(1, Math.round(steps / 100))
  const kls = [{ step: 0, kl: klOf(first) }]
  const gaps: { step: number; energyGap: number }[] = []
  let window: number[] = []
  return {
    kls,
    gaps,
    add: (r: StreamRecord): void => {
      const done = r.step + 1
      window.push(r.energyGap ?? NaN)
      if (done % gapEvery === 0 || done === steps) {
        gaps.push({ step: done, energyGap: mean(window) })
        window = []
      }
      if (done % klEvery === 0 || done === steps) kls.push({ step: done, kl: klOf(r.params) })
    },
  }
}

/** What the demo reports at its end. */
interface Summary {
  readonly steps: number
  readonly interrupted: boolean
  readonly kl: number
  readonly flatKl: number
  readonly seconds: number
  readonly trainingSeconds: number
  readonly iterationsPerSecond: number
  readonly backend: string
  readonly out: string
}

const report = (io: Io, json: boolean, s: Summary): void => {
  if (json) return jsonLine(io.stdout, { event: 'done', ...s })
  io.stdout.write(
    `\n${s.interrupted ? `interrupted after ${s.steps} steps; ` : ''}KL(data ‖ model) on the grid: ${s.kl.toFixed(3)} (a flat density: ${s.flatKl.toFixed(2)}; the data's own: 0)\n` +
      `${s.steps} steps in ${s.trainingSeconds.toFixed(1)} s of training (${s.iterationsPerSecond.toFixed(0)} iterations/s, ${s.backend}), ${s.seconds.toFixed(1)} s in all\n` +
      `wrote ${s.out}: the data, the learned density with samples, the energy gap and the KL\n`,
  )
}

export const demo: Subcommand = {
  name: 'demo',
  summary: 'trains an energy on 8gaussians by persistent contrastive divergence (about 20 s) and draws demo.png',
  configure: (c) =>
    c
      .option('--steps <n>', 'stop after n steps (default 5000; 600 on the reference executor); a shorter run is the start of the full one')
      .option('--seed <n>', 'the seed of the data, the network and every draw', '1')
      .option('--threads <n>', 'threads of the native executor', '2')
      .option('--backend <name>', 'auto (native when the addon is built), native or reference', 'auto')
      .option('--out <file>', 'the picture', 'demo.png')
      .option('--json', 'progress and summary as JSON lines (the default when stdout is not a terminal)')
      .addHelpText('after', '\nExample:\n  heatbath demo\n  heatbath demo --steps 2000 --out quick.png\n'),
  run: async (_args, raw, io) => {
    const f = decodeFlags(flagCodecs, raw)
    const out = await outputPath(f.out, io.cwd, '--out')
    const json = jsonMode(io, f.json)
    const { native, budget, steps } = chooseBudget(f, io)
    const options = recipe(budget, steps, native, f)
    const points = data.toy('8gaussians', 100_000, f.seed)
    const target = grid.tabulate(data.toyDensity('8gaussians'), { bounds, n: budget.gridCells })
    const model = energy.mlp({ widths: budget.widths, activation: 'silu', seed: f.seed })
    const densityAt = (params: energy.Params) => grid.tabulate(model, { bounds, n: budget.gridCells, params, backend: options.backend, threads: f.threads })
    const klOf = (params: energy.Params) => grid.kl(target, densityAt(params))
    const curves = curvesOf(steps, klOf, energy.init(model))
    let trainingMs = 0
    const shown = progress(io, { json, total: steps, every: 100, kl: true })
    const started = performance.now()
    const onRecord = (r: StreamRecord) => {
      trainingMs += r.wallTime
      curves.add(r)
      shown.update(r.step, { loss: r.loss, energyGap: r.energyGap, kl: curves.kls[curves.kls.length - 1].kl })
    }
    const { last, interrupted } = await runTraining(model, options, { data: points, steps, first: 0, signal: io.signal, source: '', onRecord })
    shown.stop()
    const params = last?.params ?? energy.init(model)
    const done = last === undefined ? 0 : last.step + 1
    if (curves.kls[curves.kls.length - 1].step !== done) curves.kls.push({ step: done, kl: klOf(params) })
    const samples = last?.state.negatives.buffer?.subarray(0, 2 * 2000) ?? new Float64Array(0)
    const gaps = curves.gaps.length > 0 ? curves.gaps : [{ step: 0, energyGap: 0 }]
    await writeAtomically(out, viz.png(viz.render(demoFigure({ data: points.subarray(0, 2 * 5000), model: densityAt(params), samples, gaps, kls: curves.kls }), figureSize)))
    report(io, json, {
      steps: done,
      interrupted,
      kl: curves.kls[curves.kls.length - 1].kl,
      flatKl: grid.kl(target, grid.histogram([], { bounds, n: budget.gridCells, pseudocount: 1 })),
      seconds: (performance.now() - started) / 1000,
      trainingSeconds: trainingMs / 1000,
      iterationsPerSecond: done / (trainingMs / 1000),
      backend: options.backend,
      out: f.out,
    })
    return interrupted ? exitStatus.interrupted : exitStatus.ok
  },
}
