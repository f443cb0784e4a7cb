/**
 * The report every checker of the kit returns: what was tested, the statistic, its p-value (a test at a
 * false-alarm rate) or the bound it was held to (a deterministic property), the sizes used, the verdict,
 * and a message that says what failed and how to reproduce it.
 *
 * @module
 */

/** The sizes a check used (chains, steps, draws, points, permutations, seed, …), reported as given. */
import * as check from '../check/index.js'

export type Sizes = Readonly<Record<string, number | string>>

/** What a checker found. */
export interface Report {
  /** The checker and what it looked at: 'checkStationarity: x[1] (KS)'. */
  readonly name: string
  /** The test statistic or the measured deviation. */
  readonly statistic: number
  /** The p-value of a statistical test (compared with `level`), or undefined for a bound. */
  readonly pValue?: number
  /** The level the p-value was compared with (the false-alarm rate after Bonferroni). */
  readonly level?: number
  /** The bound a deterministic deviation was held to (|return error| ≤ 1e-12), or undefined for a test. */
  readonly bound?: number
  /** The sizes used, seed included. */
  readonly sizes: Sizes
  readonly passed: boolean
  /** Why the check was not run (the native addon is missing), or undefined. A skipped check passes. */
  readonly skipped?: string
  /** One sentence: passed or what failed, and the call that reproduces it. */
  readonly message: string
  /** The reports this one combines (one per coordinate, per test), worst first. */
  readonly parts?: readonly Report[]
}

/** A number to three digits, small ones in exponent form (1e-5, not 0.00001). */
export const fmt = (x: number): string => {
  const v = Number(x.toPrecision(3))
  return v !== 0 && Number.isFinite(v) && Math.abs(v) < 1e-3 ? v.toExponential() : String(v)
}

const shown = (v: number | string): string => (typeof v === 'number' ? String(Number(v.toPrecision(6))) : JSON.stringify(v))

/**
 * The sizes as the options that reproduce a check: `{ seed: 3, chains: 500 }`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { reproduce } from './report.js'
 * assert.equal(reproduce({ seed: 3, chains: 500 }), '{ seed: 3, chains: 500 }')
 */
export const reproduce = (sizes: Sizes): string => `{ ${Object.entries(check.object(sizes, 'reproduce: sizes') as Sizes).map(([k, v]) => `${k}: ${shown(v)}`).join(', ')} }`

const verdict = (name: string, passed: boolean, what: string, sizes: Sizes): string =>
  passed ? `${name}: passed (${what})` : `${name}: failed: ${what}; reproduce with the options ${reproduce(sizes)}`

/**
 * The report of a statistical test: passed when the p-value is at least `level`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { testReport } from './report.js'
 * const r = testReport('checkStationarity: x[0] (KS)', { statistic: 0.21, pValue: 1e-5, level: 0.005 }, { seed: 3, chains: 500 })
 * assert.equal(r.passed, false)
 * assert.equal(r.message, 'checkStationarity: x[0] (KS): failed: statistic 0.21, p-value 1e-5 < 0.005; reproduce with the options { seed: 3, chains: 500 }')
 */
export const testReport = (name: string, t: { readonly statistic: number; readonly pValue: number; readonly level: number }, sizes: Sizes): Report => {
  const passed = t.pValue >= t.level
  const what = `statistic ${fmt(t.statistic)}, p-value ${fmt(t.pValue)} ${passed ? '≥' : '<'} ${fmt(t.level)}`
  return { name, ...t, sizes, passed, message: verdict(name, passed, what, sizes) }
}

/**
 * The report of a deterministic property: passed when the deviation is at most `bound` (a NaN fails).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { boundReport } from './report.js'
 * const r = boundReport('checkReversibility', { statistic: 3e-9, bound: 1e-12, what: 'largest return error' }, { seed: 1, points: 64 })
 * assert.equal(r.passed, false)
 * assert.match(r.message, /largest return error 3e-9 > 1e-12; reproduce with the options \{ seed: 1, points: 64 \}$/)
 */
export const boundReport = (name: string, t: { readonly statistic: number; readonly bound: number; readonly what: string }, sizes: Sizes): Report => {
  const passed = t.statistic <= t.bound
  const what = `${t.what} ${fmt(t.statistic)} ${passed ? '≤' : '>'} ${fmt(t.bound)}`
  return { name, statistic: t.statistic, bound: t.bound, sizes, passed, message: verdict(name, passed, what, sizes) }
}

/**
 * A check that was not run, and why: it passes, and says so.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { skippedReport } from './report.js'
 * const r = skippedReport('checkParity', 'the native addon is not built', { seed: 1 })
 * assert.equal(r.passed, true)
 * assert.equal(r.message, 'checkParity: skipped: the native addon is not built')
 */
export const skippedReport = (name: string, reason: string, sizes: Sizes): Report => ({ name, statistic: NaN, sizes, passed: true, skipped: reason, message: `${name}: skipped: ${reason}` })

/**
 * Several reports as one: passed when all passed; the failures (or, when all passed, every part) listed
 * worst first, by p-value then by deviation over bound.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { combined, testReport } from './report.js'
 * const sizes = { seed: 1 }
 * const r = combined('checkStationarity', [testReport('a', { statistic: 1, pValue: 0.5, level: 0.01 }, sizes), testReport('b', { statistic: 2, pValue: 0.001, level: 0.01 }, sizes)], sizes)
 * assert.equal(r.passed, false)
 * assert.equal(r.parts?.[0].name, 'b')
 */
export const combined = (name: string, parts: readonly Report[], sizes: Sizes): Report => {
  // No parts would pass: `every` of nothing is true.
  if (check.array(parts, 'combined: parts').length === 0) throw check.rangeError('combined: parts', 'at least one report', parts)
  // a deviation of 0 from a bound of 0 is no badness (not 0/0)
  const badness = (r: Report): number => (r.pValue !== undefined && r.level !== undefined ? r.level / Math.max(r.pValue, 1e-300) : r.bound !== undefined ? (r.statistic === 0 ? 0 : r.statistic / r.bound) : 0)
  const ordered = [...parts].sort((a, b) => (Number.isNaN(badness(b)) ? 1 : badness(b) - badness(a)))
  const worst = ordered[0]
  const passed = parts.every((p) => p.passed)
  const failures = ordered.filter((p) => !p.passed)
  const message = passed
    ? `${name}: passed ${parts.length} test${parts.length === 1 ? '' : 's'}; closest to failing: ${worst.message}`
    : `${name}: failed ${failures.length} of ${parts.length}: ${failures.map((f) => f.message.replace(/; reproduce with.*$/, '')).join('; ')}; reproduce with the options ${reproduce(sizes)}`
  return { name, statistic: worst.statistic, pValue: worst.pValue, level: worst.level, bound: worst.bound, sizes, passed, message, parts: ordered }
}

/**
 * Throws an Error carrying the report's message when it failed: the one line a property test needs
 * (`fc.assert(fc.asyncProperty(…, async (…) => assertPassed(await checkStationarity(…))))`), in any
 * test runner.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { assertPassed, boundReport } from './report.js'
 * assert.throws(() => assertPassed(boundReport('checkReversibility', { statistic: 1, bound: 1e-12, what: 'return error' }, { seed: 2 })), /reproduce with the options \{ seed: 2 \}/)
 */
export const assertPassed = (report: Report): Report => {
  if (!check.boolean(check.object(report, 'assertPassed: report').passed, 'assertPassed: report.passed')) throw Object.assign(new Error(report.message), { report })
  return report
}
