/**
 * fast-check generators of random IR programs, shared by the IR specs and the native parity specs.
 *
 * A generated program is a random op tree whose every node has the shape of its input x: [B] (rank 1),
 * [B, D] or [B, M, D]. Its leaves are x (an input), w (a param of x's shape without the batch axis), c (a
 * param [B, 1, …], one value per row) and W (a param [D, D]). The ops are drawn from the IR's registry
 * by kind (unary, binary, reduction), so a new op of those kinds is generated without a change here;
 * matmul and the layout ops appear through fixed constructions (products with W along the last axis and
 * network layers f(a·W + w), slices spliced along an axis, transposes read back as the original shape,
 * batch means broadcast back). spec/ir/arbitrary.spec.ts fails when some op of the registry never appears. Ops with a restricted domain are applied to operands mapped into it (log and
 * sqrt of square(·) + a positive constant, division by square(·) + ½, exp of a tanh, a fractional power of
 * a positive value), so every program is finite and smooth away from the kinks of relu, abs and sign.
 *
 * Two sizes: the small default ([3, 4], the IR specs' finite differences take one evaluation per input)
 * and {@link arbitraryDims}, whose ranks 1–3, widths off the vector widths (1, 3, 7, 13, 17, 33, 100, and
 * 2, 4, 8, 64 on them) and batches beyond one block of the native executor (up to 1100 rows) reach its
 * vector lanes and their remainders, blocks and the last partial block.
 */
import fc from 'fast-check'
import * as ir from '../../src/ir/index.js'

/** The shape of a program's values: the batch, then the axes of one row. */
export interface Dims {
  readonly batch: number
  readonly inner: readonly number[]
}

export const B = 3
export const D = 4
/** The IR specs' shape, [3, 4]. */
export const small: Dims = { batch: B, inner: [D] }

export const shapeOf = (d: Dims): number[] => [d.batch, ...d.inner]
const sizeOf = (d: Dims) => shapeOf(d).reduce((a, b) => a * b, 1)
const lastOf = (d: Dims) => d.inner[d.inner.length - 1] ?? 1

export const leaves = (d: Dims = small) => ({
  x: ir.input('x', shapeOf(d)),
  w: ir.param('w', [...d.inner]),
  c: ir.param('c', [d.batch, ...d.inner.map(() => 1)]),
  W: ir.param('W', [lastOf(d), lastOf(d)]),
})
export type Leaves = ReturnType<typeof leaves>
export type Feeds = Record<keyof Leaves, Float64Array>

export type Tree =
  | { kind: 'x' }
  | { kind: 'unary'; op: string; p: number; a: Tree }
  | { kind: 'binary'; op: string; a: Tree; b: Tree }
  | { kind: 'bias'; op: string; a: Tree; which: 'w' | 'c' }
  | { kind: 'reduce'; op: string; axes: number; a: Tree; b: Tree }
  | { kind: 'matmul'; a: Tree }
  | { kind: 'layer'; op: string; p: number; a: Tree }
  | { kind: 'splice'; axis: number; at: number; a: Tree; b: Tree }
  | { kind: 'shuffle'; perm: number; a: Tree }
  | { kind: 'spread'; a: Tree }

/** The registered ops of a kind. */
export const opsOfKind = (kind: ir.OpKind): string[] => ir.opNames().filter((n) => ir.opDef(n).kind === kind)

const positive = (e: ir.Expr, c: number) => ir.add(ir.square(e), c)

// Ops whose domain or attributes need more than their operands; every other op of a kind is applied as it is.
const unaryRules: Record<string, (a: ir.Expr, p: number) => ir.Expr> = {
  log: (a) => ir.log(positive(a, 0.5)),
  sqrt: (a) => ir.sqrt(positive(a, 0.25)),
  exp: (a) => ir.exp(ir.tanh(a)),
  pow: (a, p) => (p === 3 ? ir.pow(a, 3) : ir.pow(positive(a, 0.5), p)),
}
const binaryRules: Record<string, (a: ir.Expr, b: ir.Expr) => ir.Expr> = {
  div: (a, b) => ir.div(a, positive(b, 0.5)),
}
// Reductions keep the scale of their operand whatever the count n they reduce: a plain sum over 1100 rows
// would push tanh and σ into saturation and exp towards overflow, where float32 and float64 results part
// by range, not by rounding.
const reductionRules: Record<string, (x: ir.Expr, axes: number[], n: number) => ir.Expr> = {
  sum: (x, axes, n) => ir.div(ir.sum(x, axes, { keepDims: true }), n),
  logsumexp: (x, axes, n) => ir.sub(ir.logsumexp(x, axes, { keepDims: true }), Math.log(n)),
}

export const arbitraryTree = (maxDepth = 4): fc.Arbitrary<Tree> => {
  const unaryOps = opsOfKind('unary')
  const binaryOps = opsOfKind('binary')
  const reductions = opsOfKind('reduction')
  const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', maxDepth, withCrossShrink: true },
      fc.constant<Tree>({ kind: 'x' }),
      // unary ops share one branch among many: weighted up so that each of them appears often
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('unary' as const), op: fc.constantFrom(...unaryOps), p: fc.constantFrom(-1.5, 0.5, 3), a: tie('tree') }) },
      fc.record({ kind: fc.constant('binary' as const), op: fc.constantFrom(...binaryOps), a: tie('tree'), b: tie('tree') }),
      fc.record({ kind: fc.constant('bias' as const), op: fc.constantFrom(...binaryOps), a: tie('tree'), which: fc.constantFrom('w' as const, 'c' as const) }),
      fc.record({ kind: fc.constant('reduce' as const), op: fc.constantFrom(...reductions), axes: fc.integer({ min: 0, max: 6 }), a: tie('tree'), b: tie('tree') }),
      fc.record({ kind: fc.constant('matmul' as const), a: tie('tree') }),
      fc.record({ kind: fc.constant('layer' as const), op: fc.constantFrom(...unaryOps), p: fc.constantFrom(-1.5, 0.5, 3), a: tie('tree') }),
      fc.record({ kind: fc.constant('splice' as const), axis: fc.nat(2), at: fc.integer({ min: 0, max: 8 }), a: tie('tree'), b: tie('tree') }),
      fc.record({ kind: fc.constant('shuffle' as const), perm: fc.nat(4), a: tie('tree') }),
      fc.record({ kind: fc.constant('spread' as const), a: tie('tree') }),
    ) as fc.Arbitrary<Tree>,
  }))
  return tree
}

// The axes of choice `n` among the non-empty subsets of a rank's axes (sorted).
const axesOf = (n: number, rank: number): number[] => {
  const mask = (n % (2 ** rank - 1)) + 1
  return Array.from({ length: rank }, (_v, i) => i).filter((i) => mask & (1 << i))
}

// The permutations of a rank's axes other than the identity: choice `n` of them (the identity at rank 1).
const permOf = (n: number, rank: number): number[] => {
  const all: number[][] = []
  const extend = (p: number[]) => {
    if (p.length === rank) all.push(p)
    else for (let i = 0; i < rank; i++) if (!p.includes(i)) extend([...p, i])
  }
  extend([])
  const moved = all.filter((p) => p.some((v, i) => v !== i))
  return moved.length === 0 ? all[0] : moved[n % moved.length]
}

// a·W along the last axis: [B, D]·W by rows; [B·M, D]·W and [B, 1]·[1, 1] read other shapes of x.
const matmulW = (a: ir.Expr, L: Leaves): ir.Expr => {
  const d = L.W.shape[0]
  return ir.reshape(ir.matmul(ir.reshape(a, [ir.size(a.shape) / d, d]), L.W), a.shape)
}

/** Builds the expression of a tree over the given leaves. Every node has the shape of x. */
export const build = (t: Tree, L: Leaves = leaves()): ir.Expr => {
  const shape = L.x.shape
  const rank = shape.length
  switch (t.kind) {
    case 'x':
      return L.x
    case 'unary': {
      const a = build(t.a, L)
      return unaryRules[t.op]?.(a, t.p) ?? ir.apply(t.op, [a])
    }
    case 'binary':
    case 'bias': {
      const a = build(t.a, L)
      const b = t.kind === 'binary' ? build(t.b, L) : L[t.which]
      return binaryRules[t.op]?.(a, b) ?? ir.apply(t.op, [a, b])
    }
    case 'reduce': {
      // keepDims: a [1, …] or [B, 1, …] summary, broadcast back by the add
      const axes = axesOf(t.axes, rank)
      const b = build(t.b, L)
      const n = ir.size(axes.map((a) => shape[a]))
      const r = reductionRules[t.op]?.(b, axes, n) ?? ir.apply(t.op, [b], { axes, keepDims: true })
      return ir.add(build(t.a, L), r)
    }
    case 'matmul':
      return matmulW(build(t.a, L), L)
    case 'layer': {
      // a layer of a network, f(a·W + w): the bias folds into the matmul, f and its derivative fuse
      // after it, and the backward product through Wᵀ reads the product of two row values
      const z = ir.add(matmulW(build(t.a, L), L), L.w)
      return unaryRules[t.op]?.(z, t.p) ?? ir.apply(t.op, [z])
    }
    case 'splice': {
      // the part of a before `at` beside the rest of b, along one axis (the batch axis too)
      const axis = t.axis % rank
      const at = Math.round((shape[axis] * t.at) / 8)
      return ir.concat([ir.slice(build(t.a, L), axis, 0, at), ir.slice(build(t.b, L), axis, at, shape[axis])], axis)
    }
    case 'shuffle':
      // axes permuted, then the same memory read as x's shape: mixes rows and columns
      return ir.reshape(ir.transpose(build(t.a, L), permOf(t.perm, rank)), shape)
    case 'spread':
      // the mean over the batch broadcast back, one row for every row, then scaled per row by c: rows
      // left equal would make a logsumexp over the batch exactly shift-invariant, and its second
      // derivative a difference of equal float32 terms (zero in float64, rounding noise in float32)
      return ir.mul(ir.broadcast(ir.mean(build(t.a, L), 0), shape), L.c)
  }
}

const values = (n: number) => fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n }).map((a) => Float64Array.from(a))

/** Feeds for the four leaves, values in [−1.5, 1.5] drawn by fast-check (for small shapes). */
export const arbitraryFeeds = (d: Dims = small): fc.Arbitrary<Feeds> => {
  const L = leaves(d)
  return fc.record({ x: values(ir.size(L.x.shape)), w: values(ir.size(L.w.shape)), c: values(ir.size(L.c.shape)), W: values(ir.size(L.W.shape)) })
}

/**
 * Feeds for the four leaves from a seed (for large shapes): values spread over [−1.5, 1.5], W's divided
 * by √D so that a product with W keeps the scale of its operand at any width, and x's over [−1, 2]: the
 * mean of zero-mean values over 1100 rows would be a small difference of large float32 sums.
 */
export const seededFeeds = (d: Dims, seed: number): Feeds => {
  const L = leaves(d)
  const fill = (e: ir.Expr, salt: number, low = -1.5, scale = 1) =>
    Float64Array.from({ length: ir.size(e.shape) }, (_v, i) => {
      const h = Math.sin((seed + 1) * 12.9898 + (i + 1) * 78.233 + salt * 37.719) * 43758.5453
      return (3 * (h - Math.floor(h)) + low) * scale
    })
  return { x: fill(L.x, 1, -1), w: fill(L.w, 2), c: fill(L.c, 3), W: fill(L.W, 4, -1.5, 1 / Math.sqrt(lastOf(d))) }
}

/**
 * A fixed weighting of the tree's output, so that the scalar y = Σ R ⊙ tree has uneven gradients. The
 * weights are positive (in [0.5, 1.5]): signed ones such as sin(1.7i) nearly cancel over a long axis, and
 * a parameter's gradient, a sum over 1100 rows, would then be a small difference of large float32 terms.
 */
export const weights = (d: Dims = small): ir.Expr => ir.constant(Array.from({ length: sizeOf(d) }, (_v, i) => 1 + 0.5 * Math.sin(1.7 * i + 0.3)), shapeOf(d))

/** The inputs of every relu, abs and sign in a graph: where they are near 0, finite differences are invalid. */
export const kinkInputs = (e: ir.Expr): ir.Expr[] =>
  ir.topologicalOrder([e]).filter((n) => n.op === 'relu' || n.op === 'abs' || n.op === 'sign').map((n) => n.inputs[0])

// Widths off the vector widths (remainders after 2, 4, 8 or 16 lanes and after the chain kernel's blocks
// of 64), and 2, 4, 8 and 64 on them; batches from one row to more than one block of the largest (1032 rows).
export const widths = [1, 2, 3, 4, 7, 8, 13, 17, 33, 64, 100] as const
export const batches = [1, 2, 3, 24, 37, 100, 300, 1100] as const
// At most this many elements per value: the reference executor evaluates every case too.
const MAX_ELEMENTS = 4400

/** Shapes of ranks 1–3 for the native executor's paths: widths off the vector widths, batches past a block. */
export const arbitraryDims = (): fc.Arbitrary<Dims> =>
  fc
    // rank 2 twice as often: [B, D]·W is the matmul that runs by rows, in segments
    .tuple(fc.constantFrom(1, 2, 2, 3), fc.constantFrom(...widths), fc.constantFrom(2, 3, 5))
    .map(([rank, width, rows]): number[] => (rank === 1 ? [] : rank === 2 ? [width] : [rows, width]))
    .chain((inner) => {
      const row = inner.reduce((a, b) => a * b, 1)
      const fit = batches.filter((b) => b * row <= MAX_ELEMENTS)
      // half the time the largest batch that fits: the most blocks, and a partial last one
      return fc.oneof(fc.constant(fit[fit.length - 1]), fc.constantFrom(...fit)).map((batch): Dims => ({ batch, inner }))
    })

/** A random program on random large shapes: its shapes, its tree and its feeds. */
export interface Case {
  readonly dims: Dims
  readonly tree: Tree
  readonly feeds: Feeds
}

export const arbitraryCase = (maxDepth = 4): fc.Arbitrary<Case> =>
  fc.record({ dims: arbitraryDims(), tree: arbitraryTree(maxDepth), seed: fc.nat() }).map(({ dims, tree, seed }) => ({ dims, tree, feeds: seededFeeds(dims, seed) }))
