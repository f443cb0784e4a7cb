/**
 * Online learning of an energy on a stream of records, in River's conventions as pure transitions:
 * `scoreOne`/`scoreMany` read the state and change nothing; `learnOne`/`learnMany` return the state
 * after learning the records. The learner remembers recent records (a sliding window or a reservoir)
 * and every `updateEvery` records runs one training step on a minibatch drawn from that memory, its
 * persistent chains (the replay buffer) carried from update to update. The optimizer's learning-rate
 * schedule is read on the learner's own clock, the updates since it started or since the last drift,
 * so that a schedule that settles at a floor (`sampler.geometric(0.01, 0.002, 500)`) tracks a moving
 * distribution, and a drift can restart it. On a drift (`drift(state)`, called by whoever detected one)
 * the learner reacts as configured: the schedule restarts, part of the replay buffer is redrawn from the
 * chains' initialiser, the memory forgets what it held.
 *
 * Every random choice is keyed by the seed: the minibatch of update k by (seed, k), the reservoir's
 * choice for record n by (seed, n), the buffer rows the d-th drift refreshes by (seed, d). So the same
 * records and drifts give the same bits.
 *
 * @module
 */
import { boolean, integer, numbers, object, oneOf, options as checkOptions, positiveInteger, probability, seed as checkSeed } from '../check/index.js'
import { anomalyScores, type AnomalyScores, defaultScoreKind, type ScoreKind, scoreKinds } from '../diagnostics/anomaly-score.js'
import { type Energy, type Params } from '../energy/energy.js'
import { flattenPoints, type Points } from '../energy/points.js'
import * as ir from '../ir/index.js'
import * as rng from '../rng/index.js'
import { scheduleAt } from '../sampler/index.js'
import { checkMemory, emptyMemory, forget, type Memory, type MemoryOptions, remember, rows } from './memory.js'
import { drawInit } from './negative-phase.js'
import { startingParams } from './params.js'
import { type Key, purposes, streamOf, uniformsOf } from './random.js'
import { prepareTrainer, type StepRecord, type Trainer, type TrainerOptions, trainerOptionNames, type TrainState } from './step.js'

/** How a learner reacts to a drift. */
export interface DriftReaction {
  /** Restart the learning-rate schedule (a bump back to its start); default true. */
  readonly restartLearningRate?: boolean
  /** The fraction of the replay buffer's chains redrawn from their initialiser; default 0. */
  readonly refresh?: number
  /** Empty the memory, so minibatches come from records after the drift only; default false. */
  readonly forget?: boolean
}

/** Options of {@link online}: the trainer's, and the learner's own. */
export interface OnlineOptions extends TrainerOptions {
  /** The seed of every random draw: an integer in [0, 2^53). */
  readonly seed: number
  /** Initial parameter values by name; default `energy.init(e)` (with the energy's own seed, else `seed`). */
  readonly params?: Readonly<Record<string, ArrayLike<number>>>
  /** What minibatches are drawn from; default { kind: 'window', size: 1024 }. */
  readonly memory?: MemoryOptions
  /** Records between updates; default `batchSize` (each record is then drawn about once, on average). */
  readonly updateEvery?: number
  /** The fewest records the memory must hold for an update to run; default `batchSize`. */
  readonly warmUp?: number
  /** What a drift does; default { restartLearningRate: true, refresh: 0, forget: false }. */
  readonly onDrift?: DriftReaction
  /** The score function of `scoreOne`/`scoreMany`; default by the energy ('jem' for a classifier). */
  readonly score?: ScoreKind
}

/** The option names of {@link online}. */
export const onlineOptionNames = [...trainerOptionNames, 'seed', 'params', 'memory', 'updateEvery', 'warmUp', 'onDrift', 'score'] as const

/** Everything a learner carries from one record to the next: plain numbers, arrays and values. */
export interface OnlineState {
  /** Records learnt. */
  readonly seen: number
  readonly memory: Memory
  /** The current parameters (the starting ones until the first update). */
  readonly params: Params
  /** The trainer's state (optimizer, replay buffer, updates done); null before the first update. */
  readonly train: TrainState | null
  /** Updates since the learning-rate schedule started or was last restarted. */
  readonly sinceRestart: number
  /** Drifts reacted to. */
  readonly drifts: number
}

/** A prepared online learner. */
export interface OnlineLearner {
  readonly energy: Energy
  readonly trainer: Trainer
  readonly seed: number
  readonly updateEvery: number
  readonly warmUp: number
  /** The state before the first record. */
  readonly init: () => OnlineState
  /** The anomaly score of one record (higher is more anomalous); changes nothing. */
  readonly scoreOne: (state: OnlineState, x: ArrayLike<number>) => number
  /** The scores of many records, batched on the native executor when built; changes nothing. */
  readonly scoreMany: (state: OnlineState, xs: Points) => AnomalyScores
  /** The state after learning one record, with the record of the update it triggered (or null). */
  readonly learnOne: (state: OnlineState, x: ArrayLike<number>, signal?: AbortSignal) => Promise<readonly [OnlineState, StepRecord | null]>
  /** The state after learning records in order, with the records of the updates they triggered. */
  readonly learnMany: (state: OnlineState, xs: Points, signal?: AbortSignal) => Promise<readonly [OnlineState, readonly StepRecord[]]>
  /** Records to learn before the next update point (1 when the next record's learning may update). */
  readonly dueIn: (state: OnlineState) => number
  /** The state after reacting to a drift as configured. */
  readonly drift: (state: OnlineState) => OnlineState
}

const checkReaction = (v: unknown, where: string): Required<DriftReaction> => {
  const o = checkOptions<DriftReaction>(object(v, where), where, ['restartLearningRate', 'refresh', 'forget'])
  return {
    restartLearningRate: boolean(o.restartLearningRate ?? true, `${where}.restartLearningRate`),
    refresh: probability(o.refresh ?? 0, `${where}.refresh`),
    forget: boolean(o.forget ?? false, `${where}.forget`),
  }
}

/**
 * Prepares an online learner of `energy`: checks the options and the trainer's, compiles the objective.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { energy, train } from 'heatbath'
 * // Score matching of E = ½(x − θ)² at η = ½: each update moves θ half-way to its minibatch's mean.
 * const learner = train.online(energy.quadratic({ center: [0] }), { objective: train.scoreMatching({ kind: 'exact' }), optimizer: train.sgd({ lr: 0.5 }), batchSize: 4, seed: 1, backend: 'reference' })
 * let state = learner.init()
 * assert.equal(learner.scoreOne(state, [3]), 4.5) // ½·3², and scoring changes nothing
 * const [after, updates] = await learner.learnMany(state, [[2], [2], [2], [2]])
 * assert.equal(updates.length, 1) // the 4th record filled the memory to warmUp = 4: one update
 * assert.deepEqual([...after.params.theta], [1])
 * assert.equal(after.seen, 4)
 */
export const online = (energy: Energy, options: OnlineOptions): OnlineLearner => {
  const l = learnerOf(energy, options)
  const scoreMany = (s: OnlineState, xs: Points): AnomalyScores => anomalyScores(energy, xs, s.params, l.scoring)
  return Object.freeze({
    energy,
    trainer: l.trainer,
    seed: l.seed,
    updateEvery: l.updateEvery,
    warmUp: l.warmUp,
    init: (): OnlineState => ({ seen: 0, memory: emptyMemory(l.memory, l.D), params: l.params, train: null, sinceRestart: 0, drifts: 0 }),
    scoreOne: (s: OnlineState, x: ArrayLike<number>) => scoreMany(s, l.record(x, s.seen)).score[0],
    scoreMany,
    learnOne: (s: OnlineState, x: ArrayLike<number>, signal?: AbortSignal) => learnOne(l, s, x, signal),
    learnMany: (s: OnlineState, xs: Points, signal?: AbortSignal) => learnMany(l, s, xs, signal),
    dueIn: (s: OnlineState) => l.updateEvery - (s.seen % l.updateEvery),
    drift: (s: OnlineState) => drift(l, s),
  })
}

const where = 'train.online'

/** A learner's checked options, its trainer and starting parameters: what its methods share. */
interface Learner {
  readonly energy: Energy
  readonly D: number
  readonly seed: number
  readonly trainer: Trainer
  readonly memory: MemoryOptions
  readonly updateEvery: number
  readonly warmUp: number
  readonly reaction: Required<DriftReaction>
  readonly scoring: { readonly kind: ScoreKind; readonly backend: 'auto' | 'reference' | 'native'; readonly threads?: number }
  readonly params: Params
  readonly record: (x: ArrayLike<number>, n: number) => Float64Array
}

const learnerOf = (energy: Energy, options: OnlineOptions): Learner => {
  const o = checkOptions<OnlineOptions>(object(options, `${where}: options`), `${where}: options`, onlineOptionNames)
  const seed = checkSeed(o.seed, `${where}: seed`)
  const trainer = prepareTrainer(energy, Object.fromEntries(trainerOptionNames.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as unknown as TrainerOptions, where)
  const memory = checkMemory(o.memory ?? { kind: 'window', size: 1024 }, `${where}: memory`)
  const updateEvery = positiveInteger(o.updateEvery ?? trainer.batchSize, `${where}: updateEvery`)
  const warmUp = integer(o.warmUp ?? trainer.batchSize, `${where}: warmUp`, { min: 1, max: memory.size })
  const reaction = checkReaction(o.onDrift ?? {}, `${where}: onDrift`)
  const kind = oneOf(o.score ?? defaultScoreKind(energy), `${where}: score`, scoreKinds)
  const scoring = { kind, backend: o.backend ?? 'auto', ...(o.threads === undefined ? {} : { threads: o.threads }) }
  const known = Object.fromEntries(Object.entries(trainer.program.params).map(([n, spec]) => [n, spec.shape]))
  const params = startingParams(energy, o.params, known, seed, where)
  const D = ir.size(energy.shape)
  return {
    energy,
    D,
    seed,
    trainer,
    memory,
    updateEvery,
    warmUp,
    reaction,
    scoring,
    params,
    record: (x, n) => numbers(x, `${where}: record ${n}`, { length: D, lengthReason: `configurations of shape ${ir.showShape(energy.shape)}` }),
  }
}

// One training step on a minibatch drawn from the memory, at the learning rate of the steps since a restart.
const update = async (l: Learner, s: OnlineState, signal?: AbortSignal): Promise<readonly [OnlineState, StepRecord]> => {
  const step = s.train?.step ?? 0
  const key: Key = { seed: l.seed, step }
  const picks = uniformsOf(key, purposes.minibatch, l.trainer.batchSize).map((u) => Math.floor(u * s.memory.filled))
  const batch = rows(s.memory, picks)
  const current = s.train ?? l.trainer.init(batch, s.params, l.seed)
  const [next, stepRecord] = await l.trainer.step(current, batch, key, signal, scheduleAt(l.trainer.optimizer.lr, s.sinceRestart))
  return [{ ...s, params: next.params, train: next, sinceRestart: s.sinceRestart + 1 }, stepRecord]
}

const learnOne = async (l: Learner, s: OnlineState, x: ArrayLike<number>, signal?: AbortSignal): Promise<readonly [OnlineState, StepRecord | null]> => {
  const row = l.record(x, s.seen)
  const u = l.memory.kind === 'reservoir' ? rng.uniform(l.seed, streamOf(0, purposes.reservoir), s.seen) : 0
  const next: OnlineState = { ...s, seen: s.seen + 1, memory: remember(s.memory, row, u) }
  if (next.seen % l.updateEvery !== 0 || next.memory.filled < l.warmUp) return [next, null]
  return update(l, next, signal)
}

const learnMany = async (l: Learner, s: OnlineState, xs: Points, signal?: AbortSignal): Promise<readonly [OnlineState, readonly StepRecord[]]> => {
  if (xs.length === 0) return [s, []]
  const all = flattenPoints(l.energy, xs, `${where}: records`)
  const updates: StepRecord[] = []
  let state = s
  for (let r = 0; r < all.length / l.D; r++) {
    const [next, stepRecord] = await learnOne(l, state, all.subarray(r * l.D, (r + 1) * l.D), signal)
    if (stepRecord !== null) updates.push(stepRecord)
    state = next
  }
  return [state, updates]
}

// The persistent chains with a share `refresh` of them redrawn from the initial distribution.
const refreshed = (l: Learner, s: OnlineState): TrainState | null => {
  const train = s.train
  const buffer = train?.negatives.buffer ?? null
  if (train === null || buffer === null || l.reaction.refresh <= 0 || l.trainer.negatives?.kind !== 'persistent') return train
  const key: Key = { seed: l.seed, step: s.drifts }
  const redraw = uniformsOf(key, purposes.refresh, buffer.length / l.D)
  const fresh = drawInit(l.trainer.negatives.init, buffer.length, key, purposes.init)
  const next = buffer.slice()
  for (let r = 0; r < redraw.length; r++) if (redraw[r] < l.reaction.refresh) next.set(fresh.subarray(r * l.D, (r + 1) * l.D), r * l.D)
  return { ...train, negatives: { buffer: next } }
}

const drift = (l: Learner, s: OnlineState): OnlineState => ({
  ...s,
  train: refreshed(l, s),
  memory: l.reaction.forget ? forget(s.memory) : s.memory,
  sinceRestart: l.reaction.restartLearningRate ? 0 : s.sinceRestart,
  drifts: s.drifts + 1,
})
