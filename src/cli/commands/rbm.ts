/**
 * `heatbath rbm`: trains a Bernoulli RBM by persistent contrastive divergence (PCD, as scikit-learn's
 * BernoulliRBM: persistent chains, SGD) on bars and stripes, or on the rows of a CSV file of values in
 * [0, 1]; prints the mean pseudo-log-likelihood and reconstruction error after every epoch, draws data and
 * samples (block Gibbs from the trained model) as a PNG grid, and saves the model with `--save`.
 *
 * @module
 */
import * as data from '../../data/index.js'
import * as energy from '../../energy/index.js'
import * as files from '../../io/index.js'
import * as rbm from '../../rbm/index.js'
import type { StreamRecord } from '../../stream/index.js'
import * as train from '../../train/index.js'
import * as viz from '../../viz/index.js'
import { imageWidth, readRows, withinMemory, writePicture } from '../binary.js'
import { decodeFlags, fromText, oneOf, optional, Positive, PositiveInteger, Seed, Switch, Text, Threads } from '../codecs.js'
import { exitStatus, input, type Io, jsonLine, type Subcommand, UsageError } from '../command.js'
import { outputPath } from '../model.js'
import { jsonMode } from '../progress.js'
import { runTraining } from '../training.js'

const flagCodecs = {
  data: optional(Text),
  bars: fromText(PositiveInteger),
  rows: fromText(PositiveInteger),
  width: optional(fromText(PositiveInteger)),
  hidden: fromText(PositiveInteger),
  epochs: fromText(PositiveInteger),
  lr: fromText(Positive),
  batch: fromText(PositiveInteger),
  gibbs: fromText(PositiveInteger),
  samples: fromText(PositiveInteger),
  sampleSteps: fromText(PositiveInteger),
  seed: fromText(Seed),
  backend: oneOf(['auto', 'native', 'reference'] as const),
  threads: fromText(Threads),
  out: Text,
  save: optional(Text),
  json: Switch,
}
type Flags = ReturnType<typeof decodeFlags<typeof flagCodecs>>

/** The training rows, row-major, and how many values a row has. */
const dataOf = async (f: Flags, io: Io): Promise<{ x: Float64Array; D: number; source: string }> => {
  if (f.data !== undefined) {
    const rows = await readRows(f.data, io.cwd, '--data', 'unit interval')
    const D = rows[0].length
    const x = new Float64Array(rows.length * D)
    rows.forEach((r, k) => x.set(r, k * D))
    return { x, D, source: f.data }
  }
  // The side first: a huge --bars is its fault, not that of the default --rows.
  withinMemory(f.bars * f.bars, f.bars, '--bars', 'pixels of an image (side²)')
  withinMemory(f.rows * f.bars * f.bars, f.rows, '--rows', 'images of bars and stripes')
  const x = input('--bars', () => data.barsAndStripes({ size: f.bars, count: f.rows, seed: f.seed }))
  return { x, D: f.bars * f.bars, source: `bars and stripes ${f.bars} × ${f.bars}` }
}

const mean = (x: Float64Array): number => x.reduce((s, v) => s + v, 0) / x.length

/** The epoch's scores of the model: scikit-learn's pseudo-log-likelihood and the reconstruction error. */
const scores = (e: energy.Energy, params: energy.Params, x: Float64Array, seed: number) => ({
  pll: mean(rbm.pseudoLikelihood(e, params, x, { seed, backend: 'auto' })),
  reconstruction: mean(rbm.reconstructionError(e, params, x)),
})

/** Up to `count` rows of x, each value rounded to a bit for the picture. */
const bitsOf = (x: Float64Array, D: number, count: number): Float64Array[] => Array.from({ length: Math.min(count, x.length / D) }, (_v, k) => x.subarray(k * D, (k + 1) * D).map((v) => (v >= 0.5 ? 1 : 0)))

const report = (io: Io, json: boolean, epoch: number, epochs: number, s: { pll: number; reconstruction: number }, seconds: number): void => {
  if (json) return jsonLine(io.stdout, { event: 'epoch', epoch, epochs, pll: s.pll, reconstruction: s.reconstruction, seconds })
  io.stdout.write(`epoch ${String(epoch).padStart(String(epochs).length)}/${epochs}  pseudo-log-likelihood ${s.pll.toFixed(3).padStart(8)}  reconstruction error ${s.reconstruction.toFixed(3)}  (${seconds.toFixed(1)} s)\n`)
}

const checkShape = (f: Flags, rows: number, D: number): void => {
  if (f.batch > rows) throw new UsageError(`--batch: expected at most the ${rows} rows of data, got ${f.batch}`)
  withinMemory(D * f.hidden, f.hidden, '--hidden', `weights (${D} visible × hidden)`)
  withinMemory(f.samples * (D + f.hidden), f.samples, '--samples', 'units of the sampling chains')
  withinMemory(f.batch * (D + f.hidden), f.batch, '--batch', 'units of the persistent chains')
}

export const rbmCommand: Subcommand = {
  name: 'rbm',
  summary: 'trains a Bernoulli RBM by PCD on bars and stripes or a CSV of [0, 1] rows, printing the pseudo-log-likelihood, and draws samples',
  configure: (c) =>
    c
      .option('--data <file>', 'train on the rows of a CSV file of values in [0, 1] (default: bars and stripes)')
      .option('--bars <n>', 'the side of the bars-and-stripes images', '4')
      .option('--rows <n>', 'bars-and-stripes images drawn', '600')
      .option('--width <w>', 'cells a row of an image in the picture (default: square, or as near as divides)')
      .option('--hidden <n>', 'hidden units', '16')
      .option('--epochs <n>', 'passes over the data (of rows/batch steps each)', '40')
      .option('--lr <rate>', 'the learning rate of SGD', '0.1')
      .option('--batch <n>', 'rows a step', '10')
      .option('--gibbs <k>', 'Gibbs steps of the persistent chains a training step', '1')
      .option('--samples <n>', 'samples drawn in the picture', '20')
      .option('--sample-steps <n>', 'Gibbs steps a sample takes from zeros', '500')
      .option('--seed <n>', 'the seed of the data, the weights, the chains and every draw', '1')
      .option('--backend <name>', 'auto, native or reference', 'auto')
      .option('--threads <n>', 'threads of the native executor', '1')
      .option('--out <file>', 'the picture of data and samples', 'rbm.png')
      .option('--save <file>', 'save the trained parameters (safetensors; io.load(file) reads them back, heatbath sample --model file --sampler heatBath samples them)')
      .option('--json', 'the epochs as JSON lines (the default when stdout is not a terminal)')
      .addHelpText('after', '\nExample:\n  heatbath rbm --hidden 16 --epochs 20 --out bars.png\n  heatbath rbm --data digits.csv --hidden 64 --lr 0.1 --epochs 7 --save digits.safetensors\n'),
  run: async (_args, raw, io) => {
    const f = decodeFlags(flagCodecs, raw)
    const out = await outputPath(f.out, io.cwd, '--out')
    const save = f.save === undefined ? undefined : await outputPath(f.save, io.cwd, '--save')
    const json = jsonMode(io, f.json)
    const { x, D, source } = await dataOf(f, io)
    const width = imageWidth(D, f.width, '--width')
    checkShape(f, x.length / D, D)
    const e = rbm.bernoulli({ visible: D, hidden: f.hidden, seed: f.seed })
    const perEpoch = Math.floor(x.length / D / f.batch)
    const steps = f.epochs * perEpoch
    const options = { objective: train.contrastive(), negatives: rbm.persistentChains(e, { steps: f.gibbs }), optimizer: train.sgd({ lr: f.lr }), batchSize: f.batch, seed: f.seed, backend: f.backend, threads: f.threads } as const
    if (!json) io.stdout.write(`training an RBM of ${D} visible and ${f.hidden} hidden units on ${x.length / D} rows (${source}) by PCD-${f.gibbs}, ${f.epochs} epochs of ${perEpoch} steps:\n`)
    const started = performance.now()
    let params: energy.Params = energy.init(e)
    const onRecord = (r: StreamRecord) => {
      params = r.params
      if ((r.step + 1) % perEpoch === 0) report(io, json, (r.step + 1) / perEpoch, f.epochs, scores(e, params, x, f.seed), (performance.now() - started) / 1000)
    }
    const { interrupted } = await runTraining(e, options, { data: x, steps, first: 0, signal: io.signal, source: '', onRecord })
    const samples = await rbm.sampleVisible(e, params, { chains: f.samples, steps: f.sampleSteps, seed: f.seed, backend: f.backend })
    const columns = Math.min(10, f.samples)
    const picture = viz.layout([viz.patterns(bitsOf(x, D, columns * 2), { width, columns, title: 'data' }), viz.patterns(bitsOf(samples, D, f.samples), { width, columns, title: `samples (${f.sampleSteps} Gibbs steps)` })], { columns: 1, title: `heatbath rbm: ${D} visible, ${f.hidden} hidden units` })
    await writePicture(out, picture, { width: 640, height: 440 })
    if (save !== undefined) await files.save(save, e, params)
    const final = scores(e, params, x, f.seed)
    if (json) jsonLine(io.stdout, { event: 'done', interrupted, pll: final.pll, reconstruction: final.reconstruction, seconds: (performance.now() - started) / 1000, out: f.out, ...(f.save === undefined ? {} : { save: f.save }) })
    else io.stdout.write(`\nsamples:\n${data.textImages(samples, { width, height: D / width, columns })}\nwrote ${f.out}: data and samples${f.save === undefined ? '' : `; saved the model to ${f.save}`}\n`)
    return interrupted ? exitStatus.interrupted : exitStatus.ok
  },
}
