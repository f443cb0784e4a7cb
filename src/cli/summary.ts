/**
 * The diagnostics table of `sample` and `diagnose`: per column of draws, the mean and standard deviation,
 * the 5%, 50% and 95% quantiles, the Monte Carlo standard error of the mean, the rank-normalised split R-hat
 * and the bulk and tail ESS (diagnostics.summaryRow's row, as R posterior's summarise_draws gives it), each computed by the diagnostics API on the draws as they are (so the numbers are the API's, bit
 * for bit). Printed as an aligned table, or as JSON lines.
 *
 * @module
 */
import * as diagnostics from '../diagnostics/index.js'
import { type Output, jsonLine } from './command.js'

/** One column's summary. NaN where the diagnostics are undefined (constant or non-finite draws). */
export interface ColumnSummary {
  readonly name: string
  readonly mean: number
  readonly sd: number
  readonly q5: number
  readonly q50: number
  readonly q95: number
  readonly mcseMean: number
  readonly rhat: number
  readonly essBulk: number
  readonly essTail: number
}

// Whether every draw is finite (the diagnostics are undefined otherwise).
const allFinite = (chains: readonly Float64Array[]): boolean => chains.every((c) => c.every(Number.isFinite))

/**
 * The summary of one column: `chains[c]` holds its draws in chain c (chains of equal length, at least 4
 * draws each): the diagnostics' summary row (diagnostics.summaryRow, one definition). A column with a
 * non-finite draw has NaN diagnostics, as R-hat and ESS are undefined there.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics, rng } from 'heatbath'
 * import { summarise } from './summary.js'
 * const chains = [0, 1].map((c) => rng.normals(3, c, 0, 200))
 * const s = summarise('x', chains)
 * assert.equal(s.rhat, diagnostics.rhat(chains))
 * assert.equal(s.essTail, diagnostics.essTail(chains))
 */
export const summarise = (name: string, chains: readonly Float64Array[]): ColumnSummary => {
  if (!allFinite(chains)) return { name, mean: NaN, sd: NaN, q5: NaN, q50: NaN, q95: NaN, mcseMean: NaN, rhat: NaN, essBulk: NaN, essTail: NaN }
  const { mean, sd, quantiles, mcseMean, rhat, essBulk, essTail } = diagnostics.summaryRow(name, chains, [0.05, 0.5, 0.95])
  const [q5, q50, q95] = quantiles
  return { name, mean, sd, q5, q50, q95, mcseMean, rhat, essBulk, essTail }
}

const headings = ['column', 'mean', 'sd', 'q5', 'q50', 'q95', 'mcse_mean', 'rhat', 'ess_bulk', 'ess_tail'] as const

const significant = (x: number): string => (Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : String(x))
const cells = (s: ColumnSummary): string[] => [
  s.name,
  significant(s.mean),
  significant(s.sd),
  significant(s.q5),
  significant(s.q50),
  significant(s.q95),
  significant(s.mcseMean),
  Number.isFinite(s.rhat) ? s.rhat.toFixed(3) : String(s.rhat),
  Number.isFinite(s.essBulk) ? s.essBulk.toFixed(0) : String(s.essBulk),
  Number.isFinite(s.essTail) ? s.essTail.toFixed(0) : String(s.essTail),
]

/**
 * The summaries as an aligned table, names left and numbers right, with a line saying what R-hat and ESS
 * should be (Vehtari et al. 2021).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { formatSummaries } from './summary.js'
 * const text = formatSummaries([{ name: 'theta', mean: 0.25, sd: 0.12, q5: 0.08, q50: 0.24, q95: 0.47, mcseMean: 0.0031, rhat: 1.0012, essBulk: 1502.3, essTail: 1710.9 }], 4)
 * assert.match(text, /^column +mean +sd +q5 +q50 +q95 +mcse_mean +rhat +ess_bulk +ess_tail\ntheta +0\.25 +0\.12 +0\.08 +0\.24 +0\.47 +0\.0031 +1\.001 +1502 +1711\n/)
 */
export const formatSummaries = (rows: readonly ColumnSummary[], chains: number): string => {
  const table = [headings as readonly string[], ...rows.map(cells)]
  const widths = headings.map((_h, k) => Math.max(...table.map((r) => r[k].length)))
  const lines = table.map((r) => r.map((c, k) => (k === 0 ? c.padEnd(widths[k]) : c.padStart(widths[k]))).join('  ').trimEnd())
  return `${lines.join('\n')}\n\n${chains} chain${chains === 1 ? '' : 's'}; converged chains have rhat < 1.01, and ess_bulk and ess_tail above ${100 * chains} (100 a chain)\n`
}

/** Writes the summaries as a table, or with `json` one JSON line per column (non-finite numbers as null). */
export const writeSummaries = (out: Output, rows: readonly ColumnSummary[], chains: number, json: boolean): void => {
  if (!json) {
    out.write(formatSummaries(rows, chains))
    return
  }
  for (const r of rows) jsonLine(out, r)
}
