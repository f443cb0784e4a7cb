/**
 * Pearson's χ² of one-step transition counts against a transition matrix, and its upper tail.
 *
 * @module
 */
import * as check from '../check/index.js'
import { logGamma } from '../diagnostics/index.js'
import type { Matrix } from './finite-space.js'

// Q(a, x) = Γ(a, x)/Γ(a) by its series (x < a + 1) or its continued fraction (Numerical Recipes' gammq).
const upperGamma = (a: number, x: number): number => {
  if (x <= 0) return 1
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a))
  if (x < a + 1) {
    let term = 1 / a
    let sum = term
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-15; n++) {
      term *= x / (a + n)
      sum += term
    }
    return Math.max(0, 1 - sum * front)
  }
  const tiny = 1e-300
  let b = x + 1 - a
  let c = 1 / tiny
  let d = 1 / b
  let h = d
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    d = Math.abs(d) < tiny ? tiny : d
    c = b + an / c
    c = Math.abs(c) < tiny ? tiny : c
    d = 1 / d
    const step = d * c
    h *= step
    if (Math.abs(step - 1) < 1e-15) break
  }
  return front * h
}

/**
 * P(χ²(df) ≥ x): the p-value of a χ² statistic (1 when df is 0: nothing was free to vary).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { chiSquareTail } from './chi-square.js'
 * assert.ok(Math.abs(chiSquareTail(3.841458820694124, 1) - 0.05) < 1e-9)
 * assert.ok(Math.abs(chiSquareTail(2, 2) - Math.exp(-1)) < 1e-12)
 */
export const chiSquareTail = (x: number, df: number): number => (df === 0 ? 1 : Number.isNaN(x) ? 0 : upperGamma(df / 2, x / 2))

/** Cells of a row with fewer expected counts than this are pooled, so that χ²(df) describes the statistic. */
const leastExpected = 5

/** A move of probability at most this is one the matrix forbids (rounding of an exact 0). */
const forbidden = 1e-14

/** Cells of one row of a transition matrix pooled for Pearson's χ²: their columns and their probability. */
export interface Pool {
  readonly row: number
  readonly columns: readonly number[]
  readonly probability: number
}

/**
 * The cells of Pearson's χ² of `replicas` draws per row of a transition matrix: in each row the cells
 * expected fewer than 5 draws are pooled into one (joined to the row's largest cell when still below 5),
 * unless `keepRare` and pooling would leave the row one cell: then the row keeps two, its rare moves
 * apart from its one likely move, or its likeliest move apart from the rest (a Monte Carlo p-value needs
 * no 5 expected draws, and a row of one cell tests nothing). Moves the matrix
 * forbids are in no cell. Row by row, in order.
 */
export const pools = (P: Matrix, n: number, replicas: number, keepRare = false): Pool[] => {
  const out: Pool[] = []
  for (let i = 0; i < n; i++) {
    const cells: { columns: number[]; probability: number }[] = []
    const pool = { columns: [] as number[], probability: 0 }
    for (let j = 0; j < n; j++) {
      const p = P[i * n + j]
      if (p <= forbidden) continue
      if (replicas * p < leastExpected) {
        pool.columns.push(j)
        pool.probability += p
      } else cells.push({ columns: [j], probability: p })
    }
    if (keepRare && cells.length === 0 && pool.columns.length > 1) {
      // the likeliest move against the rest: two cells, however rare
      const likeliest = pool.columns.reduce((a, j) => (P[i * n + j] > P[i * n + a] ? j : a))
      cells.push({ columns: [likeliest], probability: P[i * n + likeliest] }, { columns: pool.columns.filter((j) => j !== likeliest), probability: pool.probability - P[i * n + likeliest] })
    } else if (keepRare && cells.length === 1 && pool.columns.length > 0) cells.push(pool)
    else if (replicas * pool.probability >= leastExpected || cells.length === 0) cells.push(pool)
    else {
      const largest = cells.reduce((a, c) => (c.probability > a.probability ? c : a))
      largest.columns.push(...pool.columns)
      largest.probability += pool.probability
    }
    for (const c of cells) if (c.probability > 0) out.push({ row: i, ...c })
  }
  return out
}

/** The draws of counts [from × to] that fell in a pool. */
export const pooledCount = (counts: ArrayLike<number>, pool: Pool, n: number): number => pool.columns.reduce((a, j) => a + counts[pool.row * n + j], 0)

/** Pearson's term of a pool: (seen − expected)²/expected. */
export const pearsonTerm = (seen: number, pool: Pool, replicas: number): number => (seen - replicas * pool.probability) ** 2 / (replicas * pool.probability)

/** How many draws of counts [from × to] fell where the matrix allows none. */
export const forbiddenMoves = (counts: ArrayLike<number>, P: Matrix): number => {
  let seen = 0
  for (let c = 0; c < P.length; c++) if (P[c] <= forbidden) seen += counts[c]
  return seen
}

/**
 * Pearson's χ² of counts [from × to] against a transition matrix, `replicas` draws per row, over the
 * cells of {@link pools}, with its degrees of freedom (the asymptotic law's), and how many draws fell
 * where the matrix allows none.
 */
export const chiSquare = (counts: Float64Array, P: Matrix, n: number, replicas: number): { readonly statistic: number; readonly df: number; readonly impossible: number } => {
  // Checked first: without n and replicas, or with NaN counts, the statistic came out 0 on 0 degrees of freedom, a pass.
  check.positiveInteger(n, 'chiSquare: n')
  check.positiveInteger(replicas, 'chiSquare: replicas')
  const square = { length: n * n, lengthReason: `${n} × ${n} states` }
  check.numbers(P, 'chiSquare: P', square)
  check.numbers(counts, 'chiSquare: counts', square).forEach((c, i) => {
    if (!(Number.isInteger(c) && c >= 0)) throw check.rangeError(`chiSquare: counts[${i}]`, 'a count (an integer ≥ 0)', c)
  })
  const cells = pools(P, n, replicas)
  const statistic = cells.reduce((a, pool) => a + pearsonTerm(pooledCount(counts, pool, n), pool, replicas), 0)
  const rows = new Set(cells.map((pool) => pool.row)).size
  return { statistic, df: cells.length - rows, impossible: forbiddenMoves(counts, P) }
}
