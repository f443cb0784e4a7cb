/**
 * What every objective builds: its loss terms as IR of the parameters, over named inputs (the positive
 * batch, negatives, random draws, fixed statistics of the data). The objectives themselves live one a
 * module (contrastive.ts, score-matching.ts, nce.ts); loss.ts compiles any of them into one tape.
 *
 * @module
 */
import { type Energy, type ParamSpec } from '../energy/energy.js'
import * as ir from '../ir/index.js'

/** Batch sizes an objective is built for. */
export interface Sizes {
  /** Positive (data) points per step. */
  readonly positives: number
  /** Negative chains per step (objectives that take negatives). */
  readonly negatives: number
}

/** An input of standard normal draws, drawn from (seed, step) each step. */
export interface RandomInput {
  readonly name: string
  readonly shape: ir.Shape
}

/** The IR of an objective for an energy and batch sizes. */
export interface ObjectiveGraph {
  /** The positive batch, [positives, ...shape], fed as 'positive'. */
  readonly positive: ir.Expr
  /** The negatives, [negatives, ...shape], fed as 'negative', when the objective takes them. */
  readonly negative?: ir.Expr
  /** Inputs of standard normals drawn each step (projections, perturbations, noise samples). */
  readonly random: readonly RandomInput[]
  /** Inputs fixed for a run, computed from the data once (NCE's noise distribution). */
  readonly fixed: readonly RandomInput[]
  /** Parameters the objective owns besides the energy's (NCE's log Z). */
  readonly params: Readonly<Record<string, ParamSpec>>
  /** Loss terms by name, each a scalar; the loss is their sum. */
  readonly terms: Readonly<Record<string, ir.Expr>>
  /** Mean energy of the positive batch. */
  readonly meanPositive: ir.Expr
  /** Mean energy of the negatives (or the noise samples of NCE), when there are any. */
  readonly meanNegative?: ir.Expr
}

/** The param leaves of an energy and of an objective's own parameters, sorted by name. */
export const paramLeaves = (e: Energy, own: Readonly<Record<string, ParamSpec>> = {}): Record<string, ir.Expr> => {
  const specs = { ...e.params, ...own }
  return Object.fromEntries(Object.keys(specs).sort().map((n) => [n, ir.param(n, specs[n].shape)]))
}

/**
 * E of every row of `x` ([batch, ...shape]), as `energy.program` checks it: one energy per row.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../ir/index.js'
 * import { quadratic } from '../energy/index.js'
 * import { energyOf, paramLeaves } from './objective.js'
 * const e = quadratic({ center: [0, 0] })
 * assert.deepEqual(energyOf(e, ir.input('positive', [5, 2]), paramLeaves(e)).shape, [5])
 */
export const energyOf = (e: Energy, x: ir.Expr, params: Readonly<Record<string, ir.Expr>>): ir.Expr => {
  const E = e.build(x, params)
  if (!ir.isExpr(E) || E.shape.length !== 1 || E.shape[0] !== x.shape[0]) {
    throw new RangeError(`energy '${e.name}': build must return one energy per configuration, shape [${x.shape[0]}]; got ${ir.isExpr(E) ? ir.showShape(E.shape) : typeof E}`)
  }
  return E
}

/** A batch input of `count` configurations of the energy's shape. */
export const batchInput = (e: Energy, name: string, count: number): ir.Expr => ir.input(name, [count, ...e.shape])

/** Rows of `x` flattened to [batch, D]. */
export const rows = (x: ir.Expr): ir.Expr => ir.reshape(x, [x.shape[0], ir.size(x.shape) / x.shape[0]])

/** ∇ₓE of every row, flattened to [batch, D]: the gradient of ΣE, since the rows are independent. */
export const inputGradient = (E: ir.Expr, x: ir.Expr): ir.Expr => rows(ir.grad(ir.sum(E), [x])[0])

/** The mean over rows of ‖row‖², for a [batch, D] expression. */
export const meanSquaredNorm = (g: ir.Expr): ir.Expr => ir.mean(ir.sum(ir.square(g), 1))

/** Column d of a [batch, D] expression, as [batch]. */
export const column = (g: ir.Expr, d: number): ir.Expr => ir.reshape(ir.slice(g, 1, d, d + 1), [g.shape[0]])

/** The sum of scalar expressions (0 for none). */
export const total = (xs: readonly ir.Expr[]): ir.Expr => xs.reduce((a, b) => ir.add(a, b), ir.constant(0))
