/**
 * Fused Bernoulli RBM training: `rbm.fit` runs whole epochs of PCD-k or CD-k with scikit-learn's SGD rule
 * in one native call (native/rbm.cc, through src/backend), or by its reference twin (./epoch.ts), which
 * gives the same numbers bit for bit. The generic path (`train.fit` with `rbm.persistentChains`) trains
 * the same model with the trainer's machinery; this one exists for speed.
 *
 * @module
 */
import { abortError as checkAbortError, abortSignal, func, integer, numbers, object, oneOf, options as checkOptions, positive, positiveInteger, rangeError, seed as checkSeed } from '../check/index.js'
import { rbmFitNative, resolveBackend, type RbmFitBuffers } from '../backend/index.js'
import { init, type Energy, type Params } from '../energy/index.js'
import { referenceEpochs, type EpochConfig, type EpochState } from './epoch.js'
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
  /** Aborting stops the fit between minibatches (natively; between epochs on the reference); the promise rejects with an AbortError. */
  readonly signal?: AbortSignal
  /** Called on the main thread after each epoch, in order, with its number and its record (`FitResult.epochs[epoch]`); the native fit goes on meanwhile (it does not wait for the callback). */
  readonly onEpoch?: (epoch: number, record: EpochRecord) => void
}

/** One epoch's record. */
export interface EpochRecord {
  /** The mean over minibatches of Σᵢ (mean v₊ᵢ − mean v₋ᵢ)² / V (the visible bias's squared gradient). */
  readonly gap: number
}

/** What {@link fit} returns. */
export interface FitResult {
  readonly params: { readonly W: Float64Array; readonly a: Float64Array; readonly b: Float64Array }
  /** Per epoch, its record. */
  readonly epochs: readonly EpochRecord[]
  /** The persistent chains' hidden states (chains × H; empty for CD). */
  readonly chains: Float64Array
  readonly backend: 'native' | 'reference'
}

const checkData = (data: unknown, V: number, where: string): Float64Array => {
  // A Float64Array is read as it is (never written); anything else is checked and copied.
  const x = data instanceof Float64Array ? data : numbers(data, where)
  if (x.length === 0 || x.length % V !== 0) throw rangeError(where, `a multiple of ${V} values (rows of ${V} visible units)`, x.length)
  for (let i = 0; i < x.length; i++) if (!(x[i] >= 0 && x[i] <= 1)) throw rangeError(`${where}[${i}]`, 'a value in [0, 1]', x[i])
  return x
}

const configOf = (e: Energy, data: unknown, o: FitOptions, where: string): { c: EpochConfig; x: Float64Array; epochs: number; onEpoch?: FitOptions['onEpoch'] } => {
  const l = layersOf(e, `${where}: model`)
  if (l.units !== 'bernoulli') throw rangeError(`${where}: model`, 'a Bernoulli RBM (rbm.bernoulli)', e.name)
  const v = checkOptions<FitOptions>(object(o, `${where}: options`), `${where}: options`, ['epochs', 'batchSize', 'learningRate', 'method', 'k', 'chains', 'seed', 'params', 'backend', 'signal', 'onEpoch'])
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
  abortSignal(v.signal, `${where}: signal`)
  const onEpoch = v.onEpoch === undefined ? undefined : func<NonNullable<FitOptions['onEpoch']>>(v.onEpoch, `${where}: onEpoch`)
  return { c, x, epochs: integer(v.epochs, `${where}: epochs`, { min: 0 }), onEpoch }
}

const abortError = (epochs: number): Error => checkAbortError(`rbm.fit: aborted after ${epochs} epochs`)

// The native fit on the addon's worker thread; false without the addon. Aborting raises the cancel
// flag, which the fit reads between minibatches; an error thrown by onEpoch stops the fit the same way and
// is rethrown.
const fitNative = async (buffers: Omit<RbmFitBuffers, 'cancel'>, signal: AbortSignal | undefined, onEpoch: (epoch: number) => void): Promise<boolean> => {
  const cancel = new Int32Array(1)
  let done = 0
  let failure: { error: unknown } | undefined
  const run = rbmFitNative({ ...buffers, cancel }, (epoch) => {
    done = epoch + 1
    // Epochs the worker finished before it saw the flag are not reported.
    if (cancel[0] === 1) return
    try {
      onEpoch(epoch)
    } catch (error) {
      failure ??= { error }
      cancel[0] = 1
    }
  })
  if (run === undefined) return false
  const stop = () => (cancel[0] = 1)
  signal?.addEventListener('abort', stop, { once: true })
  try {
    await run
  } catch (error) {
    if (failure !== undefined) throw failure.error
    throw (error as Error).name === 'AbortError' ? abortError(done) : error
  } finally {
    signal?.removeEventListener('abort', stop)
  }
  return true
}

// The reference epochs, one at a time, yielding to the event loop between them so that a signal can stop the fit.
const fitReference = async (c: EpochConfig, x: Float64Array, s: EpochState, stats: Float64Array, signal: AbortSignal | undefined, onEpoch: (epoch: number) => void): Promise<void> => {
  for (let e = 0; e < stats.length; e++) {
    await new Promise((resolve) => setImmediate(resolve))
    if (signal?.aborted) throw abortError(e)
    referenceEpochs(c, x, s, stats, e, e + 1)
    onEpoch(e)
  }
}

/**
 * Trains a Bernoulli RBM by PCD-k (default) or CD-k with SGD, scikit-learn's BernoulliRBM rule, every
 * epoch's minibatches in a seeded random order; natively on the addon's worker thread when it is built
 * ('auto'), the main thread staying free. Aborting `signal` stops the fit between minibatches and rejects
 * with an AbortError; `onEpoch` reports each epoch as it ends.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { bernoulli } from './model.js'
 * import { fit } from './fit.js'
 * const e = bernoulli({ visible: 4, hidden: 3, seed: 1 })
 * const data = [1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1]
 * const seen: number[] = []
 * const native = await fit(e, data, { epochs: 3, batchSize: 2, seed: 5, onEpoch: (epoch) => seen.push(epoch) })
 * const reference = await fit(e, data, { epochs: 3, batchSize: 2, seed: 5, backend: 'reference' })
 * assert.deepEqual(native.params, reference.params) // bit for bit
 * assert.deepEqual(seen, [0, 1, 2])
 * await assert.rejects(fit(e, [2, 0, 0, 0], { epochs: 1, seed: 1 }), { message: 'rbm.fit: data[0]: expected a value in [0, 1], got 2' })
 * await assert.rejects(fit(e, data, { epochs: 3, seed: 1, signal: AbortSignal.abort() }), { name: 'AbortError', message: 'rbm.fit: aborted after 0 epochs' })
 */
export const fit = async (model: Energy, data: ArrayLike<number>, options: FitOptions): Promise<FitResult> => {
  const where = 'rbm.fit'
  const { c, x, epochs, onEpoch } = configOf(model, data, options, where)
  const start = checkParams(layersOf(model, where), options.params ?? init(model), `${where}: params`)
  const s = { W: start.W.slice(), a: start.a.slice(), b: start.b.slice(), chains: new Float64Array(c.chains * c.H) }
  const stats = new Float64Array(epochs)
  const backend = resolveBackend(options.backend ?? 'auto', `${where}: backend`)
  const { signal } = options
  if (signal?.aborted) throw abortError(0)
  const report = (e: number) => onEpoch?.(e, { gap: stats[e] })
  const config = Float64Array.of(c.N, c.V, c.H, c.batch, c.chains, c.k, c.persistent ? 1 : 0, c.lr, c.seed, epochs)
  // The native fit draws the minibatch orders itself (the same permutations) and reads its own copy of the
  // data (the caller's array stays the caller's while the worker runs).
  const ran = backend === 'native' && (await fitNative({ config, data: x === data ? x.slice() : x, ...s, stats }, signal, report))
  if (!ran) await fitReference(c, x, s, stats, signal, report)
  return { params: { W: s.W, a: s.a, b: s.b }, epochs: Array.from(stats, (gap) => ({ gap })), chains: s.chains, backend }
}
