import t from 'tap'
import { readFileSync } from 'node:fs'
import { readChain, referenceDir } from './blocker.js'
import { diagnostics } from '../../src/index.js'
import type { Draws } from '../../src/diagnostics/index.js'

const dir = referenceDir

const columns: Record<string, (draws: Draws) => number> = {
  rhat_rank: diagnostics.rhat,
  rhat_raw: (x) => diagnostics.rhatBasic(x, { split: false }),
  ess_bulk: diagnostics.essBulk,
  ess_tail: diagnostics.essTail,
  ess_mean: diagnostics.essMean,
  ess_sd: diagnostics.essSd,
  ess_median: diagnostics.essMedian,
  ess_raw: (x) => diagnostics.essBasic(x, { split: false }),
  ess_quantile01: (x) => diagnostics.essQuantile(x, 0.01),
  ess_quantile10: (x) => diagnostics.essQuantile(x, 0.1),
  ess_quantile30: (x) => diagnostics.essQuantile(x, 0.3),
  mcse_mean: diagnostics.mcseMean,
  mcse_sd: diagnostics.mcseSd,
  mcse_median: diagnostics.mcseMedian,
  mcse_quantile01: (x) => diagnostics.mcseQuantile(x, 0.01),
  mcse_quantile10: (x) => diagnostics.mcseQuantile(x, 0.1),
  mcse_quantile30: (x) => diagnostics.mcseQuantile(x, 0.3),
}

t.test('every diagnostic matches R posterior on the blocker chains to relative 1e-8', async (t) => {
  const chains = [readChain('blocker.1.csv'), readChain('blocker.2.csv')]
  const [header, ...rows] = readFileSync(new URL('reference_posterior.csv', dir), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(',').map((s) => s.replace(/"/g, '')))
  const names = header.slice(1)
  t.same([...names].sort(), Object.keys(columns).sort(), 'the file has exactly the columns tested')
  t.same(rows.map((r) => r[0]).sort(), [...chains[0].keys()].sort(), 'the file has every parameter of the chains')
  const worst = new Map<string, number>()
  for (const [parameter, ...values] of rows) {
    const draws = chains.map((c) => c.get(parameter)!)
    names.forEach((column, j) => {
      t.not(values[j], 'NA', `${parameter} ${column} is a number in the file`)
      const want = Number(values[j])
      const got = columns[column](draws)
      const error = Math.abs(got - want) / Math.abs(want)
      worst.set(column, Math.max(worst.get(column) ?? 0, error))
      if (!(error <= 1e-8)) t.fail(`${parameter} ${column}: ${got}, reference ${want} (relative error ${error})`)
    })
  }
  for (const [column, error] of worst) t.ok(error <= 1e-8, `${column}: worst relative error ${error.toExponential(2)}`)
})
