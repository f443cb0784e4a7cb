/**
 * The verification, CI-sized (examples/online-anomaly.ts runs it longer): an MLP energy learnt
 * online (denoising score matching, test-then-train) on a synthetic sensor stream scores its injected
 * anomalies with AUROC ≥ 0.95 after warm-up; a reference model frozen after warm-up scores the stream,
 * and Page–Hinkley and ADWIN over those scores find the abrupt drift within 100 records and ADWIN the
 * gradual one within 1000 records of its start, with no alarm before either; on a stationary stream of
 * 10⁶ records neither detector alarms. And OOD on toy data: trained online on 8gaussians, points of a
 * shifted distribution score above held-out points with AUROC ≥ 0.99.
 */
import { from, lastValueFrom, toArray } from 'rxjs'
import t from 'tap'
import { sensorLearner, sensorModel } from '../../examples/shared/sensor-learner.js'
import { data, diagnostics, energy, sampler, stream, train } from '../../src/index.js'

const D = 4
const n = 12_000
const warmUp = 2000
// The example's learner (examples/shared/sensor-learner.ts).
const model = sensorModel(D)
const learner = sensorLearner(model)
// Regimes drawn record by record (a mixture), so that a frozen model's scores are independent while the
// process is stationary, as both detectors assume.
const sensorStream = (o: Partial<data.SensorOptions>) => data.sensors({ n, dimension: D, seed: 1, regimeLength: 1, ...o })
const recordsOf = (s: data.SensorStream) => Array.from({ length: s.labels.length }, (_v, i) => ({ x: s.records.subarray(i * D, (i + 1) * D), label: s.labels[i] as 0 | 1 }))

// A reference model (the learner's parameters after warm-up) scores the stream; the detectors are
// calibrated on its scores of the warm-up's last three quarters (diagnostics.calibrate: scores clipped at
// their 0.99-quantile, Page–Hinkley's δ = ½ sd and λ = 50 sd, ADWIN's range the clipped span).
const referenceScores = async (s: data.SensorStream) => {
  const [state] = await learner.learnMany(learner.init(), s.records.subarray(0, warmUp * D))
  const scores = diagnostics.anomalyScores(model, s.records, state.params).score
  const c = diagnostics.calibrate(scores.subarray(warmUp / 4, warmUp))
  return { clipped: scores.subarray(warmUp).map((v) => Math.min(v, c.clip)), c }
}
const alarms = async (scores: Float64Array, c: diagnostics.Calibration) => {
  const out: Record<string, number[]> = {}
  for (const [name, detector] of Object.entries({ pageHinkley: stream.pageHinkley(c.pageHinkley), adwin: stream.adwin(c.adwin) })) {
    const events = await lastValueFrom(from(scores).pipe(detector, toArray()))
    out[name] = events.map((e) => e.index + warmUp)
  }
  return out
}

t.test('an energy learnt online scores the sensor anomalies with AUROC ≥ 0.95 after warm-up', async (t) => {
  const s = sensorStream({})
  const out = await lastValueFrom(from(recordsOf(s)).pipe(stream.prequential(learner, { onOverflow: 'buffer' }), toArray()))
  const after = out.slice(warmUp)
  const a = diagnostics.auroc(after.map((r) => r.score), after.map((r) => r.label ?? 0))
  t.ok(a >= 0.95, `AUROC ${a} over ${after.length} records, ${after.filter((r) => r.label === 1).length} anomalies, two drifts among them`)
})

t.test('Page–Hinkley and ADWIN find the abrupt drift within 100 records, ADWIN the gradual one within 1000, and neither alarms before', async (t) => {
  const s = sensorStream({})
  const [abrupt, gradual] = s.drifts
  if (abrupt.kind !== 'abrupt' || gradual.kind !== 'gradual') throw new Error('sensors: expected an abrupt then a gradual drift')
  const { clipped, c } = await referenceScores(s)
  const found = await alarms(clipped, c)
  for (const [name, at] of Object.entries(found)) {
    t.ok(at.length > 0 && at[0] >= abrupt.at && at[0] < abrupt.at + 100, `${name}: first alarm at ${at[0]}, the abrupt drift at ${abrupt.at}`)
  }
  const late = found.adwin.filter((i) => i >= gradual.start)
  t.ok(late.length > 0 && late[0] < gradual.start + 1000, `adwin: first alarm at ${late[0]} after the gradual drift's start at ${gradual.start}`)
})

t.test('neither detector alarms on a stationary sensor stream of 10⁶ records', async (t) => {
  const s = sensorStream({ n: 1_000_000 + warmUp, abrupt: null, gradual: null })
  const { clipped, c } = await referenceScores(s)
  const found = await alarms(clipped, c)
  t.same(found, { pageHinkley: [], adwin: [] }, `${clipped.length} scores`)
})

t.test('an energy learnt online on 8gaussians scores a shifted 8gaussians out of distribution with AUROC ≥ 0.99', async (t) => {
  const toy = energy.mlp({ widths: [2, 32, 32, 1], activation: 'silu', seed: 0 })
  const ood = train.online(toy, {
    objective: train.contrastive(),
    negatives: train.persistent({ kernel: sampler.ula({ stepSize: 0.02 }), steps: 20, init: { kind: 'uniform', low: -4.5, high: 4.5 }, bufferSize: 4000 }),
    optimizer: train.adam({ lr: sampler.geometric(0.01, 0.002, 300), betas: [0.5, 0.999] }),
    batchSize: 128,
    updateEvery: 16,
    memory: { kind: 'reservoir', size: 4000 },
    seed: 2,
  })
  const [state] = await ood.learnMany(ood.init(), data.toy('8gaussians', 20_000, 1))
  const inside = data.toy('8gaussians', 2000, 2)
  // The same eight modes on a ring 1.6 times as wide: 4.5 from the centre, 1.7 (about 5σ) beyond the data's.
  const shifted = data.toy('8gaussians', 2000, 3).map((v) => 1.6 * v)
  const scores = [...ood.scoreMany(state, inside).score, ...ood.scoreMany(state, shifted).score]
  const a = diagnostics.auroc(scores, scores.map((_v, i) => (i < 2000 ? 0 : 1)))
  t.ok(a >= 0.99, `AUROC ${a}`)
})
