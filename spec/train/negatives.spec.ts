/**
 * The negative phase: where chains start (CD from the data, short runs
 * from init, persistent chains from the replay buffer with a fraction restarted), the buffer written back
 * without touching the state it came from, the restart rate, and errors for chains that blow up.
 */
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as sampler from '../../src/sampler/index.js'
import * as train from '../../src/train/index.js'
import { purposes, uniformsOf } from '../../src/train/random.js'
import { meanAndError, quadratic } from './fixtures.js'

const e = quadratic([1, -2])
const params = { theta: Float64Array.of(1, -2) }
const still = sampler.ula({ stepSize: 0.1 })
const reference = { backend: 'reference' } as const

t.test('CD-k starts at the data and short runs start at fresh draws of init, keyed by (seed, step)', async (t) => {
  const positives = Float64Array.of(1, 2, 3, 4)
  const cd = train.negativePhase(e, train.contrastiveDivergence({ kernel: still, steps: 0 }), 2, reference)
  t.same([...(await cd.draw({ buffer: null }, positives, params, { seed: 1, step: 0 })).negatives], [1, 2, 3, 4])
  const short = train.negativePhase(e, train.shortRun({ kernel: still, steps: 0, init: { kind: 'uniform', low: -4, high: -3 }, chains: 500 }), 2, reference)
  const a = await short.draw({ buffer: null }, positives, params, { seed: 1, step: 0 })
  t.equal(a.negatives.length, 1000)
  t.ok(a.negatives.every((v) => v > -4 && v < -3), 'inside the init box')
  const b = await short.draw({ buffer: null }, positives, params, { seed: 1, step: 0 })
  t.same(b.negatives, a.negatives, 'the same key gives the same chains')
  const c = await short.draw({ buffer: null }, positives, params, { seed: 1, step: 1 })
  t.notSame(c.negatives, a.negatives, 'another step gives other chains')
  const moved = train.negativePhase(e, train.shortRun({ kernel: sampler.drift({ stepSize: 0.5 }), steps: 1, init: { kind: 'normal', std: 1, mean: 5 } }), 2, reference)
  const start = train.drawInit({ kind: 'normal', std: 1, mean: 5 }, 4, { seed: 2, step: 7 }, purposes.init)
  const d = await moved.draw({ buffer: null }, positives, params, { seed: 2, step: 7 })
  t.same([...d.negatives], [...start].map((v, i) => (v + params.theta[i % 2]) / 2), 'one drift step from the init draws')
  t.ok(d.sampler !== null && d.buffer === null)
})

t.test('persistent chains come from the buffer at Philox indices, restart with probability reinit, and are written back', async (t) => {
  const n = train.persistent({ kernel: sampler.drift({ stepSize: 0.5 }), steps: 1, init: { kind: 'uniform', low: 10, high: 11 }, bufferSize: 50, reinit: 0.2, chains: 20 })
  const phase = train.negativePhase(e, n, 4, reference)
  const state = train.initNegatives(n, 2, 9)
  t.ok(state.buffer !== null && state.buffer.every((v) => v > 10 && v < 11), 'the buffer starts full of init draws')
  const before = (state.buffer as Float64Array).slice()
  const key = { seed: 9, step: 3 }
  const d = await phase.draw(state, new Float64Array(8), params, key)
  t.same(state.buffer, before, 'the given state is not written')
  const picks = uniformsOf(key, purposes.pick, 20).map((u) => Math.floor(u * 50))
  const restarted = uniformsOf(key, purposes.reinit, 20).map((u) => (u < 0.2 ? 1 : 0))
  t.equal(d.buffer?.reinitialised, restarted.reduce((s, v) => s + v, 0))
  t.equal(d.buffer?.size, 50)
  const after = d.state.buffer as Float64Array
  for (let c = 0; c < 20; c++) {
    const row = [d.negatives[2 * c], d.negatives[2 * c + 1]]
    // A chain drawn twice is written back twice; the later one stays.
    if (picks.lastIndexOf(picks[c]) === c) t.same([after[2 * picks[c]], after[2 * picks[c] + 1]], row, `chain ${c} written back at ${picks[c]}`)
    if (!restarted[c]) t.same(row, [0, 1].map((a) => (before[2 * picks[c] + a] + params.theta[a]) / 2), `chain ${c} continued from buffer row ${picks[c]}`)
  }
  const untouched = Array.from({ length: 50 }, (_v, i) => i).filter((i) => !picks.includes(i))
  t.ok(untouched.every((i) => after[2 * i] === before[2 * i] && after[2 * i + 1] === before[2 * i + 1]), 'rows not drawn are unchanged')
})

t.test('the fraction of restarted chains is reinit (4 MCSE over steps)', async (t) => {
  const n = train.persistent({ kernel: still, steps: 0, init: { kind: 'normal', std: 1 }, bufferSize: 1000, chains: 100 })
  const phase = train.negativePhase(e, n, 4, reference)
  let state = train.initNegatives(n, 2, 1)
  const fractions: number[] = []
  for (let k = 0; k < 60; k++) {
    const d = await phase.draw(state, new Float64Array(8), params, { seed: 1, step: k })
    state = d.state
    fractions.push((d.buffer?.reinitialised as number) / 100)
  }
  const { mean, se } = meanAndError(fractions)
  t.ok(Math.abs(mean - 0.05) < 4 * se, `${mean} ± ${se} vs 0.05`)
})

t.test('chains or exact draws that are not finite stop the step with an error naming it', async (t) => {
  const wild = train.negativePhase(e, train.shortRun({ kernel: sampler.drift({ stepSize: 1e308 }), steps: 3, init: { kind: 'normal', std: 1 } }), 2, reference)
  await t.rejects(wild.draw({ buffer: null }, new Float64Array(4), params, { seed: 1, step: 12 }), { name: 'RangeError', message: /^train: step 12, negatives: expected finite chains/ })
  const bad = train.negativePhase(e, train.drawn({ draw: ({ count }) => new Float64Array(count * 2).fill(NaN) }), 2, reference)
  await t.rejects(bad.draw({ buffer: null }, new Float64Array(4), params, { seed: 1, step: 5 }), { message: 'train: step 5, negatives: expected finite positions (a smaller sampler step size may keep them so), got "NaN at value 0"' })
  const short = train.negativePhase(e, train.drawn({ draw: () => new Float64Array(3) }), 2, reference)
  await t.rejects(short.draw({ buffer: null }, new Float64Array(4), params, { seed: 1, step: 0 }), { message: /expected a Float64Array of 2 × 2 values from draw, got "3 values"/ })
})

t.test('negatives refuse bad options with errors that name them', async (t) => {
  t.throws(() => train.persistent({ kernel: still, steps: 10, init: { kind: 'uniform', low: 1, high: 0 } }), { message: 'train.persistent: init.high: expected a number above low = 1, got 0' })
  t.throws(() => train.persistent({ kernel: still, steps: 10, init: { kind: 'normal', std: 1 }, reinit: 2 }), { message: 'train.persistent: reinit: expected a probability in [0, 1], got 2' })
  t.throws(() => train.persistent({ kernel: still, steps: 10, init: { kind: 'normal', std: 1 }, bufferSize: 0 }), { message: 'train.persistent: bufferSize: expected an integer ≥ 1, got 0' })
  t.throws(() => train.shortRun({ kernel: { type: 'teleport' } as unknown as sampler.Kernel, steps: 1, init: { kind: 'normal', std: 1 } }), { name: 'TypeError', message: /train.shortRun: kernel: expected a sampler kernel/ })
  t.throws(() => train.shortRun({ kernel: still, steps: -1, init: { kind: 'normal', std: 1 } }), { message: 'train.shortRun: steps: expected an integer ≥ 0, got -1' })
  t.throws(() => train.shortRun({ kernel: still, steps: 1, init: { kind: 'zeros' } as unknown as train.ChainInit }), { name: 'TypeError', message: /train.shortRun: init: expected a chain initialiser/ })
  t.throws(() => train.contrastiveDivergence({ kernel: still, steps: 1, init: { kind: 'normal', std: 1 } } as train.ContrastiveDivergenceOptions), { message: /unknown option 'init'/ })
  t.throws(() => train.drawn({ draw: 3 } as unknown as train.DrawnOptions), { name: 'TypeError', message: 'train.drawn: draw: expected a function, got 3' })
  const n = train.persistent({ kernel: still, steps: 5, init: { kind: 'normal', std: 2 } })
  t.same(train.checkNegatives(JSON.parse(JSON.stringify(n)), 'negatives'), n)
})
