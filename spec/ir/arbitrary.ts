/**
 * fast-check generators of random IR programs, shared by the IR specs and the native parity specs.
 *
 * A generated case is a random op tree whose every node has the shape [3, 4] (a batch of 3 rows of 4),
 * built from leaves x [3,4] (an input), w [4], c [3,1] and W [4,4] (params), so that broadcasting,
 * reductions, matmul and shape ops all appear. Ops with a restricted domain are applied to operands
 * mapped into it (log and sqrt of square(·) + a positive constant, division by square(·) + ½, exp of a
 * tanh), so every case is finite and smooth away from the kinks of relu, abs and sign.
 */
import fc from 'fast-check'
import * as ir from '../../src/ir/index.js'

export const B = 3
export const D = 4

export const leaves = () => ({
  x: ir.input('x', [B, D]),
  w: ir.param('w', [D]),
  c: ir.param('c', [B, 1]),
  W: ir.param('W', [D, D]),
})

export type Tree =
  | { kind: 'x' }
  | { kind: 'unary'; op: string; a: Tree }
  | { kind: 'binary'; op: string; a: Tree; b: Tree }
  | { kind: 'bias'; op: string; a: Tree; which: 'w' | 'c' }
  | { kind: 'reduce'; op: 'sum' | 'logsumexp' | 'mean'; axis: 0 | 1; a: Tree; b: Tree }
  | { kind: 'matmul'; a: Tree }
  | { kind: 'splice'; at: number; a: Tree; b: Tree }
  | { kind: 'shuffle'; a: Tree }
  | { kind: 'spread'; a: Tree }
  | { kind: 'pow'; p: number; a: Tree }

const unaryOps = ['neg', 'exp', 'log', 'sqrt', 'square', 'sin', 'cos', 'tanh', 'sigmoid', 'softplus', 'silu', 'relu', 'abs', 'sign'] as const
const binaryOps = ['add', 'sub', 'mul', 'div'] as const

export const arbitraryTree = (maxDepth = 4): fc.Arbitrary<Tree> => {
  const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', maxDepth, withCrossShrink: true },
      fc.constant<Tree>({ kind: 'x' }),
      fc.record({ kind: fc.constant('unary' as const), op: fc.constantFrom(...unaryOps), a: tie('tree') }),
      fc.record({ kind: fc.constant('binary' as const), op: fc.constantFrom(...binaryOps), a: tie('tree'), b: tie('tree') }),
      fc.record({ kind: fc.constant('bias' as const), op: fc.constantFrom(...binaryOps), a: tie('tree'), which: fc.constantFrom('w' as const, 'c' as const) }),
      fc.record({ kind: fc.constant('reduce' as const), op: fc.constantFrom('sum' as const, 'logsumexp' as const, 'mean' as const), axis: fc.constantFrom(0 as const, 1 as const), a: tie('tree'), b: tie('tree') }),
      fc.record({ kind: fc.constant('matmul' as const), a: tie('tree') }),
      fc.record({ kind: fc.constant('splice' as const), at: fc.integer({ min: 1, max: D - 1 }), a: tie('tree'), b: tie('tree') }),
      fc.record({ kind: fc.constant('shuffle' as const), a: tie('tree') }),
      fc.record({ kind: fc.constant('spread' as const), a: tie('tree') }),
      fc.record({ kind: fc.constant('pow' as const), p: fc.constantFrom(-1.5, 0.5, 3), a: tie('tree') }),
    ) as fc.Arbitrary<Tree>,
  }))
  return tree
}

const positive = (e: ir.Expr, c: number) => ir.add(ir.square(e), c)

/** Builds the expression of a tree over the given leaves. Every node has shape [B, D]. */
export const build = (t: Tree, L = leaves()): ir.Expr => {
  switch (t.kind) {
    case 'x':
      return L.x
    case 'unary': {
      const a = build(t.a, L)
      if (t.op === 'log') return ir.log(positive(a, 0.5))
      if (t.op === 'sqrt') return ir.sqrt(positive(a, 0.25))
      if (t.op === 'exp') return ir.exp(ir.tanh(a))
      return (ir as unknown as Record<string, (x: ir.Expr) => ir.Expr>)[t.op](a)
    }
    case 'binary':
    case 'bias': {
      const a = build(t.a, L)
      const b = t.kind === 'binary' ? build(t.b, L) : L[t.which]
      if (t.op === 'div') return ir.div(a, positive(b, 0.5))
      return (ir as unknown as Record<string, (a: ir.Expr, b: ir.Expr) => ir.Expr>)[t.op](a, b)
    }
    case 'reduce': {
      const a = build(t.a, L)
      const r = ir[t.op](build(t.b, L), t.axis, { keepDims: true }) // [1,D] or [B,1], broadcast back by the add
      return ir.add(a, r)
    }
    case 'matmul':
      return ir.matmul(build(t.a, L), L.W)
    case 'splice': {
      // the first `at` columns of a beside the rest of b
      return ir.concat([ir.slice(build(t.a, L), 1, 0, t.at), ir.slice(build(t.b, L), 1, t.at, D)], 1)
    }
    case 'shuffle':
      // transpose to [D,B], then read the same memory as [B,D]: mixes rows and columns
      return ir.reshape(ir.transpose(build(t.a, L)), [B, D])
    case 'spread':
      // a row summary broadcast back explicitly
      return ir.broadcast(ir.sum(build(t.a, L), 0), [B, D])
    case 'pow': {
      const a = build(t.a, L)
      return t.p === 3 ? ir.pow(a, 3) : ir.pow(positive(a, 0.5), t.p)
    }
  }
}

/** Feeds for the four leaves, values in [−1.5, 1.5]. */
export const arbitraryFeeds = (): fc.Arbitrary<Record<'x' | 'w' | 'c' | 'W', Float64Array>> => {
  const vec = (n: number) =>
    fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n }).map((a) => Float64Array.from(a))
  return fc.record({ x: vec(B * D), w: vec(D), c: vec(B), W: vec(D * D) })
}

/** A fixed weighting of the [B, D] tree output, so that the scalar y = Σ R ⊙ tree has uneven gradients. */
export const weights = (): ir.Expr => ir.constant(Array.from({ length: B * D }, (_v, i) => Math.sin(1.7 * i + 0.3)), [B, D])

/** The inputs of every relu, abs and sign in a graph: where they are near 0, finite differences are invalid. */
export const kinkInputs = (e: ir.Expr): ir.Expr[] =>
  ir.topologicalOrder([e]).filter((n) => n.op === 'relu' || n.op === 'abs' || n.op === 'sign').map((n) => n.inputs[0])
