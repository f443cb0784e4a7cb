import fc from 'fast-check'
import t from 'tap'
import * as ir from '../../src/ir/index.js'
import { arbitraryFeeds, arbitraryTree, build, kinkInputs, leaves, weights } from './arbitrary.js'
import { absSum, richardson, richardsonVector } from './numeric.js'

type Feeds = Record<'x' | 'w' | 'c' | 'W', Float64Array>

// Finite differences are only valid where no relu/abs/sign input is within reach of its kink: a step of
// h = 1e-3 moves an intermediate by at most ~h·|∂v/∂x| ≲ 1e-2 for these bounded trees.
const awayFromKinks = (root: ir.Expr, feeds: Feeds) => {
  const kinks = kinkInputs(root)
  if (kinks.length === 0) return true
  const { x, w, c, W } = leaves()
  const used = new Set(ir.leavesOf(kinks).map((l) => l.attrs.name as string))
  const f = Object.fromEntries(Object.entries(feeds).filter(([k]) => used.has(k)))
  void x, w, c, W
  return ir.interpret(kinks, f).every((v) => v.every((u) => Math.abs(u) > 1e-2))
}

const usedFeeds = (roots: readonly ir.Expr[], feeds: Feeds): Record<string, Float64Array> => {
  const used = new Set(ir.leavesOf(roots).map((l) => l.attrs.name as string))
  return Object.fromEntries(Object.entries(feeds).filter(([k]) => used.has(k)))
}

const perturbed = (feeds: Record<string, Float64Array>, name: string, i: number, dt: number) => {
  const v = feeds[name].slice()
  v[i] += dt
  return { ...feeds, [name]: v }
}

t.test('grad agrees with finite differences on random programs (relative 1e-6)', async (t) => {
  let checked = 0
  fc.assert(
    fc.property(arbitraryTree(), arbitraryFeeds(), (tree, feeds) => {
      const L = leaves()
      const body = build(tree, L)
      const y = ir.sum(ir.mul(body, weights()))
      fc.pre(awayFromKinks(body, feeds))
      const wrt = [L.x, L.w, L.c, L.W]
      const grads = ir.grad(y, wrt)
      const all = { x: feeds.x, w: feeds.w, c: feeds.c, W: feeds.W }
      const tape = ir.compile([y, ir.mul(body, weights()), ...grads], wrt)
      const [, terms, ...g] = ir.evaluate(tape, all)
      const f = ir.compile([y], wrt)
      // Rounding in y is at most a few ε·Σ|terms| per op; through ≤ 4 levels and divided by h this stays
      // below 1e-10·(1 + Σ|terms|), the absolute part of the tolerance. The relative part is the 1e-6 asked for.
      const scale = 1 + absSum(terms)
      wrt.forEach((leaf, k) => {
        const name = leaf.attrs.name as string
        for (let i = 0; i < g[k].length; i++) {
          const fd = richardson((dt) => ir.evaluate(f, perturbed(all, name, i, dt))[0][0])
          const tol = 1e-6 * Math.abs(fd) + 1e-10 * scale
          if (!(Math.abs(g[k][i] - fd) <= tol)) throw new Error(`∂y/∂${name}[${i}]: grad ${g[k][i]}, finite difference ${fd}`)
        }
      })
      checked++
    }),
    { numRuns: 150, seed: 20261129 },
  )
  t.ok(checked > 100, `checked ${checked} programs`)
})

t.test('grad of grad: Hessian-vector products agree with finite differences of the gradient', async (t) => {
  let checked = 0
  fc.assert(
    fc.property(arbitraryTree(), arbitraryFeeds(), (tree, feeds) => {
      const L = leaves()
      const body = build(tree, L)
      fc.pre(awayFromKinks(body, feeds))
      const y = ir.sum(ir.mul(body, weights()))
      const [gx] = ir.grad(y, [L.x])
      const V = weights() // a fixed direction
      const [hv] = ir.grad(ir.sum(ir.mul(gx, V)), [L.x])
      const all = usedFeeds([gx, hv, L.x], feeds)
      const wrt = Object.keys(all).map((k) => ({ x: L.x, w: L.w, c: L.c, W: L.W })[k as 'x'])
      const gTape = ir.compile([gx], wrt)
      const [h] = ir.evaluate(ir.compile([hv], wrt), all)
      const v = ir.interpret([V], {})[0]
      const fd = richardsonVector((dt) => ir.evaluate(gTape, { ...all, x: all.x.map((u, i) => u + dt * v[i]) })[0])
      const scale = 1 + absSum(ir.evaluate(gTape, all)[0])
      for (let i = 0; i < h.length; i++) {
        const tol = 1e-6 * Math.abs(fd[i]) + 1e-9 * scale
        if (!(Math.abs(h[i] - fd[i]) <= tol)) throw new Error(`(Hv)[${i}]: grad of grad ${h[i]}, finite difference ${fd[i]}`)
      }
      checked++
    }),
    { numRuns: 120, seed: 7 },
  )
  t.ok(checked > 80, `checked ${checked} programs`)
})

t.test('grad of a gradient norm (a gradient penalty) agrees with finite differences in the params', async (t) => {
  let checked = 0
  fc.assert(
    fc.property(arbitraryTree(3), arbitraryFeeds(), (tree, feeds) => {
      const L = leaves()
      const body = build(tree, L)
      fc.pre(awayFromKinks(body, feeds))
      const [gx] = ir.grad(ir.sum(ir.mul(body, weights())), [L.x])
      const penalty = ir.sum(ir.square(gx))
      const wrt = [L.x, L.w, L.c, L.W]
      const dW = ir.grad(penalty, [L.W])[0]
      const all = { x: feeds.x, w: feeds.w, c: feeds.c, W: feeds.W }
      const [g] = ir.evaluate(ir.compile([dW], wrt), all)
      const pTape = ir.compile([penalty, ir.square(gx)], wrt)
      const scale = 1 + absSum(ir.evaluate(pTape, all)[1])
      for (let i = 0; i < g.length; i++) {
        const fd = richardson((dt) => ir.evaluate(pTape, perturbed(all, 'W', i, dt))[0][0])
        const tol = 1e-6 * Math.abs(fd) + 1e-9 * scale
        if (!(Math.abs(g[i] - fd) <= tol)) throw new Error(`∂‖∇ₓ‖²/∂W[${i}]: ${g[i]} vs finite difference ${fd}`)
      }
      checked++
    }),
    { numRuns: 80, seed: 11 },
  )
  t.ok(checked > 50, `checked ${checked} programs`)
})

t.test('grad of softplus is the sigmoid, stably at large |x|', async (t) => {
  const x = ir.input('x', [7])
  const [g] = ir.grad(ir.sum(ir.softplus(x)), [x])
  const xs = [-800, -30, -1, 0, 1, 30, 800]
  const [sp, got] = ir.interpret([ir.softplus(x), g], { x: xs })
  xs.forEach((v, i) => {
    const want = 1 / (1 + Math.exp(-v))
    t.ok(Math.abs(got[i] - want) <= 1e-15 * Math.max(want, 1e-300) + 1e-300, `σ(${v}) = ${got[i]}`)
  })
  t.equal(sp[6], 800, 'softplus(800) = 800, no overflow')
  t.ok(sp[0] >= 0 && sp[0] < 1e-300, 'softplus(−800) underflows to 0, not NaN')
  t.equal(Math.abs(sp[5] - (30 + Math.log1p(Math.exp(-30)))), 0)
})

t.test('grad of a Gaussian-mixture energy equals Σ_k r_k(x − μ_k)/σ²', async (t) => {
  const means = [[-2, 0], [2, 1], [0, -3]]
  const logw = [Math.log(0.2), Math.log(0.5), Math.log(0.3)]
  const sigma = 0.7
  const n = 5
  const x = ir.input('x', [n, 2])
  const diff = ir.sub(ir.reshape(x, [n, 1, 2]), ir.constant(means.flat(), [1, 3, 2]))
  const logits = ir.sub(ir.constant(logw, [1, 3]), ir.div(ir.sum(ir.square(diff), 2), 2 * sigma * sigma))
  const E = ir.neg(ir.logsumexp(logits, 1))
  const [g] = ir.grad(ir.sum(E), [x])
  const xs = [0.3, -0.2, -2.5, 0.4, 1.9, 1.2, 4, -4, 0, 0]
  const [got] = ir.interpret([g], { x: xs })
  for (let i = 0; i < n; i++) {
    const p = [xs[2 * i], xs[2 * i + 1]]
    const l = means.map((m, k) => logw[k] - ((p[0] - m[0]) ** 2 + (p[1] - m[1]) ** 2) / (2 * sigma ** 2))
    const mx = Math.max(...l)
    const r = l.map((v) => Math.exp(v - mx))
    const z = r.reduce((a, b) => a + b)
    for (let d = 0; d < 2; d++) {
      const want = means.reduce((acc, m, k) => acc + (r[k] / z) * (p[d] - m[d]), 0) / sigma ** 2
      t.ok(Math.abs(got[2 * i + d] - want) <= 1e-12 * (1 + Math.abs(want)), `point ${i} axis ${d}: ${got[2 * i + d]} vs ${want}`)
    }
  }
})

t.test('the Hessian trace of xᵀAx/2 equals trace(A), through grad of grad', async (t) => {
  const d = 5
  const A = Array.from({ length: d * d }, (_v, i) => Math.cos(i * 0.9) + (i % (d + 1) === 0 ? 3 : 0)) // not symmetric
  const x = ir.input('x', [1, d])
  const E = ir.mul(ir.sum(ir.mul(ir.matmul(x, ir.constant(A, [d, d])), x)), 0.5)
  const [g] = ir.grad(E, [x])
  let trace = 0
  for (let i = 0; i < d; i++) {
    const e = Array.from({ length: d }, (_v, j) => (j === i ? 1 : 0))
    const [hi] = ir.grad(ir.sum(ir.mul(g, ir.constant(e, [1, d]))), [x])
    trace += ir.interpret([hi], { x: [0.1, -0.4, 2, 0.3, 1] })[0][i]
  }
  const want = Array.from({ length: d }, (_v, i) => A[i * d + i]).reduce((a, b) => a + b)
  t.ok(Math.abs(trace - want) <= 1e-12 * Math.abs(want), `trace ${trace} vs ${want}`)
})

t.test('grad refuses a non-scalar y and a non-leaf wrt, and gives zeros for unused leaves', async (t) => {
  const x = ir.input('x', [3])
  const b = ir.param('b', [2])
  t.throws(() => ir.grad(ir.exp(x), [x]), { name: 'RangeError', message: 'ir.grad: y: expected a scalar (for a batch of independent terms differentiate ir.sum(y)), got shape [3]' })
  t.throws(() => ir.grad(ir.sum(x), [ir.exp(x)]), { name: 'TypeError', message: 'ir.grad: wrt[0]: expected an input or param leaf, got an \'exp\' node' })
  const [gb] = ir.grad(ir.sum(x), [b])
  t.same(Array.from(ir.interpret([gb], {})[0]), [0, 0])
})
