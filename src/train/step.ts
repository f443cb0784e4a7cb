/**
 * A training step as a transition: (state, positive batch, key) → (new state, record). The state holds
 * the model's parameters, the optimizer's moments, the negatives' replay buffer, the objective's fixed
 * inputs and the step count: plain numbers and typed arrays, never written once made, so a checkpoint is a
 * copy of them. The key (seed, step) decides every random draw, so the same state, batch and key give the
 * same bits on any thread count. The step is asynchronous only because the sampler runs off the
 * JavaScript thread; it reads no clock (drivers such as `train.fit` time it).
 *
 * A loss term, a gradient or a parameter that is not finite stops the run with an error naming the step
 * and the term: training never continues on NaN.
 *
 * @module
 */
import { type Dtype, type Backend } from '../backend/index.js'
import { object, options as checkOptions, positiveInteger, rangeError, typeError, firstNonFinite } from '../check/index.js'
import { type Energy, isEnergy } from '../energy/energy.js'
import * as ir from '../ir/index.js'
import { checkExecution, checkObjective, evaluateLoss, type ExecutionOptions, fixedInputs, lossProgram, type LossProgram, needsNegatives, type Objective } from './loss.js'
import { chainsOf, checkNegatives, type Negatives } from './negatives.js'
import { type BufferStatistics, initNegatives, type NegativeState, negativePhase } from './negative-phase.js'
import { applyOptimizer, checkOptimizer, globalNorm, initOptimizer, type Optimizer } from './optimize.js'
import { type OptimizerState } from './optimizer.js'
import { type Key } from './random.js'
import { type Statistics } from '../sampler/index.js'

/** Everything training carries from one step to the next. */
export interface TrainState {
  /** Steps done. */
  readonly step: number
  /** The energy's parameters and the objective's own (NCE's logZ), by name. */
  readonly params: Readonly<Record<string, Float64Array>>
  readonly optimizer: OptimizerState
  readonly negatives: NegativeState
  /** Inputs the objective fixed from the data (NCE's noise), by name. */
  readonly fixed: Readonly<Record<string, Float64Array>>
}

/** What one step reports. */
export interface StepRecord {
  /** The step's index (0 for the first). */
  readonly step: number
  readonly loss: number
  /** Each loss term by name; they add up to `loss`. */
  readonly terms: Readonly<Record<string, number>>
  readonly meanPositiveEnergy: number
  /** Mean E of the negatives (NCE: of its noise samples); null without negatives. */
  readonly meanNegativeEnergy: number | null
  /** d = mean E⁺ − mean E⁻ (Nijkamp et al. 2020); null without negatives. */
  readonly energyGap: number | null
  /** ‖∇θ loss‖ over all parameters, before clipping. */
  readonly gradientNorm: number
  /** ‖θ‖ over all parameters, after the update. */
  readonly paramNorm: number
  readonly learningRate: number
  /** The negative phase's sampler: acceptance (null without a Metropolis test), mean ‖∇ₓE‖, non-finite chains. */
  readonly sampler: Statistics | null
  readonly buffer: BufferStatistics | null
}

/** Options of {@link trainer}. */
export interface TrainerOptions {
  readonly objective: Objective
  /** Required by the contrastive objective; refused by the others. */
  readonly negatives?: Negatives
  readonly optimizer: Optimizer
  /** Positive points per step. */
  readonly batchSize: number
  /** Default 'auto'. */
  readonly backend?: Backend
  /** Default 'float64'; 'float32' runs the sampler and the loss in float32 (native only), parameters stay float64. */
  readonly dtype?: Dtype
  /** Threads of the native executor; results do not depend on it. */
  readonly threads?: number
}

/** A prepared training step. */
export interface Trainer {
  readonly energy: Energy
  readonly objective: Objective
  readonly negatives: Negatives | null
  readonly optimizer: Optimizer
  readonly batchSize: number
  readonly program: LossProgram
  /** The state before the first step, with the objective's inputs fixed from `data` and the buffer drawn from `seed`. */
  readonly init: (data: Float64Array, params: Readonly<Record<string, Float64Array>>, seed: number) => TrainState
  /** One step; `learningRate`, when given, replaces the optimizer's schedule for this step. */
  readonly step: (state: TrainState, positives: Float64Array, key: Key, signal?: AbortSignal, learningRate?: number) => Promise<readonly [TrainState, StepRecord]>
}

/** The option names of {@link trainer}. */
export const trainerOptionNames = ['objective', 'negatives', 'optimizer', 'batchSize', 'backend', 'dtype', 'threads'] as const

/** Checks a trainer's options; `where` names the caller. */
export const checkTrainerOptions = (e: Energy, o: TrainerOptions, where: string): TrainerOptions & { negatives: Negatives | undefined } => {
  if (!isEnergy(e)) throw typeError(`${where}: energy`, 'an Energy value (built by energy.define or the catalogue)', e)
  const objective = checkObjective(o.objective, `${where}: objective`)
  const negatives = o.negatives === undefined ? undefined : checkNegatives(o.negatives, `${where}: negatives`)
  if (needsNegatives(objective) && negatives === undefined) throw typeError(`${where}: negatives`, `negatives (train.shortRun, train.contrastiveDivergence, train.persistent, train.drawn, train.joint) for the ${objective.kind} objective`, undefined)
  if (!needsNegatives(objective) && negatives !== undefined) throw rangeError(`${where}: negatives`, `none: the ${objective.kind} objective takes no negatives`, negatives)
  const batchSize = positiveInteger(o.batchSize, `${where}: batchSize`)
  if (negatives?.kind === 'persistent' && negatives.bufferSize < chainsOf(negatives, batchSize)) {
    throw rangeError(`${where}: negatives.bufferSize`, `at least the ${chainsOf(negatives, batchSize)} chains of a batch`, negatives.bufferSize)
  }
  return { objective, negatives, optimizer: checkOptimizer(o.optimizer, `${where}: optimizer`), batchSize, ...checkExecution(o as unknown as Readonly<Record<string, unknown>>, where) }
}

const notFinite = (key: Key, what: string, value: number): RangeError => rangeError(`train: step ${key.step}, ${what}`, 'a finite number', value)

const checkFinite = (tensors: Readonly<Record<string, Float64Array>>, key: Key, what: string): void => {
  for (const [n, t] of Object.entries(tensors)) {
    const i = firstNonFinite(t)
    if (i >= 0) throw notFinite(key, `${what} '${n}'[${i}]`, t[i])
  }
}

/**
 * Prepares a training step for an energy: checks the options, compiles the objective once, and sets up
 * the negative phase's sampler.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { quadratic } from '../energy/index.js'
 * import { contrastive } from './contrastive.js'
 * import { drawn } from './negatives.js'
 * import { sgd } from './sgd.js'
 * import { trainer } from './step.js'
 * // Fixed negatives at 0: one SGD step moves θ by η·(x̄⁺ − x̄⁻).
 * const t = trainer(quadratic({ center: [0] }), { objective: contrastive(), negatives: drawn({ draw: ({ count }) => new Float64Array(count) }), optimizer: sgd({ lr: 0.5 }), batchSize: 2, backend: 'reference' })
 * const s0 = t.init(new Float64Array([1, 3]), { theta: new Float64Array([0]) }, 1)
 * const [s1, record] = await t.step(s0, new Float64Array([1, 3]), { seed: 1, step: 0 })
 * assert.deepEqual([...s1.params.theta], [1])   // 0 + ½·(2 − 0)
 * assert.equal(record.energyGap, 2.5)            // mean E⁺ = (½ + 9/2)/2, mean E⁻ = 0
 */
export const trainer = (e: Energy, options: TrainerOptions): Trainer => {
  checkOptions(object(options, 'train.trainer: options'), 'train.trainer: options', trainerOptionNames)
  return prepareTrainer(e, options, 'train.trainer')
}

/** {@link trainer} for a caller named `where` that has checked the option names itself. */
export const prepareTrainer = (e: Energy, options: TrainerOptions, where: string): Trainer => {
  const o = checkTrainerOptions(e, options, where)
  const execution: ExecutionOptions = { backend: o.backend, dtype: o.dtype, ...(o.threads === undefined ? {} : { threads: o.threads }) }
  const negatives = o.negatives ?? null
  const phase = negatives === null ? null : negativePhase(e, negatives, o.batchSize, execution)
  const program = lossProgram(e, o.objective, { positives: o.batchSize, negatives: phase?.chains ?? 0 })
  const D = ir.size(e.shape)
  const init = (data: Float64Array, params: Readonly<Record<string, Float64Array>>, seed: number): TrainState => {
    const own = Object.fromEntries(Object.entries(program.params).filter(([n]) => !(n in params)).map(([n, spec]) => [n, new Float64Array(ir.size(spec.shape))]))
    const all = { ...params, ...own }
    return { step: 0, params: all, optimizer: initOptimizer(o.optimizer, all), negatives: negatives === null ? { buffer: null } : initNegatives(negatives, D, seed, o.batchSize), fixed: fixedInputs(o.objective, data, D) }
  }
  const step = async (state: TrainState, positives: Float64Array, key: Key, signal?: AbortSignal, learningRate?: number): Promise<readonly [TrainState, StepRecord]> => {
    if (!(positives instanceof Float64Array) || positives.length !== o.batchSize * D) throw rangeError('train.step: positives', `a Float64Array of ${o.batchSize} × ${D} values`, positives)
    const draw = phase === null ? null : await phase.draw(state.negatives, positives, state.params, key, signal)
    const values = evaluateLoss(program, { positive: positives, negative: draw?.negatives, params: state.params, fixed: state.fixed, key }, execution)
    for (const [t, v] of Object.entries(values.terms)) if (!Number.isFinite(v)) throw notFinite(key, `loss term '${t}'`, v)
    checkFinite(values.gradients, key, 'gradient of')
    const next = applyOptimizer(o.optimizer, state.optimizer, state.params, values.gradients, learningRate)
    checkFinite(next.params, key, 'parameter')
    const record: StepRecord = {
      step: key.step,
      loss: values.loss,
      terms: values.terms,
      meanPositiveEnergy: values.meanPositive,
      meanNegativeEnergy: values.meanNegative,
      energyGap: values.meanNegative === null ? null : values.meanPositive - values.meanNegative,
      gradientNorm: next.gradientNorm,
      paramNorm: globalNorm(next.params),
      learningRate: next.learningRate,
      sampler: draw?.sampler ?? null,
      buffer: draw?.buffer ?? null,
    }
    return [{ step: key.step + 1, params: next.params, optimizer: next.state, negatives: draw?.state ?? state.negatives, fixed: state.fixed }, record]
  }
  return { energy: e, objective: o.objective, negatives, optimizer: o.optimizer, batchSize: o.batchSize, program, init, step }
}
