/**
 * Fitting an energy of one or two dimensions to a target density on a grid by minimising a KL divergence
 * exactly: the model's log density on the grid, log q = −E − log Z with log Z = logsumexp(−E) + log(cell
 * volume), is an IR expression of θ, and so is either divergence (midpoint rule, as src/energy/grid.ts):
 *
 * - forward, KL(p‖q) = Σ p (log p − log q)·vol: what maximum likelihood minimises. It punishes q for
 *   missing mass of p, so a model too simple for p spreads over all of p's modes (mode covering).
 * - reverse, KL(q‖p) = Σ q (log q − log p)·vol: what variational inference minimises. It punishes q for
 *   mass where p has none, so the same model settles in one mode (mode seeking).
 *
 * The gradient comes from `ir.grad` and the steps from an optimizer, as in training.
 *
 * @module
 */
import { integer, object, oneOf, options as checkOptions, rangeError, typeError } from '../check/index.js'
import { type Backend, type Dtype, runTape } from '../backend/index.js'
import { type Energy, isEnergy } from '../energy/energy.js'
import { entropy, type Grid } from '../energy/grid.js'
import * as ir from '../ir/index.js'
import { checkExecution } from './loss.js'
import { energyOf, paramLeaves } from './objective.js'
import { applyOptimizer, checkOptimizer, initOptimizer, type Optimizer } from './optimize.js'
import { startingParams } from './params.js'

/** Options of {@link gridKL}. */
export interface GridKLOptions {
  /** 'forward' KL(target‖model) or 'reverse' KL(model‖target). */
  readonly direction: 'forward' | 'reverse'
  readonly optimizer: Optimizer
  readonly steps: number
  /** Starting values; default `energy.init(e)`. */
  readonly params?: Readonly<Record<string, ArrayLike<number>>>
  readonly backend?: Backend
  readonly dtype?: Dtype
  readonly threads?: number
}

/** What {@link gridKL} returns. */
export interface GridKLResult {
  readonly params: Readonly<Record<string, Float64Array>>
  /** The divergence before each step. */
  readonly losses: Float64Array
}

const where = 'train.gridKL'

/** The cell centres of a grid as rows [cells × d], first axis slowest. */
const cellCentres = (g: Grid): Float64Array => {
  const d = g.centres.length
  const n = g.n
  const x = new Float64Array(n ** d * d)
  for (let k = 0; k < n ** d; k++) {
    if (d === 1) x[k] = g.centres[0][k]
    else {
      x[2 * k] = g.centres[0][Math.floor(k / n)]
      x[2 * k + 1] = g.centres[1][k % n]
    }
  }
  return x
}

/** The KL of the direction as IR of the parameters, with the cells and the target as inputs. */
const divergence = (e: Energy, cells: number, direction: GridKLOptions['direction'], cellVolume: number, negativeEntropy: number) => {
  const params = paramLeaves(e)
  const x = ir.input('cells', [cells, ...e.shape])
  const p = ir.input('targetDensity', [cells])
  const logP = ir.input('targetLogDensity', [cells])
  const minusE = ir.neg(energyOf(e, x, params))
  const logQ = ir.sub(minusE, ir.add(ir.logsumexp(minusE, 0), Math.log(cellVolume)))
  // Forward: −vol·Σ p log q − H(p), with H(p) from the grid, so that cells where p = 0 add nothing.
  const kl = direction === 'forward'
    ? ir.add(ir.mul(ir.sum(ir.mul(p, logQ)), -cellVolume), negativeEntropy)
    : ir.mul(ir.sum(ir.mul(ir.exp(logQ), ir.sub(logQ, logP))), cellVolume)
  const leaves = Object.values(params)
  return ir.compile([kl, ...ir.grad(kl, leaves)], [x, p, logP, ...leaves])
}

/**
 * Minimises KL(target‖model) ('forward') or KL(model‖target) ('reverse') over the parameters of `e`, an
 * energy of shape [d] on the target's grid of d axes (from `grid.tabulate` or `grid.histogram`). The
 * reverse KL needs a target density > 0 on every cell.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { gaussian } from '../energy/index.js'
 * import { tabulate } from '../energy/grid.js'
 * import { sgd } from './sgd.js'
 * import { gridKL } from './grid-kl.js'
 * const spec = { bounds: [[-8, 8]] as [number, number][], n: 256 }
 * const target = tabulate(gaussian({ mean: [1.5] }), spec)
 * const { params, losses } = gridKL(gaussian({ mean: [0] }), target, { direction: 'forward', optimizer: sgd({ lr: 0.5 }), steps: 60 })
 * assert.ok(Math.abs(params.mean[0] - 1.5) < 1e-6)
 * assert.ok(Math.abs(losses[0] - 1.125) < 1e-6) // KL between unit Gaussians 1.5 apart: 1.5²/2
 */
export const gridKL = (e: Energy, target: Grid, options: GridKLOptions): GridKLResult => {
  if (!isEnergy(e)) throw typeError(`${where}: energy`, 'an Energy value', e)
  const o = checkOptions(object(options, `${where}: options`), `${where}: options`, ['direction', 'optimizer', 'steps', 'params', 'backend', 'dtype', 'threads'])
  const direction = oneOf(o.direction, `${where}: direction`, ['forward', 'reverse'] as const)
  const optimizer = checkOptimizer(o.optimizer, `${where}: optimizer`)
  const steps = integer(o.steps, `${where}: steps`)
  const execution = checkExecution(o, where)
  if (typeof target !== 'object' || target === null || !(target.logDensity instanceof Float64Array)) throw typeError(`${where}: target`, 'a grid (grid.tabulate or grid.histogram)', target)
  const d = target.centres.length
  if (e.shape.length !== 1 || e.shape[0] !== d) throw rangeError(`${where}: energy '${e.name}'`, `shape [${d}] for a grid of ${d} axes`, `shape ${ir.showShape(e.shape)}`)
  if (direction === 'reverse') {
    const zero = target.density.findIndex((v) => !(v > 0))
    if (zero >= 0) throw rangeError(`${where}: target`, 'a density > 0 on every cell for the reverse KL', `${target.density[zero]} at cell ${zero}`)
  }
  const tape = divergence(e, target.density.length, direction, target.cellVolume, -entropy(target))
  const names = Object.keys(paramLeaves(e))
  let params: Readonly<Record<string, Float64Array>> = startingParams(e, o.params, Object.fromEntries(Object.entries(e.params).map(([n, s]) => [n, s.shape])), 0, where)
  let state = initOptimizer(optimizer, params)
  const feeds = { cells: cellCentres(target), targetDensity: target.density, targetLogDensity: target.logDensity }
  const losses = new Float64Array(steps)
  for (let k = 0; k < steps; k++) {
    const [kl, ...grads] = runTape(tape, { ...feeds, ...params }, execution).map((a) => Float64Array.from(a))
    if (!Number.isFinite(kl[0])) throw rangeError(`${where}: step ${k}, the ${direction} KL`, 'a finite number', kl[0])
    losses[k] = kl[0]
    const next = applyOptimizer(optimizer, state, params, Object.fromEntries(names.map((n, i) => [n, grads[i]])))
    params = next.params
    state = next.state
  }
  return { params, losses }
}
