/**
 * The matrix products of products-bits.spec.ts (issue 18): a seeded list of shapes m×k×n (m rows, k the
 * reduction, n columns) off and on the vector widths and the tiles' edges, with K up to three blocks of KC =
 * 256, each product in every form the planner gives it (B as W and as Wᵀ, a bias folded in, A = u ⊙ v), and
 * MLP-shaped chains (two products with SiLU between). Feeds are float32 values, so the float32 and float64
 * runs take the same inputs and one reference run serves both.
 */
import * as ir from '../../src/ir/index.js'
import { uniforms } from '../../src/rng/index.js'
import type { Feeds } from './programs.js'

export const ms = [1, 5, 12, 13, 24, 37, 100, 300]
export const ks = [1, 3, 16, 255, 256, 257, 600, 784]
export const ns = [1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 48, 100, 517]

/**
 * A case: its tape, feeds, and per output the magnitude |A|·|B| (+ |bias|) of its sums, as a tape of the same
 * inputs to be run on |feeds|, with the number of roundings an entry's error bound counts (see productBound).
 */
export interface ProductCase {
  readonly name: string
  readonly outputs: readonly string[]
  readonly tape: ir.Tape
  readonly magnitude: ir.Tape
  readonly terms: readonly number[]
  readonly feeds: Feeds
}

/** What products-bits-child.ts reports of one output in one dtype. */
export interface ProductResult {
  readonly output: string
  readonly dtype: string
  /** The first 16 hex digits of the sha256 of its bytes (threads 1, the planner's row blocks). */
  readonly digest: string
  /** The threads and row blocks whose bits differ from those. */
  readonly differing: readonly string[]
  /** The largest |native − reference| over the entries as a fraction of the entry's bound. */
  readonly ratio: number
}

/** Float32 values in (−1, 1) from stream `stream` of seed 18. */
const values = (stream: number, n: number): Float64Array => uniforms(18, stream, 0, n).map((u) => Math.fround(2 * u - 1))

const feedsOf = (leaves: readonly ir.Expr[]): Feeds =>
  Object.fromEntries(leaves.map((l, j) => [String(l.attrs.name), values(j, ir.size(l.shape))]))

/**
 * The five forms of one product. Each entry sums k products (with u ⊙ v, each rounded once more) and at
 * most a bias: k + 2 roundings bound every form's error.
 */
export const productCase = (m: number, k: number, n: number): ProductCase => {
  const [a, u, v] = ['a', 'u', 'v'].map((name) => ir.input(name, [m, k]))
  const w = ir.param('w', [k, n])
  const wt = ir.param('wt', [n, k])
  const b = ir.param('b', [n])
  const forms = {
    'A·W': ir.matmul(a, w),
    'A·Wᵀ': ir.matmul(a, ir.transpose(wt)),
    'A·W + b': ir.add(ir.matmul(u, w), b),
    'A·Wᵀ + b': ir.add(ir.matmul(v, ir.transpose(wt)), b),
    '(u ⊙ v)·W': ir.matmul(ir.mul(u, v), w),
  }
  const leaves = [a, u, v, w, wt, b]
  // Every form is a sum of products of feeds, so run on |feeds| it gives its own magnitude.
  const tape = ir.compile(Object.values(forms), leaves)
  return { name: `${m}×${k}×${n}`, outputs: Object.keys(forms), tape, magnitude: tape, terms: Object.keys(forms).map(() => k + 2), feeds: feedsOf(leaves) }
}

/**
 * y = silu(x·W1 + b1)·W2 + b2 for x of [m, D] and H hidden units. Its error is bounded by γ(terms)·M with
 * M = (|x|·|W1| + |b1|)·|W2| + |b2|: the first sum is off by γ(D+1)·M1 (M1 = |x|·|W1| + |b1|), silu's slope
 * lies in [−0.1, 1.1] and |silu(z)| ≤ |z| ≤ M1, and silu itself is within 5 ulp (isa.spec.ts), ≤ 10u·M1; the
 * second sum adds γ(H+1)·(|h|·|W2| + |b2|). So terms = H + 1 + 1.1·(D + 1) + 10, and 2 more for the
 * second-order terms.
 */
export const mlpCase = (m: number, D: number, H: number): ProductCase => {
  const x = ir.input('x', [m, D])
  const W1 = ir.param('W1', [D, H])
  const b1 = ir.param('b1', [H])
  const W2 = ir.param('W2', [H, H])
  const b2 = ir.param('b2', [H])
  const leaves = [x, W1, b1, W2, b2]
  const y = ir.add(ir.matmul(ir.silu(ir.add(ir.matmul(x, W1), b1)), W2), b2)
  const magnitude = ir.add(ir.matmul(ir.add(ir.matmul(x, W1), b1), W2), b2)
  return {
    name: `MLP ${m}×${D}→${H}→${H}`,
    outputs: ['y'],
    tape: ir.compile([y], leaves),
    magnitude: ir.compile([magnitude], leaves),
    terms: [Math.ceil(H + 1 + 1.1 * (D + 1) + 12)],
    feeds: feedsOf(leaves),
  }
}

/**
 * γ(n) = n·u / (1 − n·u): a sum of n terms in any order, each rounded, is off by at most γ(n) times the sum
 * of the terms' magnitudes (Higham, Accuracy and Stability of Numerical Algorithms, §3.1); a fused
 * multiply-add rounds once where a product and a sum round twice, so the bound holds for every ISA.
 */
export const gamma = (n: number, u: number): number => (n * u) / (1 - n * u)

/** Unit roundoffs. */
export const unitRoundoff = { float32: 2 ** -24, float64: 2 ** -53 } as const

// A product's multiply-adds at most: the reference executor (about 500 M a second) runs each case twice,
// in three child processes, so the list stays near a second of reference work in all.
const MAX_WORK = 2 ** 21
const SHAPES = 36

/**
 * The seeded list: n runs through ns in turn, m and k are drawn uniformly from ms and ks (Philox, seed 18),
 * redrawn while the product is over MAX_WORK multiply-adds. The spec checks that the list holds every m and k.
 */
export const productShapes = (): [number, number, number][] => {
  const shapes: [number, number, number][] = []
  const us = uniforms(18, 100, 0, 2 * 1000)
  for (let i = 0; shapes.length < SHAPES; i += 2) {
    const n = ns[shapes.length % ns.length]
    const [m, k] = [ms[Math.floor(us[i] * ms.length)], ks[Math.floor(us[i + 1] * ks.length)]]
    if (m * k * n <= MAX_WORK) shapes.push([m, k, n])
  }
  return shapes
}

/**
 * Shapes added to the seeded list (the redraws keep it to small products): whole tiles of every width (12
 * and 6 rows; 32, 16 and 8 columns) over two and three blocks of k, the last block of k 1, 88 and 16 long, and
 * edge tiles after the whole ones; and n across many panels.
 */
export const blockShapes: [number, number, number][] = [
  [100, 600, 100],
  [37, 784, 48],
  [24, 257, 517],
]

/** MLP shapes (m, D, H): an MNIST-sized input (k past three blocks), an input one past a block of k, a 2-D input. */
export const mlpShapes: [number, number, number][] = [
  [24, 784, 100],
  [37, 257, 33],
  [13, 2, 128],
]

/**
 * Whether an output's bits are pinned by spec/fixtures/products-bits/digests.json: the products' are (sums of
 * IEEE operations in a fixed order); the MLPs' are not, since their SiLU's polynomial may change on its own.
 */
export const pinned = (output: string): boolean => !output.startsWith('MLP ')

export const productCases = (): ProductCase[] => [
  ...[...productShapes(), ...blockShapes].map(([m, k, n]) => productCase(m, k, n)),
  ...mlpShapes.map(([m, D, H]) => mlpCase(m, D, H)),
]
