/**
 * Programs for the backend specs: random ones from the IR generators (with first and second derivatives)
 * and a batched MLP energy large enough to be split into many row blocks.
 */
import * as ir from '../../src/ir/index.js'
import { build, type Case, type Dims, kinkInputs, leaves, small, type Tree, weights } from '../ir/arbitrary.js'

export type Feeds = Record<string, Float64Array>

/**
 * The tree's value, the gradient of y = Σ R ⊙ tree with respect to every leaf, and a second derivative:
 * the gradient with respect to x of Σ R ⊙ ∂y/∂x.
 */
export const randomProgram = (tree: Tree, dims: Dims = small): { tape: ir.Tape; kinks: ir.Expr[] } => {
  const L = leaves(dims)
  const value = build(tree, L)
  const R = weights(dims)
  const y = ir.sum(ir.mul(R, value))
  const first = ir.grad(y, [L.x, L.w, L.c, L.W])
  const [second] = ir.grad(ir.sum(ir.mul(R, first[0])), [L.x])
  return { tape: ir.compile([value, ...first, second], [L.x, L.w, L.c, L.W]), kinks: kinkInputs(value) }
}

/** {@link randomProgram} of a generated case, with the case's feeds. */
export const randomCase = (c: Case): { tape: ir.Tape; kinks: ir.Expr[]; feeds: Feeds } => ({ ...randomProgram(c.tree, c.dims), feeds: c.feeds })

/** An MLP energy 2→h→h→1 (SiLU) on `batch` points, ∇ₓE, the parameter gradients and a gradient penalty's gradient. */
export const mlpProgram = (batch: number, h = 16): { tape: ir.Tape; feeds: Feeds } => {
  const x = ir.input('x', [batch, 2])
  const W1 = ir.param('W1', [2, h])
  const b1 = ir.param('b1', [h])
  const W2 = ir.param('W2', [h, h])
  const b2 = ir.param('b2', [h])
  const w3 = ir.param('w3', [h, 1])
  const h1 = ir.silu(ir.add(ir.matmul(x, W1), b1))
  const h2 = ir.tanh(ir.add(ir.matmul(h1, W2), b2))
  const E = ir.add(ir.reshape(ir.matmul(h2, w3), [batch]), ir.mul(ir.sum(ir.square(x), 1), 0.1))
  const [dx] = ir.grad(ir.sum(E), [x])
  const penalty = ir.mean(ir.sum(ir.square(dx), 1))
  const params = [W1, b1, W2, b2, w3]
  const dParams = ir.grad(ir.add(ir.mean(E), penalty), params)
  const tape = ir.compile([E, dx, penalty, ...dParams, ir.logsumexp(ir.neg(E))], [x, ...params])
  const fill = (n: number, s: number, scale: number) => Float64Array.from({ length: n }, (_v, i) => Math.sin(s * (i + 1)) * scale)
  return {
    tape,
    feeds: { x: fill(batch * 2, 0.37, 2), W1: fill(2 * h, 1.1, 0.8), b1: fill(h, 1.3, 0.2), W2: fill(h * h, 0.7, 0.4), b2: fill(h, 1.9, 0.2), w3: fill(h, 2.3, 0.4) },
  }
}

/**
 * The largest error of `got` against `want` measured as |got − want| / (|want| + ‖want‖∞): relative to each
 * entry, but never to less than the output's largest entry. Rounding errors are relative to the operands
 * an entry was computed from, not to the entry itself: an entry that comes out of cancellation (a sum or
 * difference of terms of the output's typical size) carries an absolute error of the order of those
 * terms, which the output's largest entry stands for. `floor` is a least scale (see float32Floor).
 */
export const scaledError = (got: ArrayLike<number>, want: ArrayLike<number>, floor = 0): number => {
  let scale = floor
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]))
  let worst = 0
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i])
    if (d === 0) continue
    worst = Math.max(worst, d / (Math.abs(want[i]) + scale))
  }
  return worst
}

/** True when two arrays hold the same bits (NaN payloads aside, NaN equals NaN). */
export const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false
  return true
}

/**
 * The least scale of a float32 comparison: float32 holds magnitudes under 2^-126 ≈ 1.2e-38 only as
 * subnormals with fewer significant bits, and flushes those under 2^-149 to zero, where float64 keeps full
 * precision down to 1e-308. Outputs whose every entry is that small (random feeds near 1e-45 give them)
 * differ by range, not rounding; 1e-30 leaves eight decades of margin above the subnormal range.
 */
export const float32Floor = 1e-30

/**
 * Chains of elementwise arithmetic over [batch, width] (both operand orders of sub and div, negation,
 * squares, a bias read as one row, scalars): the native executor runs such chains in registers, and
 * since every op is a single IEEE operation its float64 outputs must equal the reference's bit for bit.
 */
export const chainProgram = (batch: number, width: number): { tape: ir.Tape; feeds: Feeds } => {
  const x = ir.input('x', [batch, width])
  const u = ir.input('u', [batch, width])
  const b = ir.param('b', [width])
  const a = ir.mul(ir.neg(ir.div(b, ir.sub(0.5, ir.sub(ir.square(ir.add(x, b)), u)))), u)
  const c = ir.div(ir.add(ir.mul(ir.sub(u, ir.square(x)), 3), b), 1.7)
  const d = ir.sub(x, ir.mul(ir.add(ir.neg(u), 2), ir.div(ir.sub(x, 0.25), ir.add(u, 2))))
  const tape = ir.compile([a, c, ir.sum(ir.mul(d, a), 1)], [x, u, b])
  const fill = (n: number, s: number, scale: number) => Float64Array.from({ length: n }, (_v, i) => Math.sin(s * (i + 1)) * scale)
  return { tape, feeds: { x: fill(batch * width, 0.37, 1.5), u: fill(batch * width, 0.91, 1.2), b: fill(width, 1.3, 0.6) } }
}
