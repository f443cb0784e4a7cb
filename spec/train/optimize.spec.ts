/**
 * The optimizers against steps computed by hand from PyTorch's update rules: SGD with coupled weight
 * decay, heavy-ball and Nesterov momentum, Adam's bias correction and the place of ε, AdamW's decoupled
 * decay, clipping by global norm and learning-rate schedules.
 */
import t, { type Test } from 'tap'
import * as sampler from '../../src/sampler/index.js'
import * as train from '../../src/train/index.js'

type Params = Record<string, Float64Array>

/** Runs an optimizer over a sequence of gradients of one scalar parameter 'w' from w0; returns every w. */
const trajectory = (o: train.Optimizer, w0: number, grads: readonly number[]): number[] => {
  let params: Params = { w: Float64Array.of(w0) }
  let state = train.initOptimizer(o, params)
  return grads.map((g) => {
    const next = train.applyOptimizer(o, state, params, { w: Float64Array.of(g) })
    params = next.params as Params
    state = next.state
    return params.w[0]
  })
}

const close = (t: Test, got: number, want: number, tol: number, what: string) => t.ok(Math.abs(got - want) <= tol, `${what}: ${got} vs ${want}`)

t.test('SGD steps θ ← θ − η(g + λθ)', async (t) => {
  t.same(trajectory(train.sgd({ lr: 0.1 }), 1, [2, -4]), [1 - 0.2, 1 - 0.2 + 0.4])
  // weight decay λ = 0.5 adds λθ to the gradient: 1 − 0.1·(2 + 0.5·1) = 0.75
  t.same(trajectory(train.sgd({ lr: 0.1, weightDecay: 0.5 }), 1, [2]), [0.75])
})

t.test('heavy-ball momentum accumulates b ← μb + g and steps by ηb', async (t) => {
  // b₁ = 1, θ₁ = −0.1; b₂ = 0.9 + 2 = 2.9, θ₂ = −0.1 − 0.29
  const [w1, w2] = trajectory(train.momentum({ lr: 0.1, momentum: 0.9 }), 0, [1, 2])
  close(t, w1, -0.1, 1e-15, 'step 1')
  close(t, w2, -0.39, 1e-15, 'step 2')
})

t.test("Nesterov momentum steps by η(g + μb), PyTorch's form", async (t) => {
  // step 1: b = 1, g + μb = 1.9; step 2: b = 2.9, g + μb = 2 + 2.61 = 4.61
  const [w1, w2] = trajectory(train.momentum({ lr: 0.1, momentum: 0.9, nesterov: true }), 0, [1, 2])
  close(t, w1, -0.19, 1e-15, 'step 1')
  close(t, w2, -0.19 - 0.461, 1e-15, 'step 2')
})

t.test("Adam's first step is η·g/(|g| + ε): bias correction undoes the moments' start at 0, and ε is added after √v̂", async (t) => {
  // With g = 1e-9 and ε = 1e-8 the step is η/11. ε inside the root (√(v̂ + ε)) would give ≈ η·1e-5, and ε
  // added before dividing by √(1 − β₂) would give ≈ η·0.003.
  const [w] = trajectory(train.adam({ lr: 0.1 }), 1, [1e-9])
  close(t, w, 1 - 0.1 / 11, 1e-15, 'tiny gradient')
  const [big] = trajectory(train.adam({ lr: 0.1 }), 1, [2])
  close(t, big, 1 - (0.1 * 2) / (2 + 1e-8), 1e-15, 'gradient 2')
})

t.test("Adam's second step follows the bias-corrected moments m̂ = m/(1 − β₁²), v̂ = v/(1 − β₂²)", async (t) => {
  const [b1, b2, lr, eps] = [0.8, 0.99, 0.05, 1e-3]
  const [, w2] = trajectory(train.adam({ lr, betas: [b1, b2], eps }), 1, [2, -1])
  const m = b1 * (1 - b1) * 2 + (1 - b1) * -1
  const v = b2 * (1 - b2) * 4 + (1 - b2) * 1
  const w1 = 1 - (lr * 2) / (2 + eps)
  close(t, w2, w1 - (lr * (m / (1 - b1 ** 2))) / (Math.sqrt(v / (1 - b2 ** 2)) + eps), 1e-15, 'step 2')
})

t.test('AdamW decays θ by (1 − ηλ) apart from the gradient; Adam adds λθ to the gradient', async (t) => {
  // A zero gradient: AdamW shrinks θ and Adam's moments stay 0.
  t.same(trajectory(train.adamw({ lr: 0.1, weightDecay: 0.01 }), 1, [0]), [1 * (1 - 0.1 * 0.01)])
  // Coupled decay makes the gradient λθ = 0.01, and Adam's first step is ≈ η whatever its size.
  close(t, trajectory(train.adam({ lr: 0.1, weightDecay: 0.01 }), 1, [0])[0], 1 - (0.1 * 0.01) / (0.01 + 1e-8), 1e-15, 'Adam with L2')
})

t.test('clipNorm rescales the whole gradient to the given global norm when it is larger', async (t) => {
  const o = train.sgd({ lr: 1, clipNorm: 1 })
  const params = { a: Float64Array.of(0), b: Float64Array.of(0) }
  const next = train.applyOptimizer(o, train.initOptimizer(o, params), params, { a: Float64Array.of(3), b: Float64Array.of(4) })
  const scale = 1 / (5 + 1e-6) // torch: max_norm / (total_norm + 1e-6)
  t.same([next.params.a[0], next.params.b[0]], [-3 * scale, -4 * scale])
  t.equal(next.gradientNorm, 5)
  const loose = train.sgd({ lr: 1, clipNorm: 10 })
  t.same(train.applyOptimizer(loose, train.initOptimizer(loose, params), params, { a: Float64Array.of(3), b: Float64Array.of(4) }).params, { a: Float64Array.of(-3), b: Float64Array.of(-4) })
})

t.test("learning rates follow the sampler's schedules, read at the optimizer's step count", async (t) => {
  const o = train.sgd({ lr: sampler.linear(1, 0.5, 3) })
  let params: Params = { w: Float64Array.of(0) }
  let state = train.initOptimizer(o, params)
  const rates: number[] = []
  for (let k = 0; k < 4; k++) {
    const next = train.applyOptimizer(o, state, params, { w: Float64Array.of(1) })
    rates.push(next.learningRate)
    params = next.params as Params
    state = next.state
  }
  t.same(rates, [1, 0.75, 0.5, 0.5])
  t.same([...params.w], [-2.75])
})

t.test('an update writes neither the state, the parameters nor the gradients it is given', async (t) => {
  const o = train.adam({ lr: 0.1 })
  const params = { w: Float64Array.of(1, 2) }
  const grads = { w: Float64Array.of(0.5, -0.5) }
  const state = train.initOptimizer(o, params)
  const next = train.applyOptimizer(o, state, params, grads)
  t.same([...params.w, ...grads.w, ...state.slots.m.w, ...state.slots.v.w, state.t], [1, 2, 0.5, -0.5, 0, 0, 0, 0, 0])
  t.equal(next.state.t, 1)
  t.notSame([...next.params.w], [1, 2])
})

t.test('optimizers refuse bad options with errors that name them', async (t) => {
  t.throws(() => train.sgd({ lr: 0 }), { name: 'RangeError', message: 'train.sgd: lr: expected a positive number, got 0' })
  t.throws(() => train.sgd({ lr: -0.1 }), { message: 'train.sgd: lr: expected a positive number, got -0.1' })
  t.throws(() => train.sgd({} as train.SgdOptions), { name: 'TypeError', message: /train.sgd: lr: expected a number or a schedule/ })
  t.throws(() => train.sgd({ lr: 0.1, momentum: 0.9 } as train.SgdOptions), { message: "train.sgd: unknown option 'momentum' (options: lr, clipNorm, weightDecay)" })
  t.throws(() => train.sgd({ lr: sampler.linear(1, 0, 10) }), { message: 'train.sgd: lr.to: expected a positive number, got 0' })
  t.throws(() => train.momentum({ lr: 0.1, momentum: 0, nesterov: true }), { message: 'train.momentum: momentum: expected a number in (0, 1) with nesterov, got 0' })
  t.throws(() => train.adam({ lr: 0.1, betas: [0.9] as unknown as [number, number] }), { message: 'train.adam: betas: expected two numbers [β₁, β₂], got an array of length 1' })
  t.throws(() => train.adam({ lr: 0.1, betas: [0.9, 1] }), { message: 'train.adam: betas[1]: expected a number in [0, 1), got 1' })
  t.throws(() => train.adamw({ lr: 0.1, clipNorm: -1 }), { message: 'train.adamw: clipNorm: expected a positive number, got -1' })
  t.throws(() => train.checkOptimizer({ kind: 'rmsprop', lr: 1 }, 'train.fit: optimizer'), { name: 'TypeError', message: 'train.fit: optimizer: expected an optimizer (train.sgd, train.momentum, train.adam, train.adamw), got an object with keys kind, lr' })
  t.same(train.checkOptimizer(JSON.parse(JSON.stringify(train.adamw({ lr: 0.1 }))), 'optimizer'), train.adamw({ lr: 0.1 }))
})
