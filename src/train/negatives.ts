/**
 * Where the negative phase's samples come from, as values: chains run by a sampler kernel for `steps`
 * steps each training step, started
 *
 * - from noise: short-run chains (Nijkamp et al. 2019), `shortRun`;
 * - from the data batch: contrastive divergence CD-k (Hinton 2002), `contrastiveDivergence`;
 * - from a replay buffer of persistent chains (Tieleman 2008; IGEBM, Du & Mordatch 2019; JEM), with a
 *   fraction restarted from noise each draw, `persistent`;
 *
 * or drawn exactly by a function, when the model family has an exact sampler (tests, tractable models),
 * `drawn`; or, for a model whose energy is a free energy with latent units summed out (an RBM's F(v)),
 * chains of its joint energy over (x, z) whose x part is the negatives, `joint` (CD-k from the data, or
 * persistent chains as Tieleman 2008 and scikit-learn run them). Where chains start from noise, `init` says how, written like an energy's initialisers:
 * `{ kind: 'uniform', low, high }` or `{ kind: 'normal', std, mean? }`.
 *
 * @module
 */
import { boolean, finite, func, object, options, positive, positiveInteger, probability, integer, rangeError, typeError } from '../check/index.js'
import { checkEnergy, type Energy } from '../energy/energy.js'
import { size } from '../ir/index.js'
import { checkKernel, type Kernel } from '../sampler/index.js'

/** How fresh chains are drawn. */
export type ChainInit =
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number }
  | { readonly kind: 'normal'; readonly std: number; readonly mean: number }

/** What an exact sampler is given: the current parameters, a seed for this step's draws, and how many points to draw. */
export interface DrawRequest {
  readonly params: Readonly<Record<string, Float64Array>>
  readonly seed: number
  readonly count: number
}

/** The negatives of a run, as a value. `chains` null means as many as the positive batch. */
export type Negatives =
  | { readonly kind: 'shortRun'; readonly kernel: Kernel; readonly steps: number; readonly init: ChainInit; readonly chains: number | null }
  | { readonly kind: 'contrastiveDivergence'; readonly kernel: Kernel; readonly steps: number }
  | {
      readonly kind: 'persistent'
      readonly kernel: Kernel
      readonly steps: number
      readonly init: ChainInit
      readonly bufferSize: number
      readonly reinit: number
      readonly chains: number | null
    }
  | { readonly kind: 'drawn'; readonly draw: (r: DrawRequest) => Float64Array; readonly chains: number | null }
  | { readonly kind: 'joint'; readonly joint: Energy; readonly kernel: Kernel; readonly steps: number; readonly persistent: boolean; readonly chains: number | null }

/**
 * Checks a chain initialiser.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { chainInit } from './negatives.js'
 * assert.deepEqual(chainInit({ kind: 'normal', std: 2 }, 'init'), { kind: 'normal', std: 2, mean: 0 })
 * assert.throws(() => chainInit({ kind: 'uniform', low: 1, high: 1 }, 'init'), { message: 'init.high: expected a number above low = 1, got 1' })
 */
export const chainInit = (v: unknown, where: string): ChainInit => {
  const o = object(v, where)
  if (o.kind === 'uniform') {
    options(o, where, ['kind', 'low', 'high'])
    const low = finite(o.low, `${where}.low`)
    const high = finite(o.high, `${where}.high`)
    if (!(high > low)) throw rangeError(`${where}.high`, `a number above low = ${low}`, high)
    return Object.freeze({ kind: 'uniform' as const, low, high })
  }
  if (o.kind === 'normal') {
    options(o, where, ['kind', 'std', 'mean'])
    return Object.freeze({ kind: 'normal' as const, std: positive(o.std, `${where}.std`), mean: finite(o.mean ?? 0, `${where}.mean`) })
  }
  throw typeError(where, "a chain initialiser { kind: 'uniform', low, high } or { kind: 'normal', std, mean? }", v)
}

const chainsOption = (v: unknown, where: string): number | null => (v === undefined || v === null ? null : positiveInteger(v, where))

/** Options of {@link shortRun}. */
export interface ShortRunOptions {
  readonly kernel: Kernel
  readonly steps: number
  readonly init: ChainInit | { readonly kind: 'normal'; readonly std: number; readonly mean?: number }
  /** Chains per step; default: the positive batch size. */
  readonly chains?: number
}

/**
 * Short-run chains: every training step, fresh chains from `init` run `steps` steps of `kernel`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { ula } from '../sampler/index.js'
 * import { shortRun } from './negatives.js'
 * const n = shortRun({ kernel: ula({ stepSize: 0.01 }), steps: 60, init: { kind: 'uniform', low: -1, high: 1 } })
 * assert.equal(n.kind, 'shortRun')
 */
export const shortRun = (o: ShortRunOptions): Negatives => {
  const where = 'train.shortRun'
  const v = options(o, where, ['kernel', 'steps', 'init', 'chains'])
  return Object.freeze({
    kind: 'shortRun' as const,
    kernel: checkKernel(v.kernel, `${where}: kernel`),
    steps: integer(v.steps, `${where}: steps`),
    init: chainInit(v.init, `${where}: init`),
    chains: chainsOption(v.chains, `${where}: chains`),
  })
}

/** Options of {@link contrastiveDivergence}. */
export interface ContrastiveDivergenceOptions {
  readonly kernel: Kernel
  /** k of CD-k. */
  readonly steps: number
}

/**
 * Contrastive divergence CD-k: the chains start at the positive batch and run k steps of `kernel`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { mala } from '../sampler/index.js'
 * import { contrastiveDivergence } from './negatives.js'
 * assert.equal(contrastiveDivergence({ kernel: mala({ stepSize: 0.1 }), steps: 1 }).steps, 1)
 */
export const contrastiveDivergence = (o: ContrastiveDivergenceOptions): Negatives => {
  const where = 'train.contrastiveDivergence'
  const v = options(o, where, ['kernel', 'steps'])
  return Object.freeze({ kind: 'contrastiveDivergence' as const, kernel: checkKernel(v.kernel, `${where}: kernel`), steps: integer(v.steps, `${where}: steps`) })
}

/** Options of {@link persistent}. */
export interface PersistentOptions extends ShortRunOptions {
  /** Chains kept in the buffer; default 10,000. */
  readonly bufferSize?: number
  /** The probability that a drawn chain restarts from `init`; default 0.05. */
  readonly reinit?: number
}

/**
 * Persistent chains in a replay buffer: every step a batch of chains is drawn from the buffer (indices
 * uniform, with replacement, from Philox), each restarted from `init` with probability `reinit`, run
 * `steps` steps of `kernel` and written back. The buffer starts full of chains from `init`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { ula } from '../sampler/index.js'
 * import { persistent } from './negatives.js'
 * const n = persistent({ kernel: ula({ stepSize: 0.01 }), steps: 20, init: { kind: 'uniform', low: -4, high: 4 } })
 * assert.equal(n.kind === 'persistent' && n.bufferSize, 10000)
 * assert.equal(n.kind === 'persistent' && n.reinit, 0.05)
 */
export const persistent = (o: PersistentOptions): Negatives => {
  const where = 'train.persistent'
  const v = options(o, where, ['kernel', 'steps', 'init', 'chains', 'bufferSize', 'reinit'])
  return Object.freeze({
    kind: 'persistent' as const,
    kernel: checkKernel(v.kernel, `${where}: kernel`),
    steps: integer(v.steps, `${where}: steps`),
    init: chainInit(v.init, `${where}: init`),
    bufferSize: positiveInteger(v.bufferSize ?? 10000, `${where}: bufferSize`),
    reinit: probability(v.reinit ?? 0.05, `${where}: reinit`),
    chains: chainsOption(v.chains, `${where}: chains`),
  })
}

/** Options of {@link drawn}. */
export interface DrawnOptions {
  /** Returns `count` points (row-major), a pure function of its request. */
  readonly draw: (r: DrawRequest) => Float64Array
  /** Points per step; default: the positive batch size. */
  readonly chains?: number
}

/**
 * Negatives drawn exactly by a function of the parameters (an exact sampler of the model), for models
 * that have one and for tests of the rest of training.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { normals } from '../rng/index.js'
 * import { drawn } from './negatives.js'
 * // E = ½‖x − θ‖² is N(θ, I): exact draws are θ plus standard normals.
 * const exact = drawn({ draw: ({ params, seed, count }) => normals(seed, 0, 0, count).map((z) => z + params.theta[0]) })
 * assert.equal(exact.kind, 'drawn')
 */
export const drawn = (o: DrawnOptions): Negatives => {
  const where = 'train.drawn'
  const v = options(o, where, ['draw', 'chains'])
  return Object.freeze({ kind: 'drawn' as const, draw: func<DrawnOptions['draw']>(v.draw, `${where}: draw`), chains: chainsOption(v.chains, `${where}: chains`) })
}

/** Options of {@link joint}. */
export interface JointOptions {
  /** The joint energy over (x, z): the model's coordinates first, then latent units; its parameters are the model's, by name. */
  readonly joint: Energy
  readonly kernel: Kernel
  /** Steps of the kernel a training step: k of CD-k. */
  readonly steps: number
  /** Persistent chains (default false: chains start at the positive batch). */
  readonly persistent?: boolean
  /** Persistent chains kept and advanced every step; default: the positive batch size. */
  readonly chains?: number
}

/**
 * Negatives from chains of a joint energy E(x, z) whose marginal over x is the model's energy (the free
 * energy F(v) of an RBM and its joint energy E(v, h)), sampled by `kernel` (block Gibbs), the negatives
 * being the chains' x part. Without `persistent`, every step's chains start at the positive batch with z
 * at the domain's default state and run `steps` steps: CD-k (Hinton 2002), which for an RBM needs binary
 * data. With `persistent`, `chains` chains start at the default state (all zeros for binary units) and
 * are all advanced `steps` steps every training step, never restarted: PCD (Tieleman 2008) as
 * scikit-learn's BernoulliRBM runs it.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { bipartite } from '../energy/index.js'
 * import { gibbs } from '../sampler/index.js'
 * import { joint } from './negatives.js'
 * const n = joint({ joint: bipartite({ weights: [[0, 0]] }), kernel: gibbs(), steps: 1, persistent: true, chains: 10 })
 * assert.equal(n.kind === 'joint' && n.chains, 10)
 * assert.throws(() => joint({ joint: bipartite({ weights: [[0]] }), kernel: gibbs(), steps: 1, chains: 10 }), { message: 'train.joint: chains: expected none without persistent chains (CD-k runs one chain a positive), got 10' })
 */
export const joint = (o: JointOptions): Negatives => {
  const where = 'train.joint'
  const v = options(o, where, ['joint', 'kernel', 'steps', 'persistent', 'chains'])
  const persistent = boolean(v.persistent ?? false, `${where}: persistent`)
  const chains = chainsOption(v.chains, `${where}: chains`)
  if (!persistent && chains !== null) throw rangeError(`${where}: chains`, 'none without persistent chains (CD-k runs one chain a positive)', chains)
  return Object.freeze({
    kind: 'joint' as const,
    joint: checkEnergy(v.joint, `${where}: joint`),
    kernel: checkKernel(v.kernel, `${where}: kernel`),
    steps: integer(v.steps, `${where}: steps`),
    persistent,
    chains,
  })
}

/**
 * Checks a value that claims to be negatives and returns it rebuilt by its constructor.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkNegatives } from './negatives.js'
 * assert.throws(() => checkNegatives({ kind: 'pcd' }, 'train.fit: negatives'), { name: 'TypeError' })
 */
export const checkNegatives = (v: unknown, where: string): Negatives => {
  const { kind, ...rest } = object(v, where)
  const build = typeof kind === 'string' && Object.hasOwn(negativesByKind, kind) ? negativesByKind[kind as Negatives['kind']] : undefined
  if (build === undefined) throw typeError(where, 'negatives (train.shortRun, train.contrastiveDivergence, train.persistent, train.drawn, train.joint)', v)
  // A value read back from JSON holds null where an option was left out.
  return build(Object.fromEntries(Object.entries(rest).filter(([, x]) => x !== null)) as never)
}

// Each kind of negatives by the name its value carries.
const negativesByKind: Readonly<Record<Negatives['kind'], (o: never) => Negatives>> = { shortRun, contrastiveDivergence, persistent, drawn, joint }

/** The number of negatives per step for a positive batch of `batch`. */
export const chainsOf = (n: Negatives, batch: number): number => (n.kind === 'contrastiveDivergence' || n.chains === null ? batch : n.chains)

/**
 * The length of the state the negatives carry between steps (null: none): a replay buffer of
 * bufferSize × D, or persistent joint chains of chains × (the joint energy's size).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { ula } from '../sampler/index.js'
 * import { persistent, stateLength } from './negatives.js'
 * assert.equal(stateLength(persistent({ kernel: ula({ stepSize: 0.1 }), steps: 1, init: { kind: 'normal', std: 1 }, bufferSize: 50 }), 2, 8), 100)
 */
export const stateLength = (n: Negatives, D: number, batch: number): number | null =>
  n.kind === 'persistent' ? n.bufferSize * D : n.kind === 'joint' && n.persistent ? chainsOf(n, batch) * size(n.joint.shape) : null
