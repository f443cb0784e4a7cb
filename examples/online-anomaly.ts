/**
 * Online anomaly detection with drift on a live sensor stream: an MLP energy is learnt online from the
 * stream itself (denoising score matching on minibatches from a window of recent records), and every
 * record is scored before the model learns it (prequential, test-then-train), so every score is of a
 * record the model has not seen. The stream (data.sensors) has 4 sensors, 3 operating regimes, 1% of
 * records anomalies (one sensor spiking), an abrupt drift at n/3 and a gradual one from 2n/3 to 5n/6.
 *
 * Drift is watched on the scores of a reference model (the learner as it stood after warm-up), which do
 * not adapt, so a drift keeps them up; the detectors are calibrated on its scores of the warm-up
 * (diagnostics.calibrate). ADWIN runs inside the prequential loop and the learner reacts to each of its
 * drifts by restarting its learning-rate schedule; Page–Hinkley runs beside it for comparison. The
 * threshold is the 0.99-quantile of the last 1000 scores; rolling AUROC and AUPRC are over the last
 * 5000 labelled records.
 *
 * Run: npm run example examples/online-anomaly.ts
 */
import { from, lastValueFrom, map, type OperatorFunction, toArray } from 'rxjs'
import { data, diagnostics, stream } from '../src/index.js'
import { sensorLearner, sensorModel } from './shared/sensor-learner.js'

const quick = process.env.HEATBATH_EXAMPLE_QUICK === '1'
const n = quick ? 12_000 : 60_000
const D = 4
const warmUp = 2000
const s = data.sensors({ n, dimension: D, seed: 1, regimeLength: 1 })
const model = sensorModel(D)
const learner = sensorLearner(model, { onDrift: { restartLearningRate: true } })

const started = performance.now()
const [warm] = await learner.learnMany(learner.init(), s.records.subarray(0, warmUp * D))
const c = diagnostics.calibrate(diagnostics.anomalyScores(model, s.records.subarray((warmUp / 4) * D, warmUp * D), warm.params).score)
// The reference model's clipped scores of the records as they come (stream.score numbers them from 0).
const referenceScores: OperatorFunction<{ readonly x: Float64Array }, { score: number; index: number }> = (records) =>
  records.pipe(
    stream.score(model, warm.params),
    map((r) => ({ score: Math.min(r.score, c.clip), index: r.index + warmUp })),
  )

const live = Array.from({ length: n - warmUp }, (_v, i) => ({ x: s.records.subarray((warmUp + i) * D, (warmUp + i + 1) * D), label: s.labels[warmUp + i] as 0 | 1 }))
const out = await lastValueFrom(
  from(live).pipe(
    stream.prequential(learner, { from: warm, onOverflow: 'buffer', drift: (scored) => scored.pipe(referenceScores, stream.adwin(c.adwin)) }),
    stream.rollingThreshold({ window: 1000, quantile: 0.99 }),
    stream.rollingAuroc({ window: 5000 }),
    stream.rollingAuprc({ window: 5000 }),
    toArray(),
  ),
)
const seconds = (performance.now() - started) / 1000
const pageHinkley = await lastValueFrom(from(live).pipe(referenceScores, stream.pageHinkley(c.pageHinkley), toArray()))

const labels = out.map((r) => r.label ?? 0)
const scores = out.map((r) => r.score)
const normal = out.filter((r) => r.label === 0)
const anomalies = out.filter((r) => r.label === 1)
console.log(`sensor stream: ${n} records, ${D} sensors, ${anomalies.length} anomalies after a warm-up of ${warmUp}; learnt and scored in ${seconds.toFixed(1)} s (${Math.round(n / seconds)} records/s)`)
console.log(`prequential AUROC ${diagnostics.auroc(scores, labels).toFixed(3)}, AUPRC ${diagnostics.auprc(scores, labels).toFixed(3)} (chance ${(anomalies.length / out.length).toFixed(3)})`)
console.log(`threshold (0.99-quantile of the last 1000 scores): flags ${((100 * normal.filter((r) => r.flagged).length) / normal.length).toFixed(2)}% of normal records, ${((100 * anomalies.filter((r) => r.flagged).length) / anomalies.length).toFixed(1)}% of anomalies`)
const marks = [0.25, 0.5, 0.75, 1].map((f) => out[Math.floor(f * (out.length - 1))])
console.log(`rolling AUROC / AUPRC over the last 5000: ${marks.map((r) => `record ${r.index}: ${r.auroc?.toFixed(3)} / ${r.auprc?.toFixed(3)}`).join('; ')}`)

const delays = (events: readonly { index: number }[]) =>
  s.drifts.map((d) => {
    const from = d.kind === 'abrupt' ? d.at : d.start
    const next = s.drifts.find((e) => (e.kind === 'abrupt' ? e.at : e.start) > from)
    const hit = events.find((e) => e.index >= from && (next === undefined || e.index < (next.kind === 'abrupt' ? next.at : next.start)))
    return `${d.kind} drift at ${from}: ${hit === undefined ? 'not found' : `found after ${hit.index - from} records`}`
  })
const adwinEvents = out.flatMap((r) => (r.drift === null ? [] : [r.drift]))
const signals = (k: number) => `${k} signal${k === 1 ? '' : 's'}`
const before = (events: readonly { index: number }[]) => events.filter((e) => e.index < (s.drifts[0].kind === 'abrupt' ? s.drifts[0].at : 0)).length
console.log(`ADWIN (δ = ${c.adwin.delta}, range ${c.range.toFixed(2)}): ${delays(adwinEvents).join('; ')}; ${signals(adwinEvents.length)} in all, ${before(adwinEvents)} before the first drift; the learner reacted to ${out[out.length - 1].state.drifts}`)
console.log(`Page–Hinkley (δ = ${c.sd.toFixed(3)}/2, λ = 50·${c.sd.toFixed(3)}): ${delays(pageHinkley).join('; ')}; ${signals(pageHinkley.length)} in all, ${before(pageHinkley)} before the first drift`)
