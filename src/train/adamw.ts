/**
 * AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay, as torch.optim.AdamW: first
 * θ ← θ·(1 − ηλ), then Adam's step on the gradient alone. PyTorch's default λ is 0.01.
 *
 * @module
 */
import { type AdamFields, adamFields, type AdamOptions, adamStep } from './adam.js'
import { type Rule } from './optimizer.js'

/** AdamW as a value. */
export interface AdamW extends AdamFields {
  readonly kind: 'adamw'
}

/**
 * AdamW with PyTorch's defaults β = (0.9, 0.999), ε = 1e-8, weightDecay = 0.01.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { adamw } from './adamw.js'
 * assert.equal(adamw({ lr: 1e-3 }).weightDecay, 0.01)
 */
export const adamw = (o: AdamOptions): AdamW => Object.freeze({ kind: 'adamw' as const, ...adamFields(o, 'train.adamw', 0.01) })

/** The update of {@link adamw}; slots as Adam's. */
export const adamwRule: Rule<AdamW> = {
  slots: ['m', 'v'],
  update: (o, lr, t, param, grad, slots) => {
    const shrink = 1 - lr * o.weightDecay
    for (let i = 0; i < param.length; i++) param[i] *= shrink
    adamStep(o, 0, lr, t, param, grad, slots)
  },
}
