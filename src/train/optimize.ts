/**
 * Applying an optimizer: (optimizer state, parameters, gradients) → (new state, new parameters), a pure
 * transition (inputs are never written). The gradient is first clipped by its global norm when the
 * optimizer has `clipNorm`, as torch.nn.utils.clip_grad_norm_ does before optimizer.step().
 *
 * @module
 */
import { object, typeError } from '../check/index.js'
import { scheduleAt } from '../sampler/index.js'
import { type Adam, adam, adamRule, type AdamOptions } from './adam.js'
import { type AdamW, adamw, adamwRule } from './adamw.js'
import { type Momentum, momentum, type MomentumOptions, momentumRule } from './momentum.js'
import { type OptimizerState, type Rule } from './optimizer.js'
import { type Sgd, sgd, sgdRule, type SgdOptions } from './sgd.js'

/** An optimizer value. */
export type Optimizer = Sgd | Momentum | Adam | AdamW

const rules: { readonly [K in Optimizer['kind']]: Rule<Extract<Optimizer, { kind: K }>> } = { sgd: sgdRule, momentum: momentumRule, adam: adamRule, adamw: adamwRule }

/**
 * Checks a value that claims to be an optimizer and returns it rebuilt by its constructor.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkOptimizer } from './optimize.js'
 * assert.equal(checkOptimizer({ kind: 'adam', lr: 0.01 }, 'optimizer').kind, 'adam')
 * assert.throws(() => checkOptimizer({ kind: 'lbfgs' }, 'train.fit: optimizer'), { name: 'TypeError' })
 */
export const checkOptimizer = (v: unknown, where: string): Optimizer => {
  const { kind, ...rest } = object(v, where)
  switch (kind) {
    case 'sgd':
      return sgd(rest as unknown as SgdOptions)
    case 'momentum':
      return momentum(rest as unknown as MomentumOptions)
    case 'adam':
      return adam(rest as unknown as AdamOptions)
    case 'adamw':
      return adamw(rest as unknown as AdamOptions)
    default:
      throw typeError(where, 'an optimizer (train.sgd, train.momentum, train.adam, train.adamw)', v)
  }
}

/**
 * The initial state of an optimizer for parameters `params`: t = 0 and zero slots.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { initOptimizer } from './optimize.js'
 * import { adam } from './adam.js'
 * const s = initOptimizer(adam({ lr: 0.1 }), { w: new Float64Array(3) })
 * assert.deepEqual(Object.keys(s.slots), ['m', 'v'])
 */
export const initOptimizer = (o: Optimizer, params: Readonly<Record<string, Float64Array>>): OptimizerState => ({
  t: 0,
  slots: Object.fromEntries(rules[o.kind].slots.map((s) => [s, Object.fromEntries(Object.entries(params).map(([n, p]) => [n, new Float64Array(p.length)]))])),
})

/**
 * The global L2 norm of a set of tensors: of all their entries together (clip_grad_norm_'s total norm).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { globalNorm } from './optimize.js'
 * assert.equal(globalNorm({ a: new Float64Array([3]), b: new Float64Array([4]) }), 5)
 */
export const globalNorm = (tensors: Readonly<Record<string, Float64Array>>): number => {
  let s = 0
  for (const t of Object.values(tensors)) {
    let q = 0
    for (let i = 0; i < t.length; i++) q += t[i] * t[i]
    s += q
  }
  return Math.sqrt(s)
}

/** What one optimizer step gives. */
export interface OptimizerStep {
  readonly state: OptimizerState
  readonly params: Readonly<Record<string, Float64Array>>
  /** The learning rate used, from the schedule at step t. */
  readonly learningRate: number
  /** ‖∇θ‖ before clipping. */
  readonly gradientNorm: number
}

/**
 * One update of `params` by `grads` (both by parameter name): clips by `clipNorm` when set, reads the
 * learning rate at step t (unless `learningRate` is given: an online learner reads the schedule on its
 * own clock, restarted by a drift), and applies the optimizer's rule to copies. Neither `state`,
 * `params` nor `grads` is written.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { applyOptimizer, initOptimizer } from './optimize.js'
 * import { sgd } from './sgd.js'
 * const o = sgd({ lr: 0.5 })
 * const params = { w: new Float64Array([1, 2]) }
 * const next = applyOptimizer(o, initOptimizer(o, params), params, { w: new Float64Array([2, -2]) })
 * assert.deepEqual([...next.params.w], [0, 3])
 * assert.equal(next.state.t, 1)
 */
export const applyOptimizer = (
  o: Optimizer,
  state: OptimizerState,
  params: Readonly<Record<string, Float64Array>>,
  grads: Readonly<Record<string, Float64Array>>,
  learningRate = scheduleAt(o.lr, state.t),
): OptimizerStep => {
  const gradientNorm = globalNorm(grads)
  // torch: clip_coef = max_norm / (total_norm + 1e-6), clamped to at most 1.
  const scale = o.clipNorm === null ? 1 : Math.min(o.clipNorm / (gradientNorm + 1e-6), 1)
  const t = state.t + 1
  const slots = Object.fromEntries(Object.entries(state.slots).map(([s, byParam]) => [s, Object.fromEntries(Object.entries(byParam).map(([n, a]) => [n, a.slice()]))]))
  const next: Record<string, Float64Array> = {}
  const rule = rules[o.kind] as Rule<Optimizer>
  for (const [n, p] of Object.entries(params)) {
    const g = scale === 1 ? grads[n] : grads[n].map((v) => v * scale)
    next[n] = p.slice()
    rule.update(o, learningRate, t, next[n], g, Object.fromEntries(Object.keys(slots).map((s) => [s, slots[s][n]])))
  }
  return { state: { t, slots }, params: next, learningRate, gradientNorm }
}
