/**
 * `heatbath train --config run.json [--resume]`: trains an energy as a JSON config describes it (energy,
 * data, objective, negatives, optimizer, steps, batch size, seed, checkpoints, output), decoded with io-ts
 * before anything runs, and saves the parameters with io.save. Paths in the config are relative to the
 * config's directory. `--resume` goes on from the checkpoint directory, which must hold a checkpoint of
 * the same run (the library compares the energy, objective, negatives, optimizer, batch size and seed).
 *
 * @module
 */
import { basename, dirname, resolve } from 'node:path'
import * as t from 'io-ts'
import * as data from '../../data/index.js'
import * as energy from '../../energy/index.js'
import * as ir from '../../ir/index.js'
import * as files from '../../io/index.js'
import type { StreamRecord } from '../../stream/index.js'
import { decodeOrThrow } from '../../io/decode.js'
import { closed, decodeFlags, either, isObject, oneOf, PositiveInteger, Seed, Switch, Text, Threads } from '../codecs.js'
import { exitStatus, input, inputAsync, type Io, jsonLine, type Subcommand, UsageError } from '../command.js'
import { EnergyDescription, energyOf, Negatives, negativesOf, Objective, objectiveOf, Optimizer, optimizerOf } from '../config.js'
import { parseNumericCsv, readText } from '../csv.js'
import { checkpointDir, outputPath } from '../model.js'
import { jsonMode, progress } from '../progress.js'
import { runTraining } from '../training.js'

/** Where the data come from: a CSV file of numbers, or a toy distribution. */
const Data = either(
  'a data source: { "file": "points.csv" } or { "toy": "8gaussians", "rows"?, "seed"? }',
  closed('a data file { "file" }', { required: { file: Text } }),
  closed('a toy data set { "toy", "rows"?, "seed"? }', { required: { toy: oneOf(data.toyNames) }, optional: { rows: PositiveInteger, seed: Seed } }),
  (u) => isObject(u) && 'file' in u,
)

/** A training run as a JSON config. */
export const TrainConfig = closed('a training config', {
  required: { energy: EnergyDescription, data: Data, objective: Objective, optimizer: Optimizer, steps: PositiveInteger, batchSize: PositiveInteger },
  optional: {
    negatives: Negatives,
    seed: Seed,
    backend: oneOf(['auto', 'native', 'reference'] as const),
    dtype: oneOf(['float64', 'float32'] as const),
    threads: Threads,
    checkpoint: closed('checkpoints { "dir", "every" }', { required: { dir: Text, every: PositiveInteger } }),
    output: Text,
  },
})
export type TrainConfig = t.TypeOf<typeof TrainConfig>

/** Reads and decodes a config file (`path` relative to `cwd`); `name` is how messages call it. */
export const readConfig = async (path: string, cwd: string, name: string): Promise<TrainConfig> => {
  const text = await readText(path, cwd, '--config')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    throw new UsageError(`${name}: expected JSON, got text that does not parse (${(e as Error).message})`)
  }
  return input('', () => decodeOrThrow(TrainConfig, parsed, name))
}

/** The rows of the data a config names, checked against the energy's size. */
const dataOf = async (c: TrainConfig, e: energy.Energy, dir: string, name: string): Promise<Float64Array> => {
  const D = ir.size(e.shape)
  const d = c.data
  if ('toy' in d) {
    if (D !== 2) throw new UsageError(`${name}: data.toy: expected an energy of 2 dimensions for a toy data set, got '${e.name}' of shape ${ir.showShape(e.shape)}`)
    return data.toy(d.toy, d.rows ?? 10_000, d.seed ?? c.seed ?? 0)
  }
  const file = (d as { readonly file: string }).file
  const csv = parseNumericCsv(await readText(file, dir, `${name}: data.file`), file)
  const width = csv.rows[0]?.length ?? 0
  if (width !== D) throw new UsageError(`${name}: data.file: expected rows of ${D} numbers (energy '${e.name}' takes shape ${ir.showShape(e.shape)}), got ${csv.rows.length === 0 ? 'no rows' : `rows of ${width}`} in ${JSON.stringify(file)}`)
  const x = new Float64Array(csv.rows.length * D)
  csv.rows.forEach((r, i) => {
    const bad = r.findIndex((v) => !Number.isFinite(v))
    if (bad >= 0) throw new UsageError(`${file}:${csv.lines[i]}: expected finite numbers, got ${r[bad]} in column ${bad + 1}`)
    x.set(r, i * D)
  })
  return x
}

const loadResume = async (c: TrainConfig, dir: string, name: string): Promise<files.Checkpoint> => {
  if (c.checkpoint === undefined) throw new UsageError(`--resume: expected a config with a checkpoint directory ("checkpoint": { "dir", "every" }), got none in ${name}`)
  return inputAsync('--resume', () => files.loadCheckpoint(resolve(dir, c.checkpoint!.dir)))
}

/** The stream's options of a decoded config: the library's values of its parts, paths resolved against `dir`. */
const optionsOf = (c: TrainConfig, name: string, dir: string, resume: files.Checkpoint | null) => {
  const negatives = c.negatives === undefined ? undefined : negativesOf(c.negatives, `${name}: negatives`)
  return {
    objective: objectiveOf(c.objective, `${name}: objective`),
    ...(negatives === undefined ? {} : { negatives }),
    optimizer: optimizerOf(c.optimizer, `${name}: optimizer`),
    batchSize: c.batchSize,
    seed: c.seed ?? 0,
    backend: c.backend ?? 'auto',
    dtype: c.dtype ?? 'float64',
    threads: c.threads ?? 1,
    ...(c.checkpoint === undefined ? {} : { checkpoint: { dir: resolve(dir, c.checkpoint.dir), every: c.checkpoint.every } }),
    resume,
  }
}

/** What a run reports at its end. */
interface Summary {
  readonly steps: number
  readonly interrupted: boolean
  readonly loss: number | null
  readonly energyGap: number | null
  readonly trainingSeconds: number
  readonly iterationsPerSecond: number
  readonly output: string | null
  readonly checkpoint: string | null
}

const report = (io: Io, json: boolean, s: Summary, every: number | undefined): void => {
  if (json) return jsonLine(io.stdout, { event: 'done', ...s })
  if (!s.interrupted) {
    io.stdout.write(`\n${s.steps} steps (${s.iterationsPerSecond.toFixed(0)} iterations/s); final loss ${s.loss?.toFixed(4)}, energy gap ${s.energyGap?.toFixed(4) ?? '–'}\nwrote ${s.output}\n`)
    return
  }
  const kept = every === undefined || s.steps < every ? '' : `; the checkpoint in ${s.checkpoint} holds step ${s.steps - (s.steps % every)}: go on with --resume`
  io.stdout.write(`\ninterrupted after ${s.steps} steps${kept}\n`)
}

export const train: Subcommand = {
  name: 'train',
  summary: 'trains an energy as a JSON config describes it, with checkpoints; --resume goes on from them',
  configure: (c) =>
    c
      .requiredOption('--config <file>', 'the run: energy, data, objective, negatives, optimizer, steps, batchSize, seed, checkpoint, output (docs/cli.md)')
      .option('--resume', "go on from the config's checkpoint directory")
      .option('--json', 'progress and summary as JSON lines (the default when stdout is not a terminal)')
      .addHelpText('after', '\nExample:\n  heatbath train --config run.json\n  heatbath train --config run.json --resume\n'),
  run: async (_args, raw, io) => {
    const f = decodeFlags({ config: Text, resume: Switch, json: Switch }, raw)
    const name = basename(f.config)
    const dir = dirname(resolve(io.cwd, f.config))
    const c = await readConfig(f.config, io.cwd, name)
    const e = energyOf(c.energy, `${name}: energy`)
    const options = optionsOf(c, name, dir, f.resume ? await loadResume(c, dir, name) : null)
    const positives = await dataOf(c, e, dir, name)
    const output = await outputPath(c.output ?? 'model.safetensors', dir, `${name}: output`)
    if (c.checkpoint !== undefined) await checkpointDir(c.checkpoint.dir, dir, `${name}: checkpoint.dir`)
    const first = options.resume?.state.step ?? 0
    if (first >= c.steps) throw new UsageError(`${name}: steps: expected more than the checkpoint's ${first} steps to resume, got ${c.steps}`)
    const json = jsonMode(io, f.json)
    const shown = progress(io, { json, total: c.steps, first, every: 100 })
    let trainingMs = 0
    const onRecord = (r: StreamRecord) => {
      trainingMs += r.wallTime
      shown.update(r.step, { loss: r.loss, energyGap: r.energyGap })
    }
    const { last, interrupted } = await runTraining(e, options, { data: positives, steps: c.steps, first, signal: io.signal, source: name, onRecord })
    shown.stop()
    const done = last === undefined ? first : last.step + 1
    // The energy's parameters only: an objective's own (NCE's logZ) are not the model's.
    if (!interrupted && last !== undefined) await files.save(output, e, Object.fromEntries(Object.keys(e.params).map((k) => [k, last.params[k]])))
    report(io, json, {
      steps: done,
      interrupted,
      loss: last?.loss ?? null,
      energyGap: last?.energyGap ?? null,
      trainingSeconds: trainingMs / 1000,
      iterationsPerSecond: (done - first) / (trainingMs / 1000),
      output: interrupted ? null : c.output ?? 'model.safetensors',
      checkpoint: c.checkpoint?.dir ?? null,
    }, c.checkpoint?.every)
    return interrupted ? exitStatus.interrupted : exitStatus.ok
  },
}
