/**
 * What checkpoints cost a stream that trains: `stream.trainOnSource` on records of 8gaussians, the MLP
 * 2→128→128→1 (SiLU) learnt by persistent contrastive divergence (a replay buffer of 10,000 chains, 20
 * ULA steps a step, batch 128, Adam), with no checkpoint and with one every 1, 10 and 100 steps and every
 * second; the settings alternate in each round, their order rotating. A checkpoint holds the parameters,
 * Adam's two moments and the buffer (saved atomically: two files, each fsynced with its directory).
 *
 * Each checkpoint is timed where it happens: from the moment `trainOnSource` reads the operators' states
 * for it to the acknowledgement it is followed by (the source's `onAcknowledge`), so the write's time and
 * its share of the run's are measured directly rather than as a difference of two noisy runs.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lastValueFrom } from 'rxjs'
import { data, energy, stream } from '../src/index.js'
import { pcdBatchSize, pcdOptions } from './pcd.js'

export const settings = [
  { name: 'none' },
  { name: 'every 1', every: 1 },
  { name: 'every 10', every: 10 },
  { name: 'every 100', every: 100 },
  { name: 'every 1 s', seconds: 1 },
] as const
export type Setting = (typeof settings)[number]

/** One run of a setting: its wall time, the time of each checkpoint it wrote, and a checkpoint's bytes. */
export interface CheckpointRun {
  readonly ms: number
  readonly writes: readonly number[]
  readonly bytes: number
}

const batchSize = pcdBatchSize

/** Runs `steps` steps under each setting through `run(setting)`. */
export const checkpointBench = (steps: number, backend: 'native' | 'reference') => {
  const points = data.toy('8gaussians', steps * batchSize, 3)
  const rows = Array.from({ length: steps * batchSize }, (_v, i) => points.subarray(2 * i, 2 * i + 2))
  const options = pcdOptions(backend)
  const run = async (s: Setting): Promise<CheckpointRun> => {
    const dir = join(mkdtempSync(join(tmpdir(), 'heatbath-bench-ck-')), 'ck')
    const writes: number[] = []
    let writing = 0
    const { name: _name, ...when } = s
    const checkpoint = 'every' in when || 'seconds' in when ? { checkpoint: { dir, ...when } } : {}
    // A fresh model each run: the same work whatever ran before.
    const model = energy.mlp({ widths: [2, 128, 128, 1], activation: 'silu', seed: 2 })
    const started = performance.now()
    const source = stream.fromAsyncIterable(rows, { onAcknowledge: () => void writes.push(performance.now() - writing) })
    await lastValueFrom(source.pipe(stream.trainOnSource(model, { ...options, ...checkpoint, operators: () => ((writing = performance.now()), {}) })))
    const ms = performance.now() - started
    const bytes = writes.length === 0 ? 0 : readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0)
    rmSync(dir, { recursive: true, force: true })
    return { ms, writes, bytes }
  }
  return run
}
