/**
 * Resuming `train.fit` from a checkpoint is bitwise: N steps straight, and K steps, a checkpoint, a fresh
 * trainer (a new energy value, so new tapes) loading it and N − K more, give the same later records and
 * the same final parameters, replay buffer and optimizer moments, bit for bit. A checkpoint of other
 * options is refused naming the first difference.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { nativeAddon } from '../../src/backend/index.js'
import * as energy from '../../src/energy/index.js'
import { loadCheckpoint, saveCheckpoint } from '../../src/io/checkpoint.js'
import * as sampler from '../../src/sampler/index.js'
import * as train from '../../src/train/index.js'
import { bits, gaussian1d, gaussianData, quadratic } from './fixtures.js'

const root = mkdtempSync(join(tmpdir(), 'heatbath-resume-'))
let dirs = 0
const freshDir = () => join(root, `run-${dirs++}`)
const native = nativeAddon().addon !== undefined

// 40 rows in batches of 8: five batches an epoch, so K = 3 stops mid-epoch and N = 12 crosses two epochs.
const data = gaussianData(40, [1, -0.5], [0.8, 0, 0.3, 0.6], 11)
const N = 12
const K = 3
const mlp = () => energy.mlp({ widths: [2, 8, 1], activation: 'softplus', seed: 5 })
const pcd: train.FitOptions = {
  objective: train.contrastive({ energyL2: 0.1 }),
  negatives: train.persistent({ kernel: sampler.mala({ stepSize: 0.05 }), steps: 4, init: { kind: 'normal', std: 1.5 }, bufferSize: 32, reinit: 0.2 }),
  optimizer: train.adam({ lr: sampler.cosine(0.02, 0.002, N) }),
  batchSize: 8,
  steps: N,
  seed: 9,
}
const withoutTime = (records: readonly train.TrainRecord[]) => records.map(({ wallTime: _w, ...rest }) => rest)

/** Runs N steps straight, and K steps then N − K more from a checkpoint in a fresh trainer; compares. */
const resumesBitwise = async (t: Test, build: () => energy.Energy, o: train.FitOptions) => {
  const straight = await train.fit(build(), data, o)
  const dir = freshDir()
  const first = await train.fit(build(), data, { ...o, steps: K, checkpoint: { dir, every: 100 } })
  const checkpoint = await loadCheckpoint(dir)
  t.equal(checkpoint.state.step, K, 'the checkpoint written at the end of the first run')
  t.same(checkpoint.meta.data, { rows: 40, sha256: checkpoint.meta.data?.sha256, epoch: 0, position: K }, 'the data order stands at epoch 0, batch K')
  t.equal(bits(checkpoint.state), bits(first.state), 'the checkpoint holds the state bit for bit')
  const resumed = await train.fit(build(), data, { ...o, resume: checkpoint })
  t.same(resumed.records.map((r) => r.step), [...Array(N - K).keys()].map((i) => K + i))
  t.equal(bits(withoutTime(resumed.records)), bits(withoutTime(straight.records.slice(K))), 'the later records')
  t.equal(bits(resumed.state.params), bits(straight.state.params), 'the final parameters')
  t.equal(bits(resumed.state.optimizer), bits(straight.state.optimizer), 'the optimizer moments and count')
  t.equal(bits(resumed.state.negatives), bits(straight.state.negatives), 'the replay buffer')
  t.equal(bits(resumed.state), bits(straight.state), 'the whole state')
}

t.test('persistent chains with Adam resume bit for bit on the reference executor', async (t) => {
  await resumesBitwise(t, mlp, { ...pcd, backend: 'reference' })
})

t.test('persistent chains with Adam resume bit for bit natively, float64 and float32', { skip: native ? false : 'the native addon is not built' }, async (t) => {
  await t.test('float64', async (t) => resumesBitwise(t, mlp, { ...pcd, backend: 'native', threads: 2 }))
  await t.test('float32', async (t) => resumesBitwise(t, mlp, { ...pcd, backend: 'native', dtype: 'float32' }))
})

t.test('objectives with random and fixed inputs resume bit for bit: sliced score matching, NCE', async (t) => {
  await resumesBitwise(t, mlp, { objective: train.scoreMatching({ kind: 'sliced', projections: 2 }), optimizer: train.momentum({ lr: 0.01, momentum: 0.9, nesterov: true }), batchSize: 8, steps: N, seed: 4, backend: 'reference' })
  const x1 = Float64Array.from(data.filter((_v, i) => i % 2 === 0))
  const nce = train.fit(gaussian1d(), x1, { objective: train.nce({ ratio: 2 }), optimizer: train.adamw({ lr: 0.05 }), batchSize: 8, steps: 3, seed: 4, checkpoint: { dir: freshDir(), every: 1 } })
  t.same(Object.keys((await nce).state.fixed).sort(), ['noiseLogNormaliser', 'noiseMean', 'noiseScale', 'noiseWhitening'].sort(), 'NCE fixes its noise')
})

t.test('a run writes a checkpoint every `every` steps: an aborted run leaves the last one', async (t) => {
  const dir = freshDir()
  const controller = new AbortController()
  let draws = 0
  const counting = train.drawn({ draw: ({ count }) => (++draws === 5 && controller.abort(), new Float64Array(2 * count)) })
  const o: train.FitOptions = { objective: train.contrastive(), negatives: counting, optimizer: train.sgd({ lr: 0.01 }), batchSize: 8, steps: N, seed: 3, backend: 'reference', checkpoint: { dir, every: 2 }, signal: controller.signal }
  await t.rejects(train.fit(quadratic([0, 0]), data, o), { name: 'AbortError', message: 'train.fit: aborted after 5 steps' })
  t.equal((await loadCheckpoint(dir)).state.step, 4, 'steps 2 and 4 were written; step 5 ran but is no multiple of 2')
  await t.rejects(train.fit(quadratic([0, 0]), data, { ...o, signal: undefined, steps: 3, resume: await loadCheckpoint(dir) }), { message: "train.fit: steps: expected at least the checkpoint's 4 steps, got 3" })
  const done = await train.fit(quadratic([0, 0]), data, { ...o, signal: undefined, steps: 4, resume: await loadCheckpoint(dir) })
  t.same(done.records, [], 'resuming at the last step runs nothing')
})

t.test('a checkpoint of other options is refused, naming the first difference', async (t) => {
  const dir = freshDir()
  const o: train.FitOptions = { ...pcd, steps: 2, backend: 'reference', checkpoint: { dir, every: 1 } }
  await train.fit(mlp(), data, o)
  const resume = await loadCheckpoint(dir)
  const refused = (e: energy.Energy, x: ArrayLike<number>, other: Partial<train.FitOptions>, message: string | RegExp) =>
    t.rejects(train.fit(e, x, { ...o, checkpoint: undefined, resume, ...other }), { name: 'RangeError', message }, String(message))
  await refused(energy.mlp({ widths: [3, 8, 1], seed: 5 }), gaussianData(40, [0, 0, 0], [1, 0, 0, 0, 1, 0, 0, 0, 1], 1), {}, "train.fit: resume: energy.shape[0]: expected 3 (this run's), got 2 (the checkpoint's)")
  await refused(quadratic([0, 0]), data, {}, 'train.fit: resume: energy.name: expected "quadratic" (this run\'s), got "mlp" (the checkpoint\'s)')
  await refused(mlp(), data, { optimizer: train.sgd({ lr: 0.02 }) }, 'train.fit: resume: optimizer.kind: expected "sgd" (this run\'s), got "adam" (the checkpoint\'s)')
  await refused(mlp(), data, { optimizer: train.adam({ lr: 0.02 }) }, 'train.fit: resume: optimizer.lr.kind: expected "constant" (this run\'s), got "cosine" (the checkpoint\'s)')
  await refused(mlp(), data, { batchSize: 4 }, "train.fit: resume: batchSize: expected 4 (this run's), got 8 (the checkpoint's)")
  await refused(mlp(), data, { seed: 10 }, "train.fit: resume: seed: expected 10 (this run's), got 9 (the checkpoint's)")
  await refused(mlp(), data.map((v) => v + 1), {}, /^train.fit: resume: data.sha256: expected "[0-9a-f]{64}" \(this run's\), got "[0-9a-f]{64}" \(the checkpoint's\)$/)
  await refused(mlp(), data, { negatives: train.persistent({ kernel: sampler.mala({ stepSize: 0.05 }), steps: 4, init: { kind: 'normal', std: 1.5 }, bufferSize: 64, reinit: 0.2 }) }, "train.fit: resume: negatives.bufferSize: expected 64 (this run's), got 32 (the checkpoint's)")
  await refused(mlp(), data, { params: { b1: [0] } }, 'train.fit: params: expected none when resuming (the checkpoint holds the parameters), got an object with keys b1')
  // A checkpoint whose record agrees but whose arrays do not (written by hand, or by a broken writer).
  const shortBuffer = join(root, 'short-buffer')
  await saveCheckpoint(shortBuffer, { ...resume.state, negatives: { buffer: resume.state.negatives.buffer?.subarray(2) ?? null } }, resume.meta)
  await t.rejects(train.fit(mlp(), data, { ...o, checkpoint: undefined, resume: await loadCheckpoint(shortBuffer) }), { message: 'train.fit: resume: negatives/buffer: expected 64 values, as these options need, got a Float64Array of length 62' })
  const noMoment = join(root, 'no-moment')
  const { W0: _dropped, ...m } = resume.state.optimizer.slots.m
  await saveCheckpoint(noMoment, { ...resume.state, optimizer: { ...resume.state.optimizer, slots: { ...resume.state.optimizer.slots, m } } }, resume.meta)
  await t.rejects(train.fit(mlp(), data, { ...o, checkpoint: undefined, resume: await loadCheckpoint(noMoment) }), { message: 'train.fit: resume: optimizer/m/W0: expected 16 values, as these options need, got undefined' })
})

t.test('the backend, dtype and thread count may change on resume', { skip: native ? false : 'the native addon is not built' }, async (t) => {
  const dir = freshDir()
  await train.fit(mlp(), data, { ...pcd, steps: K, backend: 'native', dtype: 'float32', threads: 1, checkpoint: { dir, every: K } })
  const resumed = await train.fit(mlp(), data, { ...pcd, backend: 'reference', resume: await loadCheckpoint(dir) })
  t.equal(resumed.state.step, N)
})

t.test('a run writes a checkpoint when `seconds` have passed or `records` records were trained on since the last, with or without `every`', async (t) => {
  // Aborted at its 3rd draw: 3 steps done. every 2 alone writes step 2; a due time that every step
  // passes writes step 3; one that none passes writes nothing before the end (an aborted run has none).
  const run = async (checkpoint: train.CheckpointOptions) => {
    const controller = new AbortController()
    let draws = 0
    const counting = train.drawn({ draw: ({ count }) => (++draws === 3 && controller.abort(), new Float64Array(2 * count)) })
    const o: train.FitOptions = { objective: train.contrastive(), negatives: counting, optimizer: train.sgd({ lr: 0.01 }), batchSize: 8, steps: N, seed: 3, backend: 'reference', checkpoint, signal: controller.signal }
    await t.rejects(train.fit(quadratic([0, 0]), data, o), { name: 'AbortError' })
  }
  const [a, b, c] = [freshDir(), freshDir(), freshDir()]
  await run({ dir: a, every: 2 })
  t.equal((await loadCheckpoint(a)).state.step, 2)
  await run({ dir: b, every: 1000, seconds: 1e-9 })
  t.equal((await loadCheckpoint(b)).state.step, 3)
  await run({ dir: c, seconds: 3600 })
  await t.rejects(loadCheckpoint(c))
  // 8 records a step: 17 records are reached at the 3rd step (16 at the 2nd are not enough).
  const [d, e] = [freshDir(), freshDir()]
  await run({ dir: d, records: 17 })
  t.equal((await loadCheckpoint(d)).state.step, 3)
  await run({ dir: e, records: 16 })
  t.equal((await loadCheckpoint(e)).state.step, 2)
  await t.rejects(train.fit(quadratic([0, 0]), data, { objective: train.contrastive(), negatives: train.drawn({ draw: ({ count }) => new Float64Array(2 * count) }), optimizer: train.sgd({ lr: 0.01 }), batchSize: 8, steps: 1, seed: 3, checkpoint: { dir: c } as train.CheckpointOptions }), { message: /^train.fit: checkpoint: expected every \(steps\), records, seconds, or any of them/ })
})
