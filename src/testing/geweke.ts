/**
 * `gewekeTest` (Geweke 2004, "Getting it right"): a posterior sampler used inside a model with a prior
 * is tested on the joint law of (θ, y). The marginal-conditional simulator draws θ from the prior and y
 * given θ, independently; the successive-conditional one alternates y given θ and a step of the sampler
 * on θ given y. Both have the law p(θ)p(y | θ) exactly when the sampler keeps p(θ | y) invariant, so the
 * means of any function g(θ, y) must agree.
 *
 * @module
 */
import * as check from '../check/index.js'
import { mcseMean } from '../diagnostics/index.js'
import type { Energy } from '../energy/index.js'
import * as ir from '../ir/index.js'
import * as rng from '../rng/index.js'
import { runner, type Kernel } from '../sampler/index.js'
import { checkedKernel, kernelName, runAtNames, runAtOf, seedOf, streams, type RunAt } from './chains.js'
import { twoSided } from './normal.js'
import { combined, testReport, type Report, type Sizes } from './report.js'
import type { ExactDraws } from './target.js'

/** A Bayesian model: a prior on θ, data y given θ, and the posterior energy E(θ; y) with y a parameter. */
export interface GewekeModel {
  /** E(θ; y) = −log p(θ) − log p(y | θ) (up to a constant), the posterior's energy at T = 1. */
  readonly energy: Energy
  /** The name of the energy's parameter that holds y. */
  readonly data: string
  /** Exact draws of θ from the prior. */
  readonly prior: ExactDraws
  /** One draw of y given θ (a pure function of its arguments). */
  readonly simulate: (theta: Float64Array, seed: number, stream: number) => Float64Array
}

/** A function of (θ, y) whose mean the two simulators must share. */
export type GewekeFunction = (theta: Float64Array, y: Float64Array) => number

/** Options of {@link gewekeTest}. */
export interface GewekeOptions extends Omit<RunAt, 'params'> {
  /** Functions g(θ, y) to compare, by name (default: every θᵢ and θᵢ²). */
  readonly functions?: Readonly<Record<string, GewekeFunction>>
  /** Marginal-conditional draws (default 4000). */
  readonly draws?: number
  /** Independent successive-conditional chains (default 4). */
  readonly chains?: number
  /** Iterations of each successive-conditional chain (default 1000). */
  readonly length?: number
  /** Sampler steps per iteration (default 1). */
  readonly steps?: number
  /** Default 0. */
  readonly seed?: number
  /** Default 0.01. */
  readonly falseAlarm?: number
}

const defaultFunctions = (D: number): Record<string, GewekeFunction> =>
  Object.fromEntries(Array.from({ length: D }, (_v, i) => [[`θ[${i}]`, (t: Float64Array) => t[i]], [`θ[${i}]²`, (t: Float64Array) => t[i] * t[i]]]).flat())

const checkModel = (m: unknown): GewekeModel => {
  const o = check.options<GewekeModel>(check.object(m, 'gewekeTest: model'), 'gewekeTest: model', ['energy', 'data', 'prior', 'simulate'])
  const data = check.string(o.data, 'gewekeTest: model.data')
  const e = o.energy as Energy
  if (e?.params?.[data] === undefined) throw check.rangeError('gewekeTest: model.data', `a parameter of the energy (${Object.keys(e?.params ?? {}).join(', ') || 'none'})`, data)
  return { energy: e, data, prior: check.func(o.prior, 'gewekeTest: model.prior'), simulate: check.func(o.simulate, 'gewekeTest: model.simulate') }
}

/**
 * Geweke's joint-distribution test of a posterior sampler: for each function g, the mean over M
 * marginal-conditional draws against the mean over C successive-conditional chains of L iterations,
 * z = (ḡ_mc − ḡ_sc)/√(s²_mc/M + MCSE²_sc), the successive chains' MCSE from their effective sample size
 * (diagnostics.mcseMean), so their autocorrelation is accounted for. Two-sided p-values, at
 * falseAlarm/(number of functions) each.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { gewekeTest } from './geweke.js'
 * import * as energy from '../energy/index.js'
 * import * as ir from '../ir/index.js'
 * import * as rng from '../rng/index.js'
 * import * as sampler from '../sampler/index.js'
 * // θ ~ N(0, 1), y ~ N(θ, 0.5²): the posterior energy ½θ² + 2(y − θ)²
 * const model = {
 *   energy: energy.define({ name: 'normal-mean', shape: [1], params: { y: { shape: [1], init: { kind: 'zeros' } } }, build: (x, p) => ir.reshape(ir.add(ir.mul(ir.square(x), 0.5), ir.mul(ir.square(ir.sub(x, p.y)), 2)), [x.shape[0]]) }),
 *   data: 'y',
 *   prior: (n: number, seed: number, stream: number) => rng.normals(seed, stream, 0, n),
 *   simulate: (theta: Float64Array, seed: number, stream: number) => Float64Array.of(theta[0] + 0.5 * rng.normal(seed, stream, 0)),
 * }
 * const r = await gewekeTest(model, sampler.mala({ stepSize: 0.2 }), { seed: 3, length: 300, backend: 'reference' })
 * assert.equal(r.passed, true)
 */
export const gewekeTest = async (model: GewekeModel, kernel: Kernel, options: GewekeOptions = {}): Promise<Report> => {
  const m = checkModel(model)
  const k = checkedKernel(kernel, 'gewekeTest: kernel')
  const o = check.options<GewekeOptions>(options, 'gewekeTest: options', ['functions', 'draws', 'chains', 'length', 'steps', 'seed', 'falseAlarm', ...runAtNames.filter((n) => n !== 'params')])
  const D = ir.size(m.energy.shape)
  const functions = Object.entries(o.functions === undefined ? defaultFunctions(D) : check.object(o.functions, 'gewekeTest: functions')) as [string, GewekeFunction][]
  functions.forEach(([name, g]) => check.func(g, `gewekeTest: functions.${name}`))
  const draws = check.integer(o.draws ?? 4000, 'gewekeTest: draws', { min: 2 })
  const chains = check.positiveInteger(o.chains ?? 4, 'gewekeTest: chains')
  const length = check.integer(o.length ?? 1000, 'gewekeTest: length', { min: 4 })
  const steps = check.positiveInteger(o.steps ?? 1, 'gewekeTest: steps')
  const falseAlarm = check.probability(o.falseAlarm ?? 0.01, 'gewekeTest: falseAlarm')
  const seed = seedOf(o.seed, 'gewekeTest: seed')
  const sizes: Sizes = { seed, draws, chains, length, steps, falseAlarm }
  const dataSize = ir.size(m.energy.params[m.data].shape)
  const simulate = (theta: Float64Array, stream: number): Float64Array => check.numbers(m.simulate(theta, seed, stream), 'gewekeTest: model.simulate(θ)', { length: dataSize, lengthReason: `parameter ${m.data} of shape ${ir.showShape(m.energy.params[m.data].shape)}` })

  // Marginal-conditional: θ from the prior, y given θ; stream fresh + i for draw i's y.
  const thetas = check.numbers(m.prior(draws, seed, streams.start), 'gewekeTest: model.prior', { length: draws * D, lengthReason: `${draws} draws × ${D} dimensions` })
  const marginal = functions.map(() => new Float64Array(draws))
  for (let i = 0; i < draws; i++) {
    const theta = thetas.subarray(i * D, (i + 1) * D)
    const y = simulate(theta, streams.fresh + 1 + i)
    functions.forEach(([, g], f) => (marginal[f][i] = g(theta, y)))
  }

  // Successive-conditional: C chains, each its own runner (y is a parameter, shared by a runner's chains).
  const successive = functions.map(() => Array.from({ length: chains }, () => new Float64Array(length)))
  const starts = check.numbers(m.prior(chains, seed, streams.momentum), 'gewekeTest: model.prior', { length: chains * D })
  for (let c = 0; c < chains; c++) {
    const runSeed = Math.floor(rng.uniform(seed, streams.permutations, c) * 2 ** 52)
    const r = runner(m.energy, k, { chains: 1, init: starts.subarray(c * D, (c + 1) * D), ...runAtOf(o) })
    for (let l = 0; l < length; l++) {
      const y = simulate(Float64Array.from(r.state.position), streams.fresh + 1 + draws + c * length + l)
      r.params[m.data].set(y)
      await r.run({ seed: runSeed, from: l * steps, to: (l + 1) * steps })
      const theta = Float64Array.from(r.state.position)
      functions.forEach(([, g], f) => (successive[f][c][l] = g(theta, y)))
    }
  }

  const parts = functions.map(([name], f) => {
    const a = marginal[f]
    const mean = a.reduce((s, v) => s + v, 0) / draws
    const variance = a.reduce((s, v) => s + (v - mean) ** 2, 0) / (draws - 1)
    const chainMean = successive[f].reduce((s, chain) => s + chain.reduce((t, v) => t + v, 0), 0) / (chains * length)
    const z = (mean - chainMean) / Math.sqrt(variance / draws + mcseMean(successive[f]) ** 2)
    return testReport(`${name}: ${mean.toPrecision(4)} (marginal-conditional) vs ${chainMean.toPrecision(4)} (successive-conditional), z`, { statistic: z, pValue: twoSided(z), level: falseAlarm / functions.length }, sizes)
  })
  return combined(`gewekeTest(${kernelName(k)})`, parts, sizes)
}
