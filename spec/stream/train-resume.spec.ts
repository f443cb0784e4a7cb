/**
 * `stream.train` with checkpoints: written every `every` steps before that step's record is emitted and
 * when the source completes; a stream resumed from one, fed the batches that follow, repeats the
 * uninterrupted stream bit for bit (and `train.fit`'s run, from a checkpoint `fit` wrote); a checkpoint of
 * other options is refused when `train` is called.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { from, lastValueFrom, take, tap as peek, toArray } from 'rxjs'
import t, { type Test } from 'tap'
import { nativeAddon } from '../../src/backend/index.js'
import * as energy from '../../src/energy/index.js'
import { loadCheckpoint } from '../../src/io/checkpoint.js'
import { pullBatches, type StreamTrainOptions, train } from '../../src/stream/index.js'
import * as trainNs from '../../src/train/index.js'
import { bits } from '../train/fixtures.js'
import { collect, data, fitBatches, mlp, pcd, withoutExtras } from './training.js'

const root = mkdtempSync(join(tmpdir(), 'heatbath-stream-resume-'))
let dirs = 0
const freshDir = () => join(root, `run-${dirs++}`)
const native = nativeAddon().addon !== undefined
const N = 10
const K = 4
const batches = fitBatches(pcd.seed, N)
const collectFrom = (source: readonly Float64Array[], o: StreamTrainOptions) => collect(pullBatches(source), o)

const resumesBitwise = async (t: Test, o: StreamTrainOptions) => {
  const straight = await collectFrom(batches, o)
  const dir = freshDir()
  await collectFrom(batches.slice(0, K), { ...o, checkpoint: { dir, every: 100 } })
  const resumed = await collectFrom(batches.slice(K), { ...o, resume: await loadCheckpoint(dir) })
  t.same(resumed.map((r) => r.step), straight.slice(K).map((r) => r.step))
  t.equal(bits(withoutExtras(resumed)), bits(withoutExtras(straight.slice(K))), 'the later records')
  t.equal(bits(resumed.at(-1)?.state), bits(straight.at(-1)?.state), 'the final parameters, buffer and moments')
}

t.test('a resumed stream repeats the uninterrupted one bit for bit', async (t) => {
  await t.test('reference', async (t) => resumesBitwise(t, pcd))
  await t.test('native float64', { skip: native ? false : 'the native addon is not built' }, async (t) => resumesBitwise(t, { ...pcd, backend: 'native' }))
  await t.test('native float32', { skip: native ? false : 'the native addon is not built' }, async (t) => resumesBitwise(t, { ...pcd, backend: 'native', dtype: 'float32' }))
})

t.test('a stream resumed from train.fit\'s checkpoint goes on as the fit did', async (t) => {
  const { seed: _s, ...o } = pcd
  const straight = await trainNs.fit(mlp(), data, { ...o, seed: pcd.seed, steps: N })
  const dir = freshDir()
  await trainNs.fit(mlp(), data, { ...o, seed: pcd.seed, steps: K, checkpoint: { dir, every: K } })
  const resumed = await collectFrom(batches.slice(K), { ...pcd, resume: await loadCheckpoint(dir) })
  t.equal(bits(withoutExtras(resumed)), bits(withoutExtras(straight.records.slice(K))))
  t.equal(bits(resumed.at(-1)?.state), bits(straight.state))
})

t.test('checkpoints are written every `every` steps, before that step\'s record, and when the source completes', async (t) => {
  const dir = freshDir()
  const onDisk: number[] = []
  const step = () => JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')).step as number
  await lastValueFrom(pullBatches(batches.slice(0, 5)).pipe(train(mlp(), { ...pcd, checkpoint: { dir, every: 2 } }), peek((r) => r.state.step >= 2 && onDisk.push(step())), toArray()))
  t.same(onDisk, [2, 2, 4, 4], 'as the records of steps 1 … 4 are emitted')
  t.equal(step(), 5, 'and the state after the last step at completion')
  const cut = freshDir()
  await lastValueFrom(pullBatches(batches).pipe(train(mlp(), { ...pcd, checkpoint: { dir: cut, every: 3 } }), take(5)))
  t.equal((await loadCheckpoint(cut)).state.step, 3, 'unsubscribing writes nothing more')
})

t.test('a checkpoint of other options is refused when train is called, naming the difference', async (t) => {
  const dir = freshDir()
  await collectFrom(batches.slice(0, 2), { ...pcd, checkpoint: { dir, every: 1 } })
  const resume = await loadCheckpoint(dir)
  t.throws(() => train(mlp(), { ...pcd, optimizer: trainNs.sgd({ lr: 0.02 }), resume }), { message: 'stream.train: resume: optimizer.kind: expected "sgd" (this run\'s), got "adam" (the checkpoint\'s)' })
  t.throws(() => train(energy.mlp({ widths: [2, 4, 1], activation: 'softplus', seed: 5 }), { ...pcd, resume }), { message: "stream.train: resume: energy.params.W0[1]: expected 4 (this run's), got 8 (the checkpoint's)" })
  const none = await lastValueFrom(from([]).pipe(train(mlp(), { ...pcd, resume, checkpoint: { dir, every: 1 } }), toArray()))
  t.same(none, [], 'resumed with no batches: no records')
  t.equal((await loadCheckpoint(dir)).state.step, 2, 'and the checkpoint untouched')
})
