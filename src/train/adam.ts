/**
 * Adam (Kingma & Ba 2015) as PyTorch's torch.optim.Adam computes it, operation for operation: with
 * d = g + λθ (coupled L2 weight decay, default λ = 0),
 *
 *     m ← lerp(m, d, 1 − β₁)          v ← β₂v + (1 − β₂)d²
 *     θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 *
 * so ε is added after the bias correction of √v, as PyTorch does (not to √v̂ before it, nor inside the
 * root). AdamW (adamw.ts) shares this update.
 *
 * @module
 */
import { nonNegative, numbers, positive, rangeError } from '../check/index.js'
import { type Common, type CommonOptions, common, rate, type Rule } from './optimizer.js'
import { decayed } from './sgd.js'

/** Adam's fields, shared by AdamW. */
export interface AdamFields extends Common {
  readonly betas: readonly [number, number]
  readonly eps: number
  readonly weightDecay: number
}

/** Adam as a value. */
export interface Adam extends AdamFields {
  readonly kind: 'adam'
}

/** Options of {@link adam}. */
export interface AdamOptions extends CommonOptions {
  /** [β₁, β₂], default [0.9, 0.999]. */
  readonly betas?: readonly [number, number]
  /** Default 1e-8. */
  readonly eps?: number
  /** λ of the L2 term λθ added to the gradient (coupled; see adamw for decoupled); default 0. */
  readonly weightDecay?: number
}

/** Checks Adam's options (for Adam and AdamW) with `defaultDecay` as weightDecay's default. */
export const adamFields = (o: unknown, where: string, defaultDecay: number): AdamFields => {
  const c = common(o, where, ['betas', 'eps', 'weightDecay'])
  const betas = numbers(c.options.betas ?? [0.9, 0.999], `${where}: betas`)
  if (betas.length !== 2) throw rangeError(`${where}: betas`, 'two numbers [β₁, β₂]', c.options.betas)
  return {
    ...c.common,
    betas: Object.freeze([rate(betas[0], `${where}: betas[0]`), rate(betas[1], `${where}: betas[1]`)] as const),
    // eps > 0: with 0, a parameter whose gradient has been 0 so far moves by 0/0.
    eps: positive(c.options.eps ?? 1e-8, `${where}: eps`),
    weightDecay: nonNegative(c.options.weightDecay ?? defaultDecay, `${where}: weightDecay`),
  }
}

/**
 * Adam with PyTorch's defaults β = (0.9, 0.999), ε = 1e-8.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { adam } from './adam.js'
 * assert.deepEqual(adam({ lr: 1e-3 }).betas, [0.9, 0.999])
 */
export const adam = (o: AdamOptions): Adam => Object.freeze({ kind: 'adam' as const, ...adamFields(o, 'train.adam', 0) })

// torch.lerp(a, b, w): a + w(b − a) for w < ½, else b − (b − a)(1 − w), which is exact at w = 1.
const lerp = (a: number, b: number, w: number): number => (w < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w))

/** Adam's moment update and step on one tensor, with `decay` the coupled L2 weight. */
export const adamStep = (o: AdamFields, decay: number, lr: number, t: number, param: Float64Array, grad: Float64Array, slots: Readonly<Record<string, Float64Array>>): void => {
  const { m, v } = slots
  const [b1, b2] = o.betas
  const stepSize = lr / (1 - b1 ** t)
  const correction = Math.sqrt(1 - b2 ** t)
  for (let i = 0; i < param.length; i++) {
    const d = decayed(grad, param, decay, i)
    m[i] = lerp(m[i], d, 1 - b1)
    // addcmul and addcdiv associate as PyTorch's kernels do: (c·a)·b and (c·a)/b.
    v[i] = v[i] * b2 + (1 - b2) * d * d
    param[i] += (-stepSize * m[i]) / (Math.sqrt(v[i]) / correction + o.eps)
  }
}

/** The update of {@link adam}; its slots 'm' and 'v' are the first and second moments. */
export const adamRule: Rule<Adam> = {
  slots: ['m', 'v'],
  update: (o, lr, t, param, grad, slots) => adamStep(o, o.weightDecay, lr, t, param, grad, slots),
}
