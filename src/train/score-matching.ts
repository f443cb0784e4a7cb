/**
 * Score matching: fit the model's score −∇ₓE to the data's without negatives and without log Z.
 *
 * - exact (Hyvärinen 2005): mean ½‖∇ₓE(x)‖² − tr ∇²ₓE(x). The trace takes one gradient of a gradient per
 *   coordinate: D + 1 reverse passes per step, so its cost grows linearly in D (and the tape with it);
 *   use it for small D.
 * - sliced (Song et al. 2019, with variance reduction): mean ½‖∇ₓE(x)‖² − vᵀ∇²ₓE(x)v with v ∼ N(0, I),
 *   `projections` per point (default 1): one Hessian-vector product each, whatever D. Since
 *   E[vᵀHv] = tr H, its expectation is exact score matching's loss.
 * - denoising (Vincent 2011): perturb x̃ = x + σε and match −∇ₓE(x̃) to −(x̃ − x)/σ² = −ε/σ. With several
 *   levels σ₁ … σ_L every point is perturbed at every level and the levels are weighted by σ² as in NCSN
 *   (Song & Ermon 2019): loss = mean over levels and points of ½‖σ∇ₓE(x̃) − ε‖². One level is the same
 *   formula with L = 1 (its weight σ² does not move the minimiser). The energy is not conditioned on σ.
 *
 * Projections and perturbations are standard normals drawn from the run's Philox streams, keyed by (seed,
 * step), and fed as inputs.
 *
 * @module
 */
import { options, positive, positiveInteger, oneOf, numbers, rangeError } from '../check/index.js'
import { type Energy } from '../energy/energy.js'
import * as ir from '../ir/index.js'
import { batchInput, column, energyOf, inputGradient, meanSquaredNorm, type ObjectiveGraph, paramLeaves, rows, type Sizes, total } from './objective.js'

/** Score matching as a value. */
export type ScoreMatching =
  | { readonly kind: 'scoreMatching'; readonly form: 'exact' }
  | { readonly kind: 'scoreMatching'; readonly form: 'sliced'; readonly projections: number }
  | { readonly kind: 'scoreMatching'; readonly form: 'denoising'; readonly sigmas: readonly number[] }

/** Options of {@link scoreMatching}. */
export type ScoreMatchingOptions =
  | { readonly kind: 'exact' }
  | { readonly kind: 'sliced'; readonly projections?: number }
  | { readonly kind: 'denoising'; readonly sigma: number }
  | { readonly kind: 'denoising'; readonly sigmas: readonly number[] }

const where = 'train.scoreMatching'

const denoisingLevels = (v: Readonly<Record<string, unknown>>): readonly number[] => {
  if ((v.sigma === undefined) === (v.sigmas === undefined)) throw rangeError(where, "one of 'sigma' (one noise level) or 'sigmas' (several)", v)
  if (v.sigma !== undefined) return [positive(v.sigma, `${where}: sigma`)]
  const sigmas = Array.from(numbers(v.sigmas, `${where}: sigmas`))
  if (sigmas.length === 0) throw rangeError(`${where}: sigmas`, 'at least one noise level', v.sigmas)
  sigmas.forEach((s, i) => positive(s, `${where}: sigmas[${i}]`))
  return Object.freeze(sigmas)
}

/**
 * Score matching in its exact, sliced or denoising form.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { scoreMatching } from './score-matching.js'
 * assert.deepEqual(scoreMatching({ kind: 'sliced' }), { kind: 'scoreMatching', form: 'sliced', projections: 1 })
 * assert.deepEqual(scoreMatching({ kind: 'denoising', sigma: 0.1 }).sigmas, [0.1])
 * assert.throws(() => scoreMatching({ kind: 'denoising', sigma: -1 }), { message: 'train.scoreMatching: sigma: expected a positive number, got -1' })
 */
export const scoreMatching = (o: ScoreMatchingOptions): ScoreMatching => {
  const form = oneOf(o?.kind, `${where}: kind`, ['exact', 'sliced', 'denoising'] as const)
  if (form === 'exact') {
    options(o, where, ['kind'])
    return Object.freeze({ kind: 'scoreMatching' as const, form })
  }
  if (form === 'sliced') {
    const v = options(o, where, ['kind', 'projections'])
    return Object.freeze({ kind: 'scoreMatching' as const, form, projections: positiveInteger(v.projections ?? 1, `${where}: projections`) })
  }
  const v = options(o, where, ['kind', 'sigma', 'sigmas'])
  return Object.freeze({ kind: 'scoreMatching' as const, form, sigmas: denoisingLevels(v) })
}

/** tr ∇ₓg of every row, Σ_d ∂g_d/∂x_d, for g = ∇ₓE as [batch, D]: one reverse pass per coordinate. */
const hessianTrace = (g: ir.Expr, x: ir.Expr): ir.Expr => {
  const D = g.shape[1]
  const diagonal = Array.from({ length: D }, (_v, d) => column(rows(ir.grad(ir.sum(column(g, d)), [x])[0]), d))
  return diagonal.reduce((a, b) => ir.add(a, b))
}

/** mean over points and projections of vᵀ∇²E v, with v the rows of the 'projections' input [P, B, D]. */
const projectedCurvature = (g: ir.Expr, x: ir.Expr, projections: ir.Expr): ir.Expr => {
  const [P, B, D] = projections.shape
  const curvatures = Array.from({ length: P }, (_v, m) => {
    const v = ir.reshape(ir.slice(projections, 0, m, m + 1), [B, D])
    const hv = rows(ir.grad(ir.sum(ir.mul(g, v)), [x])[0])
    return ir.mean(ir.sum(ir.mul(v, hv), 1))
  })
  return ir.div(total(curvatures), P)
}

/** ½ mean ‖σ∇E(x̃) − ε‖² over levels and points, with x̃ = x + σε and ε the 'perturbations' input [L, B, ...shape]. */
const denoising = (e: Energy, x: ir.Expr, sigmas: readonly number[], params: Readonly<Record<string, ir.Expr>>): { loss: ir.Expr; eps: ir.Expr } => {
  const L = sigmas.length
  const B = x.shape[0]
  const eps = ir.input('perturbations', [L, ...x.shape])
  const sigma = ir.constant(sigmas, [L, ...x.shape.map(() => 1)])
  const perturbed = ir.reshape(ir.add(ir.broadcast(ir.reshape(x, [1, ...x.shape]), eps.shape), ir.mul(sigma, eps)), [L * B, ...x.shape.slice(1)])
  // ∂/∂ε of ΣE(x + σε) is σ∇ₓE(x̃), level by level: the scaled score of every level in one pass.
  const scaled = ir.grad(ir.sum(energyOf(e, perturbed, params)), [eps])[0]
  const loss = ir.mul(meanSquaredNorm(rows(ir.reshape(ir.sub(scaled, eps), [L * B, ...x.shape.slice(1)]))), 0.5)
  return { loss, eps }
}

/**
 * The IR of score matching: one term 'scoreMatching'; random inputs 'projections' [P, B, D] (sliced) or
 * 'perturbations' [L, B, ...shape] (denoising).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { quadratic } from '../energy/index.js'
 * import { scoreMatching, scoreMatchingGraph } from './score-matching.js'
 * const g = scoreMatchingGraph(quadratic({ center: [0, 0] }), scoreMatching({ kind: 'sliced', projections: 2 }), { positives: 8, negatives: 0 })
 * assert.deepEqual(g.random, [{ name: 'projections', shape: [2, 8, 2] }])
 */
export const scoreMatchingGraph = (e: Energy, o: ScoreMatching, sizes: Sizes): ObjectiveGraph => {
  const params = paramLeaves(e)
  const positive = batchInput(e, 'positive', sizes.positives)
  const E = energyOf(e, positive, params)
  const base = { positive, fixed: [], params: {}, meanPositive: ir.mean(E) }
  if (o.form === 'denoising') {
    const { loss, eps } = denoising(e, positive, o.sigmas, params)
    return { ...base, random: [{ name: 'perturbations', shape: eps.shape }], terms: { scoreMatching: loss } }
  }
  const g = inputGradient(E, positive)
  const half = ir.mul(meanSquaredNorm(g), 0.5)
  if (o.form === 'exact') return { ...base, random: [], terms: { scoreMatching: ir.sub(half, ir.mean(hessianTrace(g, positive))) } }
  const projections = ir.input('projections', [o.projections, ...g.shape])
  return { ...base, random: [{ name: 'projections', shape: projections.shape }], terms: { scoreMatching: ir.sub(half, projectedCurvature(g, positive, projections)) } }
}
