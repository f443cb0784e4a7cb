/**
 * Fused Bernoulli RBM training: `rbm.fit` runs whole epochs of PCD-k or CD-k with scikit-learn's SGD rule
 * in one native call (native/rbm.cc, through src/backend), or by its reference twin (./epoch.ts), which
 * gives the same numbers bit for bit. The generic path (`train.fit` with `rbm.persistentChains`) trains
 * the same model with the trainer's machinery; this one exists for speed.
 *
 * @module
 */
import { integer, numbers, object, oneOf, options as checkOptions, positive, positiveInteger, rangeError, seed as checkSeed } from '../check/index.js'
import { rbmFitNative, resolveBackend } from '../backend/index.js'
import { init, type Energy, type Params } from '../energy/index.js'
import { permutation, uniforms } from '../rng/index.js'
import { referenceEpochs, type EpochConfig } from './epoch.js'
import { checkParams, layersOf } from './model.js'

/** Options of {@link fit}. */
export interface FitOptions {
  readonly epochs: number
  /** Rows per minibatch (default 10, scikit-learn's). */
  readonly batchSize?: number
  /** SGD's learning rate (default 0.1). */
  readonly learningRate?: number
  /** 'pcd' (default): persistent chains, v | h then h | v; 'cd': chains restarted at each batch, h | v then v | h. */
  readonly method?: 'pcd' | 'cd'
  /** Gibbs steps per minibatch (default 1). */
  readonly k?: number
  /** Persistent chains (PCD; default the batch size), starting with h = 0. */
  readonly chains?: number
  readonly seed: number
  /** Initial parameters (default `energy.init(model)`); not modified. */
  readonly params?: Params
  readonly backend?: 'reference' | 'native' | 'auto'
}

/** What {@link fit} returns. */
export interface FitResult {
  readonly params: { readonly W: Float64Array; readonly a: Float64Array; readonly b: Float64Array }
  /** Per epoch: the mean over minibatches of Σᵢ (mean v₊ᵢ − mean v₋ᵢ)² / V (the visible bias's squared gradient). */
  readonly epochs: readonly { readonly gap: number }[]
  /** The persistent chains' hidden states (chains × H; empty for CD). */
  readonly chains: Float64Array
  readonly backend: 'native' | 'reference'
}

// The minibatch orders of every epoch: epoch e's is a Philox permutation from stream 2^40 (no chain's).
const ordersOf = (N: number, epochs: number, seed: number): Uint32Array => {
  const order = new Uint32Array(N * epochs)
  for (let e = 0; e < epochs; e++) order.set(permutation(N, uniforms(seed, 2 ** 40, e * N, N)), e * N)
  return order
}

const checkData = (data: unknown, V: number, where: string): Float64Array => {
  // A Float64Array is read as it is (never written); anything else is checked and copied.
  const x = data instanceof Float64Array ? data : numbers(data, where)
  if (x.length === 0 || x.length % V !== 0) throw rangeError(where, `a multiple of ${V} values (rows of ${V} visible units)`, x.length)
  for (let i = 0; i < x.length; i++) if (!(x[i] >= 0 && x[i] <= 1)) throw rangeError(`${where}[${i}]`, 'a value in [0, 1]', x[i])
  return x
}

const configOf = (e: Energy, data: unknown, o: FitOptions, where: string): { c: EpochConfig; x: Float64Array; epochs: number } => {
  const l = layersOf(e, `${where}: model`)
  if (l.units !== 'bernoulli') throw rangeError(`${where}: model`, 'a Bernoulli RBM (rbm.bernoulli)', e.name)
  const v = checkOptions<FitOptions>(object(o, `${where}: options`), `${where}: options`, ['epochs', 'batchSize', 'learningRate', 'method', 'k', 'chains', 'seed', 'params', 'backend'])
  const x = checkData(data, l.visible, `${where}: data`)
  const batch = positiveInteger(v.batchSize ?? 10, `${where}: batchSize`)
  const method = oneOf(v.method ?? 'pcd', `${where}: method`, ['pcd', 'cd'] as const)
  if (method === 'cd' && v.chains !== undefined) throw rangeError(`${where}: chains`, "no chains with method 'cd' (its chains are the batch)", v.chains)
  const c: EpochConfig = {
    N: x.length / l.visible,
    V: l.visible,
    H: l.hidden,
    batch,
    chains: method === 'pcd' ? positiveInteger(v.chains ?? batch, `${where}: chains`) : 0,
    k: positiveInteger(v.k ?? 1, `${where}: k`),
    persistent: method === 'pcd',
    lr: positive(v.learningRate ?? 0.1, `${where}: learningRate`),
    seed: checkSeed(v.seed, `${where}: seed`),
  }
  return { c, x, epochs: integer(v.epochs, `${where}: epochs`, { min: 0 }) }
}

/**
 * Trains a Bernoulli RBM by PCD-k (default) or CD-k with SGD, scikit-learn's BernoulliRBM rule, every
 * epoch's minibatches in a seeded random order; natively in one call when the addon is built ('auto').
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { bernoulli } from './model.js'
 * import { fit } from './fit.js'
 * const e = bernoulli({ visible: 4, hidden: 3, seed: 1 })
 * const data = [1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1]
 * const native = fit(e, data, { epochs: 3, batchSize: 2, seed: 5 })
 * const reference = fit(e, data, { epochs: 3, batchSize: 2, seed: 5, backend: 'reference' })
 * assert.deepEqual(native.params, reference.params) // bit for bit
 * assert.equal(native.epochs.length, 3)
 * assert.throws(() => fit(e, [2, 0, 0, 0], { epochs: 1, seed: 1 }), { message: 'rbm.fit: data[0]: expected a value in [0, 1], got 2' })
 */
export const fit = (model: Energy, data: ArrayLike<number>, options: FitOptions): FitResult => {
  const where = 'rbm.fit'
  const { c, x, epochs } = configOf(model, data, options, where)
  const start = checkParams(layersOf(model, where), options.params ?? init(model), `${where}: params`)
  const s = { W: start.W.slice(), a: start.a.slice(), b: start.b.slice(), chains: new Float64Array(c.chains * c.H) }
  const stats = new Float64Array(epochs)
  const backend = resolveBackend(options.backend ?? 'auto', `${where}: backend`)
  const config = Float64Array.of(c.N, c.V, c.H, c.batch, c.chains, c.k, c.persistent ? 1 : 0, c.lr, c.seed, epochs)
  // The native call draws the minibatch orders itself (the same permutations).
  if (backend !== 'native' || !rbmFitNative({ config, data: x, ...s, order: new Uint32Array(c.N * epochs), stats })) referenceEpochs(c, x, s, ordersOf(c.N, epochs, c.seed), stats)
  return { params: { W: s.W, a: s.a, b: s.b }, epochs: Array.from(stats, (gap) => ({ gap })), chains: s.chains, backend }
}
