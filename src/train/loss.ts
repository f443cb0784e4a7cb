/**
 * From (energy, objective, batch sizes) to one compiled tape: the loss terms, their sum, the mean
 * energies of the positive and negative batches, and ∂loss/∂θ for every parameter by `ir.grad`. The tape
 * is compiled once per energy, objective and sizes, and runs on either executor through the backend's
 * `evaluate`.
 *
 * @module
 */
import { integer, object, oneOf, rangeError, typeError } from '../check/index.js'
import { type Backend, type Dtype, runTape, resolveBackend } from '../backend/index.js'
import { type Energy, type ParamSpec } from '../energy/energy.js'
import * as ir from '../ir/index.js'
import { contrastive, type Contrastive, contrastiveGraph } from './contrastive.js'
import { fitNoise, nce, type Nce, nceGraph } from './nce.js'
import { type ObjectiveGraph, type RandomInput, type Sizes } from './objective.js'
import { type Key, normalsOf, purposes } from './random.js'
import { scoreMatching, type ScoreMatching, scoreMatchingGraph, type ScoreMatchingOptions } from './score-matching.js'

/** An objective: contrastive (with negatives), score matching or NCE. */
export type Objective = Contrastive | ScoreMatching | Nce

/**
 * Checks a value that claims to be an objective (one built by `train.contrastive`, `train.scoreMatching`
 * or `train.nce`, or the same data written by hand) and returns it rebuilt by its constructor.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkObjective } from './loss.js'
 * assert.equal(checkObjective({ kind: 'nce', noise: 'diagonal', ratio: 2 }, 'objective').noise, 'diagonal')
 * assert.throws(() => checkObjective({ kind: 'mle' }, 'train.fit: objective'), { message: 'train.fit: objective: expected an objective (train.contrastive, train.scoreMatching, train.nce), got an object with keys kind' })
 */
export const checkObjective = (v: unknown, where: string): Objective => {
  const o = object(v, where)
  const { kind, ...rest } = o
  if (kind === 'contrastive') return contrastive(rest)
  if (kind === 'nce') return nce(rest)
  if (kind === 'scoreMatching') {
    const { form, ...options } = rest
    return scoreMatching({ kind: form, ...options } as ScoreMatchingOptions)
  }
  throw typeError(where, 'an objective (train.contrastive, train.scoreMatching, train.nce)', v)
}

/** Whether an objective needs negatives from a sampler. */
export const needsNegatives = (o: Objective): boolean => o.kind === 'contrastive'

const graphOf = (e: Energy, o: Objective, sizes: Sizes): ObjectiveGraph => {
  switch (o.kind) {
    case 'contrastive':
      return contrastiveGraph(e, o, sizes)
    case 'scoreMatching':
      return scoreMatchingGraph(e, o, sizes)
    case 'nce':
      return nceGraph(e, o, sizes)
  }
}

/**
 * The inputs an objective fixes for a run from the whole data set (n rows of the energy's size): NCE's
 * noise fit; nothing for the others.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { fixedInputs } from './loss.js'
 * import { contrastive } from './contrastive.js'
 * assert.deepEqual(fixedInputs(contrastive(), new Float64Array(4), 2), {})
 */
export const fixedInputs = (o: Objective, data: Float64Array, D: number): Record<string, Float64Array> => (o.kind === 'nce' ? fitNoise(o, data, D) : {})

/** A compiled objective. */
export interface LossProgram {
  readonly energy: Energy
  readonly objective: Objective
  readonly sizes: Sizes
  readonly tape: ir.Tape
  /** Names of the loss terms, in the order of their outputs. */
  readonly terms: readonly string[]
  /** Every trained parameter (the energy's and the objective's own), sorted by name: the order of the gradients. */
  readonly params: Readonly<Record<string, ParamSpec>>
  readonly random: readonly RandomInput[]
  readonly fixed: readonly RandomInput[]
  /** Whether the tape takes a 'negative' batch. */
  readonly negatives: boolean
  /** Whether the tape outputs mean E⁻ (negatives, or NCE's noise samples). */
  readonly meanNegative: boolean
}

const programs = new WeakMap<Energy, Map<string, LossProgram>>()

/**
 * Builds and compiles an objective for an energy and batch sizes (cached: the same energy, objective and
 * sizes give the same program). Outputs: the loss, each term, mean E⁺, mean E⁻ (when there are negatives),
 * then ∂loss/∂θ of every parameter in sorted order.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { quadratic } from '../energy/index.js'
 * import { lossProgram } from './loss.js'
 * import { contrastive } from './contrastive.js'
 * const p = lossProgram(quadratic({ center: [0, 0] }), contrastive({ energyL2: 0.1 }), { positives: 4, negatives: 4 })
 * assert.deepEqual(p.terms, ['contrastive', 'energyL2'])
 */
export const lossProgram = (e: Energy, o: Objective, sizes: Sizes): LossProgram => {
  const key = JSON.stringify([o, sizes])
  let byKey = programs.get(e)
  if (byKey === undefined) programs.set(e, (byKey = new Map()))
  const cached = byKey.get(key)
  if (cached !== undefined) return cached
  const g = graphOf(e, o, sizes)
  const params: Record<string, ParamSpec> = { ...e.params, ...g.params }
  const names = Object.keys(params).sort()
  const leaves = names.map((n) => ir.param(n, params[n].shape))
  const terms = Object.keys(g.terms)
  const loss = terms.map((t) => g.terms[t]).reduce((a, b) => ir.add(a, b))
  const means = g.meanNegative === undefined ? [g.meanPositive] : [g.meanPositive, g.meanNegative]
  const inputs = [g.positive, ...(g.negative === undefined ? [] : [g.negative]), ...[...g.random, ...g.fixed].map((r) => ir.input(r.name, r.shape)), ...leaves]
  const tape = ir.compile([loss, ...terms.map((t) => g.terms[t]), ...means, ...ir.grad(loss, leaves)], inputs)
  const sorted = Object.fromEntries(names.map((n) => [n, params[n]]))
  const program: LossProgram = { energy: e, objective: o, sizes, tape, terms, params: sorted, random: g.random, fixed: g.fixed, negatives: g.negative !== undefined, meanNegative: g.meanNegative !== undefined }
  byKey.set(key, program)
  return program
}

/** Where and how a loss runs. */
export interface ExecutionOptions {
  readonly backend?: Backend
  readonly dtype?: Dtype
  readonly threads?: number
}

/**
 * Checks the execution options of a run (backend, dtype, threads); float32 needs the native backend,
 * since the sampler's reference runner computes in float64.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkExecution } from './loss.js'
 * assert.deepEqual(checkExecution({ backend: 'reference' }, 'train.fit'), { backend: 'reference', dtype: 'float64' })
 * assert.throws(() => checkExecution({ threads: 0 }, 'train.fit'), { message: 'train.fit: threads: expected an integer in [1, 1024], got 0' })
 */
export const checkExecution = (o: Readonly<Record<string, unknown>>, where: string): ExecutionOptions => {
  const backend = oneOf(o.backend ?? 'auto', `${where}: backend`, ['auto', 'native', 'reference'] as const)
  const dtype = oneOf(o.dtype ?? 'float64', `${where}: dtype`, ['float64', 'float32'] as const)
  if (dtype === 'float32' && resolveBackend(backend) === 'reference') throw rangeError(`${where}: dtype`, "'float64' on the reference backend", dtype)
  const threads = o.threads === undefined ? undefined : integer(o.threads, `${where}: threads`, { min: 1, max: 1024 })
  return { backend, dtype, ...(threads === undefined ? {} : { threads }) }
}

/** What one evaluation of a loss gives. */
export interface LossValues {
  readonly loss: number
  readonly terms: Readonly<Record<string, number>>
  readonly meanPositive: number
  /** Mean E of the negatives (NCE: of the noise samples); null without negatives. */
  readonly meanNegative: number | null
  /** ∂loss/∂θ by parameter name. */
  readonly gradients: Readonly<Record<string, Float64Array>>
}

/** The values a loss is evaluated at. */
export interface LossInputs {
  readonly positive: Float64Array
  readonly negative?: Float64Array
  readonly params: Readonly<Record<string, Float64Array>>
  /** Fixed inputs of the run ({@link fixedInputs}). */
  readonly fixed: Readonly<Record<string, Float64Array>>
  /** The key of the step's random inputs. */
  readonly key: Key
}

/**
 * Evaluates a compiled loss at `inputs`, drawing its random inputs from (key.seed, key.step).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { quadratic } from '../energy/index.js'
 * import { evaluateLoss, lossProgram } from './loss.js'
 * import { contrastive } from './contrastive.js'
 * const p = lossProgram(quadratic({ center: [0] }), contrastive(), { positives: 2, negatives: 1 })
 * const v = evaluateLoss(p, { positive: new Float64Array([1, 3]), negative: new Float64Array([0]), params: { theta: new Float64Array([0]) }, fixed: {}, key: { seed: 0, step: 0 } }, { backend: 'reference' })
 * assert.equal(v.loss, 2.5)                       // mean(½, 9/2) − 0
 * assert.deepEqual([...v.gradients.theta], [-2]) // x̄⁻ − x̄⁺
 */
export const evaluateLoss = (p: LossProgram, inputs: LossInputs, options: ExecutionOptions = {}): LossValues => {
  const feeds: Record<string, Float64Array> = { ...inputs.fixed, ...inputs.params, positive: inputs.positive }
  if (p.negatives) feeds.negative = inputs.negative as Float64Array
  p.random.forEach((r, i) => {
    feeds[r.name] = normalsOf(inputs.key, purposes.objective + i, ir.size(r.shape))
  })
  const out = runTape(p.tape, feeds, options).map((o) => (o instanceof Float64Array ? o : Float64Array.from(o)))
  const names = Object.keys(p.params)
  const k = p.terms.length
  return {
    loss: out[0][0],
    terms: Object.fromEntries(p.terms.map((t, i) => [t, out[1 + i][0]])),
    meanPositive: out[k + 1][0],
    meanNegative: p.meanNegative ? out[k + 2][0] : null,
    gradients: Object.fromEntries(names.map((n, i) => [n, out[out.length - names.length + i]])),
  }
}
