/**
 * The energy a command works on, from a saved model (`--model model.safetensors`, written by io.save or
 * `heatbath train`) or from the catalogue (`--energy doubleWell --options '{"dim": 2}'`), and where a
 * command's output files go.
 *
 * @module
 */
import { dirname, resolve } from 'node:path'
import { stat } from 'node:fs/promises'
import * as energy from '../energy/index.js'
import * as io from '../io/index.js'
import type { Command } from 'commander'
import { optional, Text } from './codecs.js'
import { UsageError } from './command.js'
import { energyOf } from './config.js'
import { onPseudoFilesystem } from '../io/pseudo-filesystems.js'

const catalogue = ['doubleWell', 'gaussian', 'gmm', 'quadratic', 'rosenbrock', 'rastrigin', 'funnel', 'mlp']

/** An energy with the parameter values to use. */
export interface Model {
  readonly energy: energy.Energy
  /** Saved values, or undefined for the energy's initial ones. */
  readonly params: energy.Params | undefined
}

/**
 * Loads a model saved by io.save (or `heatbath train`); a missing or bad file is a bad input naming
 * `--model` and the reason.
 */
export const loadModel = async (path: string, cwd: string): Promise<Model> => {
  try {
    const loaded = await io.load(resolve(cwd, path))
    return { energy: loaded.energy, params: loaded.params }
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message
    throw new UsageError(`--model: expected a parameters file written by io.save or heatbath train, got ${JSON.stringify(path)} (${why})`)
  }
}

/**
 * A catalogue energy by name with its options given as JSON text.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { catalogueEnergy } from './model.js'
 * assert.deepEqual(catalogueEnergy('doubleWell', '{"dim": 2}').energy.shape, [2])
 * assert.throws(() => catalogueEnergy('doubleWell', '{dim: 2}'), { name: 'UsageError', message: '--options: expected JSON options of doubleWell, got "{dim: 2}"' })
 * assert.throws(() => catalogueEnergy('doubleWell', '{"dim": 0}'), { name: 'UsageError', message: '--energy doubleWell --options: energy.doubleWell: dim: expected an integer ≥ 1, got 0' })
 */
export const catalogueEnergy = (name: string, options: string | undefined): Model => {
  let parsed: unknown = {}
  try {
    if (options !== undefined) parsed = JSON.parse(options)
  } catch {
    throw new UsageError(`--options: expected JSON options of ${name}, got ${JSON.stringify(options)}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`--options: expected a JSON object of ${name}'s options, got ${JSON.stringify(options)}`)
  return { energy: energyOf({ ...(parsed as Record<string, energy.Json>), name }, `--energy ${name} --options`), params: undefined }
}

/** Adds the flags of {@link modelOf} to a subcommand. */
export const withModelFlags = (c: Command): Command =>
  c
    .option('--model <file>', 'a saved model (io.save, heatbath train)')
    .option('--energy <name>', `a catalogue energy instead: ${catalogue.join(', ')}`)
    .option('--options <json>', "the catalogue energy's options as JSON, e.g. '{\"dim\": 2}'")

/** The codecs of the flags of {@link modelOf}. */
export const modelFlags = { model: optional(Text), energy: optional(Text), options: optional(Text) }

/** The model of `--model`, or of `--energy` and `--options`: exactly one of the two must be given. */
export const modelOf = async (f: { readonly model?: string; readonly energy?: string; readonly options?: string }, cwd: string): Promise<Model> => {
  if ((f.model === undefined) === (f.energy === undefined)) {
    throw new UsageError(`--model, --energy: expected one of them (a saved model, or a catalogue energy with --options), got ${f.model === undefined ? 'neither' : 'both'}`)
  }
  if (f.options !== undefined && f.energy === undefined) throw new UsageError(`--options: expected it only with --energy (a saved model has its options), got ${JSON.stringify(f.options)}`)
  return f.model !== undefined ? loadModel(f.model, cwd) : catalogueEnergy(f.energy as string, f.options)
}

/** Refuses, before any work, a path on a kernel pseudo-filesystem (/proc, /sys, …), where writing fails or hangs. */
const refusePseudo = async (full: string, path: string, where: string, expected: string): Promise<void> => {
  const filesystem = await io.pseudoFilesystem(full)
  if (filesystem !== undefined) throw new UsageError(onPseudoFilesystem(where, expected, path, filesystem).message)
}

/**
 * Resolves an output path and checks, before any work, that its directory exists and can hold files
 * (the file itself is written atomically at the end with io.writeAtomically, so a failed run leaves no
 * partial file).
 */
export const outputPath = async (path: string, cwd: string, flag: string): Promise<string> => {
  const full = resolve(cwd, path)
  const found = await stat(dirname(full)).catch(() => undefined)
  if (found === undefined || !found.isDirectory()) throw new UsageError(`${flag}: expected a path in an existing directory, got ${JSON.stringify(path)}`)
  // A directory at the path itself would only be found by the rename at the end, after the whole run.
  if ((await stat(full).catch(() => undefined))?.isDirectory() === true) throw new UsageError(`${flag}: expected a path of a file, got the directory ${JSON.stringify(path)}`)
  await refusePseudo(dirname(full), path, flag, 'a path')
  return full
}

/**
 * Resolves a checkpoint directory and checks, before any work, that it can be one: the path, or its
 * nearest ancestor that exists, is a directory (the directory itself is made at the first checkpoint),
 * on a filesystem that holds files. A file there would otherwise be found only at the first
 * checkpoint, after minutes of training or records read, and a directory under /proc never (making it
 * hangs).
 */
export const checkpointDir = async (path: string, cwd: string, where: string): Promise<string> => {
  const full = resolve(cwd, path)
  for (let at = full; ; at = dirname(at)) {
    const found = await stat(at).catch(() => undefined)
    if (found !== undefined && !found.isDirectory()) throw new UsageError(`${where}: expected a directory for checkpoints, got ${JSON.stringify(path)}${at === full ? ', a file' : ` under the file ${JSON.stringify(at)}`}`)
    if (found !== undefined || dirname(at) === at) break
  }
  await refusePseudo(full, path, where, 'a directory for checkpoints')
  return full
}
