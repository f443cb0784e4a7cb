/**
 * Resuming from a checkpoint: what a checkpoint records of a run's options, and the checks that the run
 * resuming it is the same run. Options and checkpoint are compared as JSON, path by path, and the first
 * difference is named (`train.fit: resume: optimizer.kind: expected "sgd" (this run's), got "adam" (the
 * checkpoint's)`): the energy by name, input shape and parameter shapes (a function such as an energy's
 * builder or a `drawn` sampler is not data, so it cannot be compared), the objective, the negatives, the
 * optimizer with its hyperparameters, the batch size, the seed and, for `train.fit`, the data. Then every
 * array of the state must have the length these options give it. The backend, dtype and thread count
 * may change: the results do not depend on the thread count, and on the same backend and dtype a resumed
 * run repeats the bits of an uninterrupted one.
 *
 * @module
 */
import { object, rangeError } from '../check/index.js'
import { type Json } from '../energy/energy.js'
import * as ir from '../ir/index.js'
import { type Checkpoint } from '../io/checkpoint.js'
import { tensorsOf } from '../io/checkpoint-tensors.js'
import { initOptimizer } from './optimize.js'
import { stateLength } from './negatives.js'
import { type Trainer, type TrainState } from './step.js'

/**
 * The options of a trainer that a checkpoint records, as JSON.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { quadratic } from '../energy/index.js'
 * import { scoreMatching } from './score-matching.js'
 * import { sgd } from './sgd.js'
 * import { trainer } from './step.js'
 * import { recordedOptions } from './resume.js'
 * const o = recordedOptions(trainer(quadratic({ center: [0, 0] }), { objective: scoreMatching({ kind: 'exact' }), optimizer: sgd({ lr: 0.1 }), batchSize: 4 }))
 * assert.deepEqual(o.energy, { name: 'quadratic', shape: [2], params: { theta: [2] } })
 */
export const recordedOptions = (t: Trainer): { readonly [k: string]: Json } => {
  const params = Object.fromEntries(Object.entries(t.energy.params).map(([n, spec]) => [n, [...spec.shape]]))
  const options = { energy: { name: t.energy.name, shape: [...t.energy.shape], params }, objective: t.objective, negatives: t.negatives, optimizer: t.optimizer, batchSize: t.batchSize }
  // Through JSON text, so that what is compared is what a checkpoint stores (functions drop out).
  return JSON.parse(JSON.stringify(options)) as { readonly [k: string]: Json }
}

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The first place (in `want`'s key order) where two JSON values differ: its path and the two values there; null when equal. */
const difference = (want: unknown, got: unknown, path: string): { path: string; want: unknown; got: unknown } | null => {
  if (Array.isArray(want) && Array.isArray(got) && want.length === got.length) {
    for (let i = 0; i < want.length; i++) {
      const d = difference(want[i], got[i], `${path}[${i}]`)
      if (d !== null) return d
    }
    return null
  }
  if (isRecord(want) && isRecord(got)) {
    for (const k of new Set([...Object.keys(want), ...Object.keys(got)])) {
      const d = difference(want[k], got[k], path === '' ? k : `${path}.${k}`)
      if (d !== null) return d
    }
    return null
  }
  return Object.is(want, got) ? null : { path, want, got }
}

const json = (v: unknown): string => {
  if (v === undefined) return 'nothing'
  const s = JSON.stringify(v)
  return s.length > 80 ? `${s.slice(0, 77)}...` : s
}

/**
 * Checks that `got` (a checkpoint's record of a run) equals `want` (this run's), naming the first
 * difference.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkSame } from './resume.js'
 * assert.throws(() => checkSame({ optimizer: { kind: 'sgd' } }, { optimizer: { kind: 'adam' } }, 'train.fit: resume'), { message: 'train.fit: resume: optimizer.kind: expected "sgd" (this run\'s), got "adam" (the checkpoint\'s)' })
 */
export const checkSame = (want: Json, got: Json, where: string): void => {
  const d = difference(want, got, '')
  if (d !== null) throw new RangeError(`${where}: ${d.path}: expected ${json(d.want)} (this run's), got ${json(d.got)} (the checkpoint's)`)
}

// A state of the shapes these options give, whose tensors name what a checkpoint must hold.
const shapeOf = (t: Trainer): TrainState => {
  const params = Object.fromEntries(Object.entries(t.program.params).map(([n, spec]) => [n, new Float64Array(ir.size(spec.shape))]))
  const D = ir.size(t.energy.shape)
  const length = t.negatives === null ? null : stateLength(t.negatives, D, t.batchSize)
  const buffer = length === null ? null : new Float64Array(length)
  const fixed = Object.fromEntries(t.program.fixed.map((f) => [f.name, new Float64Array(ir.size(f.shape))]))
  return { step: 0, params, optimizer: initOptimizer(t.optimizer, params), negatives: { buffer }, fixed }
}

const checkArrays = (t: Trainer, state: TrainState, where: string): void => {
  const want = tensorsOf(shapeOf(t))
  const got = tensorsOf(state)
  for (const name of Object.keys(want)) {
    if (!(name in got)) throw rangeError(`${where}: ${name}`, `${want[name].data.length} values, as these options need`, undefined)
    if (got[name].data.length !== want[name].data.length) throw rangeError(`${where}: ${name}`, `${want[name].data.length} values, as these options need`, got[name].data)
  }
  for (const name of Object.keys(got)) if (!(name in want)) throw rangeError(`${where}: ${name}`, `no such array: these options have ${Object.keys(want).join(', ')}`, got[name].data)
}

/**
 * The state to resume from: the checkpoint's, once its record (`seed`, the options, and `data` when
 * given) equals this run's and its arrays have the lengths this trainer needs.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { quadratic } from '../energy/index.js'
 * import { scoreMatching } from './score-matching.js'
 * import { sgd } from './sgd.js'
 * import { trainer } from './step.js'
 * import { recordedOptions, resumeState } from './resume.js'
 * const t = trainer(quadratic({ center: [0, 0] }), { objective: scoreMatching({ kind: 'exact' }), optimizer: sgd({ lr: 0.1 }), batchSize: 4 })
 * const state = { step: 3, params: { theta: Float64Array.of(1, 2) }, optimizer: { t: 3, slots: {} }, negatives: { buffer: null }, fixed: {} }
 * const checkpoint = { state, meta: { seed: 5, data: null, options: recordedOptions(t) } }
 * assert.equal(resumeState(t, checkpoint, 5, null, 'train.fit').step, 3)
 * assert.throws(() => resumeState(t, checkpoint, 6, null, 'train.fit'), { message: "train.fit: resume: seed: expected 6 (this run's), got 5 (the checkpoint's)" })
 */
export const resumeState = (t: Trainer, c: Checkpoint, seed: number, data: { readonly rows: number; readonly sha256: string } | null, where: string): TrainState => {
  const at = `${where}: resume`
  const { state, meta } = object(c, at) as unknown as Checkpoint
  object(state, `${at}: state`)
  object(meta, `${at}: meta`)
  // A checkpoint of a stream has no data to compare; one of train.fit is compared with train.fit's data.
  const compared = data !== null && meta.data !== null
  const mine = { ...recordedOptions(t), seed, data: compared ? { rows: data.rows, sha256: data.sha256 } : null }
  const theirs = { ...(isRecord(meta.options) ? meta.options : {}), seed: meta.seed, data: compared ? { rows: meta.data?.rows, sha256: meta.data?.sha256 } : null }
  checkSame(mine, theirs as Json, at)
  checkArrays(t, state, at)
  return state
}
