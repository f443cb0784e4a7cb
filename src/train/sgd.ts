/**
 * Stochastic gradient descent, PyTorch's torch.optim.SGD without momentum: θ ← θ − η·(g + λθ), with
 * λ its (coupled, L2) weight decay.
 *
 * @module
 */
import { nonNegative } from '../check/index.js'
import { type Common, type CommonOptions, common, type Rule } from './optimizer.js'

/** SGD as a value. */
export interface Sgd extends Common {
  readonly kind: 'sgd'
  readonly weightDecay: number
}

/** Options of {@link sgd}. */
export interface SgdOptions extends CommonOptions {
  /** λ of the L2 term λθ added to the gradient; default 0. */
  readonly weightDecay?: number
}

/**
 * Plain gradient descent.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { sgd } from './sgd.js'
 * assert.deepEqual(sgd({ lr: 0.1 }), { kind: 'sgd', lr: { kind: 'constant', value: 0.1 }, clipNorm: null, weightDecay: 0 })
 */
export const sgd = (o: SgdOptions): Sgd => {
  const where = 'train.sgd'
  const c = common(o, where, ['weightDecay'])
  return Object.freeze({ kind: 'sgd' as const, ...c.common, weightDecay: nonNegative(c.options.weightDecay ?? 0, `${where}: weightDecay`) })
}

/** g + λθ, PyTorch's coupled weight decay, at index i. */
export const decayed = (grad: Float64Array, param: Float64Array, weightDecay: number, i: number): number => (weightDecay === 0 ? grad[i] : grad[i] + weightDecay * param[i])

/** The update of {@link sgd}. */
export const sgdRule: Rule<Sgd> = {
  slots: [],
  update: (o, lr, _t, param, grad) => {
    for (let i = 0; i < param.length; i++) param[i] -= lr * decayed(grad, param, o.weightDecay, i)
  },
}
