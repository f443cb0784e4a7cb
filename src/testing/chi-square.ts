/**
 * Pearson's χ² of one-step transition counts against a transition matrix, and its upper tail.
 *
 * @module
 */
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

/**
 * Pearson's χ² of counts [from × to] against a transition matrix, `replicas` draws per row, with its
 * degrees of freedom, and how many draws fell where the matrix allows none. In each row the cells expected
 * fewer than 5 draws are pooled into one (joined to the row's largest cell when still below 5).
 */
export const chiSquare = (counts: Float64Array, P: Matrix, n: number, replicas: number): { readonly statistic: number; readonly df: number; readonly impossible: number } => {
  let statistic = 0
  let df = 0
  let impossible = 0
  for (let i = 0; i < n; i++) {
    const cells: [number, number][] = [] // [seen, expected]
    const pool: [number, number] = [0, 0]
    for (let j = 0; j < n; j++) {
      const expected = replicas * P[i * n + j]
      const seen = counts[i * n + j]
      if (P[i * n + j] <= 1e-14) impossible += seen
      else if (expected < leastExpected) {
        pool[0] += seen
        pool[1] += expected
      } else cells.push([seen, expected])
    }
    if (pool[1] >= leastExpected || cells.length === 0) cells.push(pool)
    else {
      const largest = cells.reduce((a, c) => (c[1] > a[1] ? c : a))
      largest[0] += pool[0]
      largest[1] += pool[1]
    }
    for (const [seen, expected] of cells) if (expected > 0) statistic += (seen - expected) ** 2 / expected
    df += Math.max(0, cells.filter(([, e]) => e > 0).length - 1)
  }
  return { statistic, df, impossible }
}
