/**
 * An RBM's chains: its joint energy E(v, h) (`energy.bipartite`, the same parameters by name), block
 * Gibbs on it (`sampler.gibbs` over the two layers: h ~ p(h | v), then v ~ p(v | h)), the negatives of
 * CD-k and PCD for `train.fit`, and samples of the visible units.
 *
 * @module
 */
import { integer, object, options as checkOptions, positiveInteger, rangeError, seed as checkSeed } from '../check/index.js'
import { bipartite, gaussianBipartite, type Energy, type Params } from '../energy/index.js'
import { gibbs as blockGibbs, sample, type ColourClass, type Kernel } from '../sampler/index.js'
import { joint as jointNegatives, type Negatives } from '../train/index.js'
import { layersOf } from './model.js'

/**
 * The joint energy of an RBM over s = (v, h), visible units first, with the RBM's parameter names and
 * shapes (its own initial values are zeros; the RBM's are fed to whatever runs it): E(v, h) = −vᵀWh − aᵀv
 * − bᵀh (`energy.bipartite`) for a Bernoulli RBM, ‖v − a‖²/(2σ²) − (v/σ)ᵀWh − bᵀh
 * (`energy.gaussianBipartite`, domain 'mixed') for a Gaussian–Bernoulli one.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { bernoulli, gaussianBernoulli } from './model.js'
 * import { joint } from './chains.js'
 * const j = joint(bernoulli({ visible: 4, hidden: 3 }))
 * assert.deepEqual(j.shape, [7])
 * assert.equal(j.structure?.kind, 'bipartite')
 * assert.equal(joint(gaussianBernoulli({ visible: 2, hidden: 3, sigma: 0.5 })).domain, 'mixed')
 */
export const joint = (e: Energy): Energy => {
  const l = layersOf(e, 'rbm.joint: energy')
  const weights = Array.from({ length: l.visible }, () => new Array<number>(l.hidden).fill(0))
  return l.units === 'bernoulli' ? bipartite({ weights }) : gaussianBipartite({ weights, sigma: l.sigma })
}

/** Options of {@link gibbs}. */
export interface GibbsOptions {
  /** The temperature of the conditionals (default 1). */
  readonly temperature?: number
  /** 'hidden' (default): h | v then v | h; 'visible': v | h then h | v (PCD's order, from the chains' h). */
  readonly first?: 'hidden' | 'visible'
}

/**
 * Block Gibbs for an RBM's joint energy: one step draws one layer given the other, then the other.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { gibbs } from './chains.js'
 * assert.deepEqual(gibbs().classes, ['hidden', 'visible'])
 * assert.deepEqual(gibbs({ first: 'visible' }).classes, ['visible', 'hidden'])
 */
export const gibbs = (o: GibbsOptions = {}): Kernel => {
  const v = checkOptions<GibbsOptions>(object(o, 'rbm.gibbs: options'), 'rbm.gibbs: options', ['temperature', 'first'])
  const order: readonly ColourClass[] = v.first === 'visible' ? ['visible', 'hidden'] : v.first === undefined || v.first === 'hidden' ? ['hidden', 'visible'] : (() => { throw rangeError('rbm.gibbs: first', 'one of "hidden", "visible"', v.first) })()
  return blockGibbs({ temperature: v.temperature ?? 1, classes: order })
}

/**
 * CD-k negatives for `train.fit` on an RBM's free energy: chains of its joint energy start at the
 * positive batch (binary data) and run k Gibbs steps (h | v, v | h).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { bernoulli } from './model.js'
 * import { contrastiveDivergence } from './chains.js'
 * const n = contrastiveDivergence(bernoulli({ visible: 4, hidden: 2 }), { k: 1 })
 * assert.equal(n.kind === 'joint' && n.persistent, false)
 */
export const contrastiveDivergence = (e: Energy, o: { readonly k: number }): Negatives =>
  jointNegatives({ joint: joint(e), kernel: gibbs(), steps: integer(object(o, 'rbm.contrastiveDivergence: options').k, 'rbm.contrastiveDivergence: k', { min: 1 }) })

/**
 * PCD negatives for `train.fit` as scikit-learn's BernoulliRBM runs them: `chains` persistent chains
 * (default: the batch size) start at zeros and every training step take `steps` Gibbs steps (default 1)
 * in the order v | h, h | v, the negatives being the v just drawn.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { bernoulli } from './model.js'
 * import { persistentChains } from './chains.js'
 * const n = persistentChains(bernoulli({ visible: 4, hidden: 2 }))
 * assert.equal(n.kind === 'joint' && n.persistent, true)
 */
export const persistentChains = (e: Energy, o: { readonly chains?: number; readonly steps?: number } = {}): Negatives => {
  const v = checkOptions<{ chains: number; steps: number }>(object(o, 'rbm.persistentChains: options'), 'rbm.persistentChains: options', ['chains', 'steps'])
  return jointNegatives({ joint: joint(e), kernel: gibbs({ first: 'visible' }), steps: integer(v.steps ?? 1, 'rbm.persistentChains: steps', { min: 1 }), persistent: true, ...(v.chains === undefined ? {} : { chains: v.chains }) })
}

/** Options of {@link sampleVisible}. */
export interface SampleVisibleOptions {
  readonly chains: number
  /** Gibbs steps from all-zero chains. */
  readonly steps: number
  readonly seed: number
  readonly backend?: 'reference' | 'native' | 'auto'
}

/**
 * Draws visible vectors from an RBM by block Gibbs on its joint energy: `chains` chains from zeros, `steps`
 * steps each; returns their v (row-major, chains × visible).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { bernoulli } from './model.js'
 * import { sampleVisible } from './chains.js'
 * const e = bernoulli({ visible: 3, hidden: 2 })
 * // Strong visible biases: every unit on.
 * const p = { W: new Float64Array(6), a: new Float64Array([40, 40, 40]), b: new Float64Array(2) }
 * assert.deepEqual([...(await sampleVisible(e, p, { chains: 2, steps: 1, seed: 1 }))], [1, 1, 1, 1, 1, 1])
 */
export const sampleVisible = async (e: Energy, params: Params, o: SampleVisibleOptions): Promise<Float64Array> => {
  const where = 'rbm.sampleVisible'
  const l = layersOf(e, `${where}: energy`)
  const v = checkOptions<SampleVisibleOptions>(object(o, `${where}: options`), `${where}: options`, ['chains', 'steps', 'seed', 'backend'])
  const chains = positiveInteger(v.chains, `${where}: chains`)
  const r = await sample(joint(e), gibbs(), { chains, steps: positiveInteger(v.steps, `${where}: steps`), seed: checkSeed(v.seed, `${where}: seed`), params, backend: v.backend ?? 'auto' })
  const J = l.visible + l.hidden
  const out = new Float64Array(chains * l.visible)
  for (let c = 0; c < chains; c++) out.set(r.positions.subarray(c * J, c * J + l.visible), c * l.visible)
  return out
}
