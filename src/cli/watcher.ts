/**
 * What `heatbath watch` does with each record, test-then-train as `stream.prequential` does: score it
 * with the model as it stands, compare the score with a threshold calibrated on the scores before it,
 * feed it to a drift detector (the learner reacting to a drift before it learns the record), then learn
 * it. Everything it carries is a plain value that a checkpoint holds: the learner's trainer state as
 * tensors, and the rest (the learner's counts and memory, the threshold's window, the detector's state)
 * as JSON, whose numbers round-trip float64 exactly.
 *
 * @module
 */
import { quantile as ofSorted } from '../diagnostics/draws.js'
import * as diagnostics from '../diagnostics/index.js'
import type { Json } from '../energy/index.js'
import type { CheckpointState } from '../io/index.js'
import * as ir from '../ir/index.js'
import { sortedWindow } from '../stream/sorted-window.js'
import type * as train from '../train/index.js'

/** The threshold: the `quantile` of the last `window` scores before each record. */
export interface ThresholdSettings {
  readonly window: number
  readonly quantile: number
}

/** What one record came to. */
export interface Watched {
  /** The record's index since the first run began. */
  readonly index: number
  readonly score: number
  /** The threshold the score was compared with; null while the window fills. */
  readonly threshold: number | null
  readonly flagged: boolean
  /** The drift the detector signalled at this record, or null. */
  readonly drift: diagnostics.Drift | null
  /** Whether learning the record ran an update of the parameters. */
  readonly updated: boolean
}

/** A watcher's state besides the trainer's tensors: what a checkpoint keeps as JSON. */
interface Carried {
  readonly seen: number
  readonly sinceRestart: number
  readonly drifts: number
  readonly trained: boolean
  readonly memory: { readonly filled: number; readonly seen: number; readonly rows: readonly number[] }
  readonly threshold: readonly number[]
  readonly detector: Json
}

/** A watcher: its step, and its state as a checkpoint holds it. */
export interface Watcher {
  /**
   * Scores, thresholds, watches and learns one record. `behind(n)` gives the first n records waiting
   * after it: those before the learner's next update point (the model cannot change before it) are
   * scored with it in one batch, and their scores kept for their own steps, which must follow in order.
   */
  readonly step: (x: Float64Array, behind?: (n: number) => readonly Float64Array[]) => Promise<Watched>
  /** Records learnt since the first run began. */
  readonly seen: () => number
  readonly drifts: () => number
  readonly snapshot: () => { readonly state: CheckpointState; readonly carried: Json }
}

const chunkRows = 64

const memoryRows = (m: train.Memory): number[] => {
  const out: number[] = []
  for (const chunk of m.chunks) out.push(...chunk)
  return out.slice(0, m.filled * m.dimension)
}

const memoryOf = (empty: train.Memory, saved: Carried['memory']): train.Memory => {
  const rows = Float64Array.from(saved.rows)
  const D = empty.dimension
  const chunks = empty.chunks.map((chunk, c) => {
    const filled = chunk.slice()
    filled.set(rows.subarray(Math.min(rows.length, c * chunkRows * D), Math.min(rows.length, c * chunkRows * D + chunk.length)))
    return filled
  })
  return { ...empty, chunks, filled: saved.filled, seen: saved.seen }
}

const trainerState = (s: train.OnlineState): CheckpointState =>
  s.train ?? { step: 0, params: s.params, optimizer: { t: 0, slots: {} }, negatives: { buffer: null }, fixed: {} }

/** The learner's state from a checkpoint's tensors and JSON. */
const restored = (learner: train.OnlineLearner, state: CheckpointState, c: Carried): train.OnlineState => {
  const start = learner.init()
  return { seen: c.seen, sinceRestart: c.sinceRestart, drifts: c.drifts, params: state.params, train: c.trained ? (state as train.OnlineState['train']) : null, memory: memoryOf(start.memory, c.memory) }
}

/**
 * A watcher over `learner`, with a fresh state or the one a checkpoint held (`from`), scoring at most
 * `batchLimit` records in one batch. The scores are the same bits however the records are batched.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics, energy, train } from 'heatbath'
 * import { watcher } from './watcher.js'
 * const learner = train.online(energy.quadratic({ center: [0, 0] }), { objective: train.scoreMatching({ kind: 'exact' }), optimizer: train.sgd({ lr: 0.5 }), batchSize: 2, seed: 1, backend: 'reference' })
 * const w = watcher(learner, { window: 2, quantile: 0.5 }, diagnostics.pageHinkley())
 * const out = []
 * const xs = [[1, 1], [1, 1], [1, 1], [3, 4]].map((x) => Float64Array.from(x))
 * // All four wait: records 0 and 1 are scored in one batch, then 2 and 3 after the update at record 1.
 * for (const [i, x] of xs.entries()) out.push(await w.step(x, (n) => xs.slice(i + 1, i + 1 + n)))
 * assert.deepEqual(out.map((r) => r.score), [1, 1, 0.25, 9.25]) // ½‖x − θ‖², θ = (½, ½) after the update at record 1
 * assert.deepEqual(out.map((r) => r.flagged), [false, false, false, true])
 * // A watcher restored from its snapshot goes on with the same bits.
 * const again = watcher(learner, { window: 2, quantile: 0.5 }, diagnostics.pageHinkley(), w.snapshot())
 * assert.deepEqual(await again.step(Float64Array.of(2, 2)), await w.step(Float64Array.of(2, 2)))
 */
export const watcher = <S>(learner: train.OnlineLearner, threshold: ThresholdSettings, detector: diagnostics.DriftDetector<S> | null, from?: { readonly state: CheckpointState; readonly carried: Json }, batchLimit = 256): Watcher => {
  const carried = from?.carried as Carried | undefined
  let state = from === undefined || carried === undefined ? learner.init() : restored(learner, from.state, carried)
  let watching = carried === undefined || detector === null ? detector?.init() : (carried.detector as S)
  const recent: number[] = [...(carried?.threshold ?? [])]
  const window = sortedWindow(threshold.window)
  for (const s of recent) window.push(s, 0)
  const D = ir.size(learner.energy.shape)

  // Scores given ahead of their records' steps, in order: valid until the next update, which they stop short of.
  const ahead: { readonly x: Float64Array; readonly score: number }[] = []
  const scoreOf = (x: Float64Array, behind: (n: number) => readonly Float64Array[]): number => {
    if (ahead.length > 0 && ahead[0].x === x) return (ahead.shift() as (typeof ahead)[number]).score
    ahead.length = 0
    const batch = [x, ...behind(Math.min(batchLimit, learner.dueIn(state)) - 1)]
    const rows = new Float64Array(batch.length * D)
    batch.forEach((r, i) => rows.set(r.length === D ? r : r.subarray(0, D), i * D))
    const scores = learner.scoreMany(state, rows).score
    for (let i = 1; i < batch.length; i++) ahead.push({ x: batch[i], score: scores[i] })
    return scores[0]
  }

  const step = async (x: Float64Array, behind: (n: number) => readonly Float64Array[] = () => []): Promise<Watched> => {
    const index = state.seen
    const score = scoreOf(x, behind)
    const full = window.length() === threshold.window
    // The window is kept sorted: its quantile without the copy and sort of diagnostics.quantile, the same bits.
    const limit = full ? ofSorted(window.scores, threshold.quantile) : null
    window.push(score, 0)
    recent.push(score)
    if (recent.length > threshold.window) recent.shift()
    let drift: diagnostics.Drift | null = null
    if (detector !== null) {
      const [next, signalled] = detector.update(watching as S, score)
      watching = next
      drift = signalled
      if (drift !== null) state = learner.drift(state)
    }
    const [next, update] = await learner.learnOne(state, x)
    state = next
    return { index, score, threshold: limit, flagged: limit !== null && score > limit, drift, updated: update !== null }
  }

  const snapshot = () => ({
    state: trainerState(state),
    carried: {
      seen: state.seen,
      sinceRestart: state.sinceRestart,
      drifts: state.drifts,
      trained: state.train !== null,
      memory: { filled: state.memory.filled, seen: state.memory.seen, rows: memoryRows(state.memory) },
      threshold: [...recent],
      detector: (watching ?? null) as Json,
    } satisfies Carried as unknown as Json,
  })
  return { step, seen: () => state.seen, drifts: () => state.drifts, snapshot }
}
