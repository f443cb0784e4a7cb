/**
 * The contrastive objective of maximum likelihood: the gradient of log p_θ(x⁺) is
 * E_{x⁻∼p_θ}[∇θE(x⁻)] − ∇θE(x⁺), so minimising mean E(x⁺) − mean E(x⁻), with the negatives x⁻ from a
 * sampler fed as inputs (no gradient flows through the sampler), follows it. Regularisers: the energy
 * magnitudes α·mean(E⁺² + E⁻²) of IGEBM (Du & Mordatch 2019), a gradient penalty γ·mean‖∇ₓE(x⁺)‖² (a
 * gradient of a gradient), and weight decay ½λ‖θ‖² (its gradient is λθ, PyTorch's weight_decay).
 *
 * @module
 */
import { nonNegative, options } from '../check/index.js'
import { type Energy } from '../energy/energy.js'
import * as ir from '../ir/index.js'
import { batchInput, energyOf, inputGradient, meanSquaredNorm, type ObjectiveGraph, paramLeaves, type Sizes, total } from './objective.js'

/** The contrastive objective as a value; a weight of 0 leaves its term out. */
export interface Contrastive {
  readonly kind: 'contrastive'
  /** α of α·mean(E⁺² + E⁻²). */
  readonly energyL2: number
  /** γ of γ·mean‖∇ₓE(x⁺)‖². */
  readonly gradientPenalty: number
  /** λ of ½λ‖θ‖² over the energy's parameters. */
  readonly weightDecay: number
}

/** Options of {@link contrastive}. */
export interface ContrastiveOptions {
  readonly energyL2?: number
  readonly gradientPenalty?: number
  readonly weightDecay?: number
}

/**
 * The contrastive objective mean E(x⁺) − mean E(x⁻) with optional regularisers. It needs negatives
 * (`train.shortRun`, `train.contrastiveDivergence`, `train.persistent`).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { contrastive } from './contrastive.js'
 * const igebm = contrastive({ energyL2: 1 })
 * assert.deepEqual(igebm, { kind: 'contrastive', energyL2: 1, gradientPenalty: 0, weightDecay: 0 })
 */
export const contrastive = (o: ContrastiveOptions = {}): Contrastive => {
  const where = 'train.contrastive'
  const v = options(o, where, ['energyL2', 'gradientPenalty', 'weightDecay'])
  return Object.freeze({
    kind: 'contrastive' as const,
    energyL2: nonNegative(v.energyL2 ?? 0, `${where}: energyL2`),
    gradientPenalty: nonNegative(v.gradientPenalty ?? 0, `${where}: gradientPenalty`),
    weightDecay: nonNegative(v.weightDecay ?? 0, `${where}: weightDecay`),
  })
}

/**
 * The IR of the contrastive objective: terms 'contrastive' and, when their weights are not 0,
 * 'energyL2', 'gradientPenalty' and 'weightDecay'.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { quadratic } from '../energy/index.js'
 * import { contrastive, contrastiveGraph } from './contrastive.js'
 * const g = contrastiveGraph(quadratic({ center: [0, 0] }), contrastive({ gradientPenalty: 0.1 }), { positives: 8, negatives: 4 })
 * assert.deepEqual(Object.keys(g.terms), ['contrastive', 'gradientPenalty'])
 */
export const contrastiveGraph = (e: Energy, o: Contrastive, sizes: Sizes): ObjectiveGraph => {
  const params = paramLeaves(e)
  const positive = batchInput(e, 'positive', sizes.positives)
  const negative = batchInput(e, 'negative', sizes.negatives)
  const Ep = energyOf(e, positive, params)
  const En = energyOf(e, negative, params)
  const meanPositive = ir.mean(Ep)
  const meanNegative = ir.mean(En)
  const terms: Record<string, ir.Expr> = { contrastive: ir.sub(meanPositive, meanNegative) }
  if (o.energyL2 > 0) terms.energyL2 = ir.mul(ir.add(ir.mean(ir.square(Ep)), ir.mean(ir.square(En))), o.energyL2)
  if (o.gradientPenalty > 0) terms.gradientPenalty = ir.mul(meanSquaredNorm(inputGradient(Ep, positive)), o.gradientPenalty)
  if (o.weightDecay > 0) terms.weightDecay = ir.mul(total(Object.values(params).map((p) => ir.sum(ir.square(p)))), o.weightDecay / 2)
  return { positive, negative, random: [], fixed: [], params: {}, terms, meanPositive, meanNegative }
}
