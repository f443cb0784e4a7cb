import t from 'tap'
import { data, energy, sampler, train } from '../../src/index.js'
import { emptyMemory, remember, rows } from '../../src/train/memory.js'
import { purposes, uniformsOf } from '../../src/train/random.js'

const D = 2
const gaussian = energy.gaussian({ mean: [0.5, -1], precision: [[2, 0.3], [0.3, 1]] })
const points = data.toy('8gaussians', 300, 4)
const pcd = (o: Partial<train.OnlineOptions> = {}) =>
  train.online(energy.mlp({ widths: [D, 8, 1], activation: 'silu', seed: 0 }), {
    objective: train.contrastive(),
    negatives: train.persistent({ kernel: sampler.ula({ stepSize: 0.05 }), steps: 5, init: { kind: 'uniform', low: -3, high: 3 }, bufferSize: 400 }),
    optimizer: train.sgd({ lr: sampler.geometric(0.05, 0.01, 4) }),
    batchSize: 16,
    updateEvery: 8,
    memory: { kind: 'reservoir', size: 100 },
    seed: 3,
    backend: 'reference',
    ...o,
  })

// A deep copy of a state's arrays, to compare against after a call that must not write them.
const snapshot = (v: unknown): unknown =>
  ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : Array.isArray(v) ? v.map(snapshot) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, snapshot(x)])) : v

t.test('scoreOne and scoreMany change nothing, and learning writes no state it is given', async (t) => {
  const learner = pcd()
  const [s] = await learner.learnMany(learner.init(), points.subarray(0, 100 * D))
  const before = snapshot(s)
  const one = learner.scoreOne(s, [0.3, 0.2])
  t.equal(learner.scoreOne(s, [0.3, 0.2]), one, 'the same score twice')
  t.equal(learner.scoreMany(s, [[0.3, 0.2], [1, 1]]).score[0], one, 'one record scored alone or in a batch')
  await learner.learnMany(s, points.subarray(100 * D, 200 * D))
  learner.drift(s)
  t.same(snapshot(s), before, 'the state is as it was')
})

t.test('the same seed and records give the same bits, and learnMany is learnOne in order', async (t) => {
  const learner = pcd()
  const [a, updates] = await learner.learnMany(learner.init(), points)
  let b = learner.init()
  let count = 0
  for (let i = 0; i < points.length / D; i++) {
    const [next, u] = await learner.learnOne(b, points.subarray(i * D, (i + 1) * D))
    if (u !== null) count++
    b = next
  }
  t.same(snapshot(a), snapshot(b))
  t.equal(updates.length, count)
  // 300 records, an update every 8 once the reservoir holds 16: records 16, 24, …, 296.
  t.equal(count, 36)
  t.same(snapshot((await pcd().learnMany(pcd().init(), points))[0]), snapshot(a), 'a second learner, the same bits')
})

t.test('the replay buffer is carried from update to update: each update starts from the last one’s chains', async (t) => {
  const learner = pcd()
  const [s1] = await learner.learnMany(learner.init(), points.subarray(0, 16 * D))
  const b1 = s1.train?.negatives.buffer
  t.ok(b1 instanceof Float64Array, 'a buffer after the first update')
  const [s2] = await learner.learnMany(s1, points.subarray(16 * D, 24 * D))
  // The second update is the trainer's step from s1's state (its chains, its optimizer), on the
  // minibatch the learner draws from its memory with key (seed, 1), at the schedule's rate for update 1.
  const key = { seed: 3, step: 1 }
  const picks = uniformsOf(key, purposes.minibatch, 16).map((u) => Math.floor(u * s2.memory.filled))
  const lr = sampler.scheduleAt(sampler.geometric(0.05, 0.01, 4), 1)
  const [stepped] = await learner.trainer.step(s1.train as train.TrainState, rows(s2.memory, picks), key, undefined, lr)
  t.same(snapshot(s2.train), snapshot(stepped), 'the same bits as a step from the last state')
  const fresh = learner.trainer.init(rows(s2.memory, picks), s1.params, 3)
  const [restarted] = await learner.trainer.step({ ...(s1.train as train.TrainState), negatives: fresh.negatives }, rows(s2.memory, picks), key, undefined, lr)
  t.notSame(snapshot(restarted.negatives), snapshot(s2.train?.negatives), 'not those of a step from fresh chains')
  t.not(s2.train?.negatives.buffer, b1, 'a new buffer')
  t.equal(s2.train?.step, 2)
})

t.test('the learning rate follows the schedule on the learner’s clock, and a drift restarts it', async (t) => {
  const learner = train.online(gaussian, { objective: train.scoreMatching({ kind: 'exact' }), optimizer: train.sgd({ lr: sampler.geometric(0.4, 0.1, 3) }), batchSize: 4, seed: 1, backend: 'reference' })
  const rates: number[] = []
  let s = learner.init()
  for (let i = 0; i < 40; i++) {
    if (i === 20) s = learner.drift(s)
    const [next, u] = await learner.learnOne(s, points.subarray(i * D, (i + 1) * D))
    if (u !== null) rates.push(u.learningRate)
    s = next
  }
  const g = (k: number) => sampler.scheduleAt(sampler.geometric(0.4, 0.1, 3), k)
  t.same(rates, [0, 1, 2, 3, 4, 0, 1, 2, 3, 4].map(g), '5 updates, the drift, 5 more from the start')
  t.equal(s.drifts, 1)
})

t.test('a drift redraws the configured fraction of the replay buffer and can empty the memory', async (t) => {
  const learner = pcd({ onDrift: { refresh: 0.3, forget: true, restartLearningRate: false } })
  const [s] = await learner.learnMany(learner.init(), points.subarray(0, 64 * D))
  const after = learner.drift(s)
  const b0 = s.train?.negatives.buffer as Float64Array
  const b1 = after.train?.negatives.buffer as Float64Array
  const chains = b0.length / D
  let changed = 0
  for (let c = 0; c < chains; c++) if (b0[c * D] !== b1[c * D] || b0[c * D + 1] !== b1[c * D + 1]) changed++
  // Each of the 400 chains is redrawn with probability 0.3: 4 binomial standard deviations.
  const sd = Math.sqrt(chains * 0.3 * 0.7)
  t.ok(Math.abs(changed - 0.3 * chains) < 4 * sd, `${changed} of ${chains} chains redrawn`)
  t.equal(after.memory.filled, 0, 'the memory forgot')
  t.equal(after.sinceRestart, s.sinceRestart, 'the schedule runs on')
})

t.test('a window remembers the last records; a reservoir a uniform sample of all of them', async (t) => {
  let w = emptyMemory({ kind: 'window', size: 5 }, 1)
  for (let i = 0; i < 13; i++) w = remember(w, [i], 0.5)
  t.same([...rows(w, [0, 1, 2, 3, 4])].sort((a, b) => a - b), [8, 9, 10, 11, 12])
  // 400 learners with reservoirs of 10 over 50 records: each record is kept with probability 1/5.
  const n = 50
  const kept = new Float64Array(n)
  const runs = 400
  for (let seed = 0; seed < runs; seed++) {
    const learner = train.online(gaussian, { objective: train.scoreMatching({ kind: 'exact' }), optimizer: train.sgd({ lr: 0.1 }), batchSize: 4, seed, memory: { kind: 'reservoir', size: 10 }, updateEvery: 1000, backend: 'reference' })
    const [s] = await learner.learnMany(learner.init(), Array.from({ length: n }, (_v, i) => [i, 0]))
    for (const v of rows(s.memory, Array.from({ length: 10 }, (_v, i) => i)).filter((_v, i) => i % D === 0)) kept[v]++
  }
  const sd = Math.sqrt(runs * 0.2 * 0.8)
  const worst = Math.max(...kept.map((k) => Math.abs(k - runs * 0.2)))
  // 50 records: the largest of 50 deviations stays within 4 sd (each exceeds it with probability 6e-5).
  t.ok(worst < 4 * sd, `the largest deviation from ${runs * 0.2} is ${worst}, 4 sd = ${4 * sd}`)
})
