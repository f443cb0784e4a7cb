/**
 * Gradient descent with heavy-ball or Nesterov momentum, PyTorch's torch.optim.SGD with `momentum` μ
 * (dampening 0): d = g + λθ, b ← μb + d (b starts at 0, so b₁ = d), then θ ← θ − η·b, or with Nesterov
 * θ ← θ − η·(d + μb).
 *
 * @module
 */
import { boolean, nonNegative, rangeError } from '../check/index.js'
import { type Common, type CommonOptions, common, rate, type Rule } from './optimizer.js'
import { decayed } from './sgd.js'

/** Momentum SGD as a value. */
export interface Momentum extends Common {
  readonly kind: 'momentum'
  readonly momentum: number
  readonly nesterov: boolean
  readonly weightDecay: number
}

/** Options of {@link momentum}. */
export interface MomentumOptions extends CommonOptions {
  /** μ in [0, 1). */
  readonly momentum: number
  /** Default false. */
  readonly nesterov?: boolean
  /** λ of the L2 term λθ added to the gradient; default 0. */
  readonly weightDecay?: number
}

/**
 * Momentum SGD.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { momentum } from './momentum.js'
 * assert.equal(momentum({ lr: 0.1, momentum: 0.9, nesterov: true }).nesterov, true)
 * assert.throws(() => momentum({ lr: 0.1, momentum: 1 }), { message: 'train.momentum: momentum: expected a number in [0, 1), got 1' })
 */
export const momentum = (o: MomentumOptions): Momentum => {
  const where = 'train.momentum'
  const c = common(o, where, ['momentum', 'nesterov', 'weightDecay'])
  const mu = rate(c.options.momentum, `${where}: momentum`)
  const nesterov = boolean(c.options.nesterov ?? false, `${where}: nesterov`)
  if (nesterov && mu === 0) throw rangeError(`${where}: momentum`, 'a number in (0, 1) with nesterov', mu)
  return Object.freeze({ kind: 'momentum' as const, ...c.common, momentum: mu, nesterov, weightDecay: nonNegative(c.options.weightDecay ?? 0, `${where}: weightDecay`) })
}

/** The update of {@link momentum}; its slot 'buffer' is b. */
export const momentumRule: Rule<Momentum> = {
  slots: ['buffer'],
  update: (o, lr, _t, param, grad, slots) => {
    const b = slots.buffer
    for (let i = 0; i < param.length; i++) {
      const d = decayed(grad, param, o.weightDecay, i)
      b[i] = b[i] * o.momentum + d
      param[i] -= lr * (o.nesterov ? d + o.momentum * b[i] : b[i])
    }
  },
}
