/**
 * Neural energies: multilayer perceptrons with smooth activations (optionally spectrally normalised) and
 * the classifier energies of JEM (Grathwohl et al. 2019, "Your classifier is secretly an energy based
 * model").
 *
 * @module
 */
import * as ir from '../ir/index.js'
import { func, integer, object, oneOf, options as checkOptions, positiveInteger, rangeError, seed as checkSeed, typeError } from '../check/index.js'
import { define, type Energy, type Json, type ParamSpec } from './energy.js'

/**
 * The smooth activations an MLP energy may use (smooth, so ∇ₓE is continuous for Langevin dynamics).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { activations } from './neural.js'
 * assert.equal(activations.includes('silu'), true)
 */
export const activations = ['silu', 'softplus', 'tanh'] as const

/** One of {@link activations}. */
export type Activation = (typeof activations)[number]

/**
 * A network: maps a batch of configurations [batch, ...shape] to `outputs` numbers per configuration,
 * [batch, outputs]. The classifier energies take one; users may write their own as a plain value.
 */
export interface Network {
  readonly shape: ir.Shape
  readonly outputs: number
  readonly params: Readonly<Record<string, ParamSpec>>
  readonly build: (x: ir.Expr, params: Readonly<Record<string, ir.Expr>>) => ir.Expr
  /** A description `fromDescription` can rebuild (MLPs), or any JSON for a network written by hand. */
  readonly description: Json
  readonly seed?: number
}

/** Options of {@link network} and {@link mlp}. */
export interface MlpOptions {
  /** Layer widths from the input dimension to the output, e.g. [2, 128, 128, 1]. */
  readonly widths: readonly number[]
  /** Default 'silu'. */
  readonly activation?: Activation
  /** The default seed of `init` for this energy. */
  readonly seed?: number
  /**
   * Divide every weight matrix by its largest singular value, estimated by `steps` power iterations
   * (default 20) written in IR; `true` means the default.
   */
  readonly spectralNorm?: boolean | { readonly steps: number }
}

const activate: Record<Activation, (x: ir.Expr) => ir.Expr> = { silu: ir.silu, softplus: ir.softplus, tanh: ir.tanh }

const unitNorm = (v: ir.Expr): ir.Expr => ir.div(v, ir.sqrt(ir.sum(ir.square(v))))

/**
 * W / σ_max(W), with σ_max estimated by `steps` power iterations from the fixed start vector (1, …, 1)/√n:
 * v ← Wu/‖Wu‖, u ← Wᵀv/‖Wᵀv‖, σ ≈ ‖Wu‖. Everything is IR, so the gradient flows through the
 * iteration too (PyTorch's spectral_norm instead keeps u between steps and treats it as a constant). The
 * estimate approaches σ_max from below, geometrically in (σ₂/σ₁)²; too few steps leave W slightly too
 * large.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../ir/index.js'
 * import { spectralNormalise } from './neural.js'
 * const W = ir.constant([[3, 0], [0, 1]])
 * const [normalised] = ir.interpret([spectralNormalise(W, 20)], {})
 * assert.ok([1, 0, 0, 1 / 3].every((v, i) => Math.abs(normalised[i] - v) < 1e-12))
 */
export const spectralNormalise = (W: ir.Expr, steps: number): ir.Expr => {
  if (!ir.isExpr(W)) throw typeError('energy.spectralNormalise: W', 'an expression (a weight matrix)', W)
  if (W.shape.length !== 2) throw new RangeError(`energy.spectralNormalise: W: expected a matrix (rank 2), got shape ${ir.showShape(W.shape)}`)
  integer(steps, 'energy.spectralNormalise: steps')
  const n = W.shape[1]
  let u = ir.constant(new Array<number>(n).fill(1 / Math.sqrt(n)), [n, 1])
  for (let s = 0; s < steps; s++) {
    const v = unitNorm(ir.matmul(W, u))
    u = unitNorm(ir.matmul(ir.transpose(W), v))
  }
  return ir.div(W, ir.sqrt(ir.sum(ir.square(ir.matmul(W, u)))))
}

const powerSteps = (spectralNorm: MlpOptions['spectralNorm']): number => {
  if (spectralNorm === undefined || spectralNorm === false) return 0
  if (spectralNorm === true) return 20
  if (typeof spectralNorm !== 'object' || spectralNorm === null) throw typeError('energy.mlp: spectralNorm', 'true, false or { steps }', spectralNorm)
  return positiveInteger(checkOptions(spectralNorm, 'energy.mlp: spectralNorm', ['steps']).steps, 'energy.mlp: spectralNorm.steps')
}

/**
 * An MLP as a network: x ↦ W_L·a(… a(W₀x + b₀) …) + b_L with parameters 'W0', 'b0', 'W1', 'b1', ….
 * Weights are stored [fan_in, fan_out] (rows are inputs, x·W; transpose for PyTorch's [out, in]) and
 * initialised like PyTorch's nn.Linear: weights and biases uniform in ±1/√fan_in.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { network } from './neural.js'
 * const f = network({ widths: [2, 16, 3], activation: 'tanh' })
 * assert.equal(f.outputs, 3)
 */
export const network = (options: MlpOptions): Network => {
  const o = checkOptions<MlpOptions>(options, 'energy.mlp: options', ['widths', 'activation', 'seed', 'spectralNorm'])
  const widths = o.widths
  if (!Array.isArray(widths)) throw typeError('energy.mlp: widths', 'an array of layer widths', widths)
  if (widths.length < 2) throw rangeError('energy.mlp: widths', 'at least an input and an output width', widths)
  widths.forEach((w, i) => positiveInteger(w, `energy.mlp: widths[${i}]`))
  const activation = oneOf(o.activation ?? 'silu', 'energy.mlp: activation', activations)
  const steps = powerSteps(o.spectralNorm)
  const seed = o.seed === undefined ? undefined : checkSeed(o.seed, 'energy.mlp: seed')
  const layers = widths.length - 1
  const params: Record<string, ParamSpec> = {}
  for (let l = 0; l < layers; l++) {
    const bound = 1 / Math.sqrt(widths[l])
    params[`W${l}`] = { shape: [widths[l], widths[l + 1]], init: { kind: 'uniform', low: -bound, high: bound } }
    params[`b${l}`] = { shape: [widths[l + 1]], init: { kind: 'uniform', low: -bound, high: bound } }
  }
  const build = (x: ir.Expr, p: Readonly<Record<string, ir.Expr>>): ir.Expr => {
    let h = x
    for (let l = 0; l < layers; l++) {
      const W = steps > 0 ? spectralNormalise(p[`W${l}`], steps) : p[`W${l}`]
      h = ir.add(ir.matmul(h, W), p[`b${l}`])
      if (l < layers - 1) h = activate[activation](h)
    }
    return h
  }
  const description: Json = { name: 'mlp', widths: [...widths], activation, spectralNorm: steps === 0 ? false : { steps }, ...(seed === undefined ? {} : { seed }) }
  return { shape: [widths[0]], outputs: widths[layers], params, build, description, ...(seed === undefined ? {} : { seed }) }
}

/**
 * An MLP energy: the network of {@link network} with one output, E(x) = f(x). Widths must end in 1.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { mlp, evaluate, init } from './index.js'
 * const e = mlp({ widths: [2, 32, 32, 1], activation: 'softplus', seed: 1 })
 * assert.equal(evaluate(e, [[0, 0], [1, 1]], init(e)).length, 2)
 */
export const mlp = (options: MlpOptions): Energy => {
  const f = network(options)
  if (f.outputs !== 1) throw rangeError('energy.mlp: widths', `a last width of 1 (an energy has one output; use energy.classifier for ${f.outputs} logits)`, f.outputs)
  return define({
    name: 'mlp',
    shape: f.shape,
    params: f.params,
    build: (x, p) => ir.reshape(f.build(x, p), [x.shape[0]]),
    description: f.description,
    seed: f.seed,
  })
}

/** Options of {@link classifier}. */
export interface ClassifierOptions {
  /** Fix the class y: the conditional energy E(x, y) = −f(x)[y]. Without it, the marginal energy. */
  readonly label?: number
}

/**
 * The energies of a classifier's logits f(x) (JEM): the marginal E(x) = −logsumexp_y f(x)[y] and, with a
 * `label` fixed at construction, the conditional E(x, y) = −f(x)[y]. The label is part of the energy (not
 * an input) so that samplers move x only; for a batch of mixed labels build one energy per class. The
 * network's parameter names are kept.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { classifier, network, evaluate, init } from './index.js'
 * const f = network({ widths: [2, 16, 3], seed: 0 })
 * const marginal = classifier(f)
 * const ofClass2 = classifier(f, { label: 2 })
 * assert.equal(evaluate(marginal, [[0, 1]], init(marginal))[0] <= evaluate(ofClass2, [[0, 1]], init(ofClass2))[0], true)
 */
export const classifier = (f: Network, options: ClassifierOptions = {}): Energy => {
  object(f, 'energy.classifier: network')
  func(f.build, 'energy.classifier: network.build')
  const classes = positiveInteger(f.outputs, 'energy.classifier: network.outputs')
  const given = checkOptions(options, 'energy.classifier: options', ['label']).label
  const label = given === undefined ? undefined : integer(given, 'energy.classifier: label', { max: classes - 1 })
  return define({
    name: 'classifier',
    shape: f.shape,
    params: f.params,
    build: (x, p) => {
      const logits = f.build(x, p)
      if (logits.shape.length !== 2 || logits.shape[1] !== classes) {
        throw new RangeError(`energy.classifier: network.build(x, params): expected shape [batch, ${classes}], got ${ir.showShape(logits.shape)}`)
      }
      return label === undefined ? ir.neg(ir.logsumexp(logits, 1)) : ir.neg(ir.reshape(ir.slice(logits, 1, label, label + 1), [x.shape[0]]))
    },
    description: { name: 'classifier', network: f.description, ...(label === undefined ? {} : { label }) },
    seed: f.seed,
  })
}
