import t from 'tap'
import { readFileSync } from 'node:fs'
import { readChain, referenceDir } from './blocker.js'
import { diagnostics } from '../../src/index.js'
import * as rng from '../../src/rng/index.js'

const dir = referenceDir

// Chains of named columns laid out [chains × draws × D], as sample's draws are.
const layout = (chains: readonly Map<string, number[]>[], names: readonly string[]): Float64Array => {
  const n = chains[0].get(names[0])!.length
  const out = new Float64Array(chains.length * n * names.length)
  chains.forEach((chain, c) => names.forEach((name, j) => chain.get(name)!.forEach((v, k) => (out[(c * n + k) * names.length + j] = v))))
  return out
}

const chains = [readChain('blocker.1.csv'), readChain('blocker.2.csv')]
const names = [...chains[0].keys()]
const draws = layout(chains, names)
const rows = diagnostics.summary(draws, { chains: 2, names })

t.test('every number of a row is the diagnostics function of its name, to the bit', async (t) => {
  for (const [j, row] of rows.entries()) {
    const per = chains.map((c) => c.get(names[j])!)
    const pooled = per.flat().sort((a, b) => a - b)
    t.equal(row.name, names[j])
    t.equal(row.mcseMean, diagnostics.mcseMean(per), `${row.name} mcse_mean`)
    t.equal(row.essBulk, diagnostics.essBulk(per), `${row.name} ess_bulk`)
    t.equal(row.essTail, diagnostics.essTail(per), `${row.name} ess_tail`)
    t.equal(row.rhat, diagnostics.rhat(per), `${row.name} rhat`)
    t.same(row.quantiles, [0.05, 0.5, 0.95].map((p) => diagnostics.quantile(pooled, p)), `${row.name} q5, q50, q95`)
    t.equal(row.chains, 2)
  }
})

t.test("the rows agree with R posterior's reference values for the blocker chains (relative 1e-8)", async (t) => {
  const [header, ...lines] = readFileSync(new URL('reference_posterior.csv', dir), 'utf8').trim().split('\n').map((l) => l.split(',').map((s) => s.replace(/"/g, '')))
  const column = (name: string) => header.indexOf(name)
  const fields = { rhat: 'rhat_rank', essBulk: 'ess_bulk', essTail: 'ess_tail', mcseMean: 'mcse_mean' } as const
  for (const line of lines) {
    const row = rows.find((r) => r.name === line[0])!
    for (const [key, name] of Object.entries(fields)) {
      const want = Number(line[column(name)])
      const got = row[key as keyof typeof fields]
      t.ok(Math.abs(got - want) <= 1e-8 * Math.abs(want), `${row.name} ${name}: ${got} vs R ${want}`)
    }
  }
})

t.test('mean, sd and quantiles against closed forms for independent normal draws (within 4 MCSE)', async (t) => {
  // 4 chains × 2000 draws of (1 + 2z₁, −3 + 0.5z₂): D = 2, σ ≠ 1
  const n = 2000
  const x = new Float64Array(4 * n * 2)
  for (let c = 0; c < 4; c++) {
    const z = rng.normals(21, c, 0, 2 * n)
    for (let k = 0; k < n; k++) {
      x[(c * n + k) * 2] = 1 + 2 * z[2 * k]
      x[(c * n + k) * 2 + 1] = -3 + 0.5 * z[2 * k + 1]
    }
  }
  const [a, b] = diagnostics.summary(x, { chains: 4, dimension: 2, quantiles: [0.05, 0.95] })
  t.equal(a.name, 'x[0]')
  t.ok(Math.abs(a.mean - 1) < 4 * a.mcseMean && Math.abs(b.mean + 3) < 4 * b.mcseMean, 'means within 4 MCSE')
  // sd of an sd estimate from N independent normal draws: σ/√(2N)
  t.ok(Math.abs(a.sd - 2) < 4 * 2 / Math.sqrt(2 * 4 * n) && Math.abs(b.sd - 0.5) < 4 * 0.5 / Math.sqrt(2 * 4 * n), 'sds within 4 standard errors')
  // the 95% quantile of N(μ, σ²) is μ + 1.6449σ; its standard error √(p(1−p)/N)/φ(z_p)·σ
  const se = (sigma: number) => (Math.sqrt(0.05 * 0.95 / (4 * n)) / 0.10313564037537128) * sigma
  t.ok(Math.abs(b.quantiles[1] - (-3 + 1.6448536269514722 * 0.5)) < 4 * se(0.5), `q95 of y: ${b.quantiles[1]}`)
  t.ok(Math.abs(a.quantiles[0] - (1 - 1.6448536269514722 * 2)) < 4 * se(2), `q5 of x: ${a.quantiles[0]}`)
})

t.test('chains with a non-finite draw are left out, and bad arguments are named', async (t) => {
  const twice = new Float64Array([...draws, ...draws.map((v, i) => (i === 5 ? NaN : v))])
  const dropped = diagnostics.summary(twice, { chains: 4, names })
  t.equal(dropped[0].chains, 3, 'the chain with NaN is left out')
  t.equal(dropped[0].rhat, diagnostics.rhat([chains[0].get(names[0])!, chains[1].get(names[0])!, chains[1].get(names[0])!]), 'over chains 0, 1 and 3')
  t.throws(() => diagnostics.summary(draws, { chains: 3, names }), { name: 'RangeError', message: /^summary: draws: expected a multiple of 3 chains × \d+ dimensions numbers/ })
  t.throws(() => diagnostics.summary(new Float64Array(12), { chains: 2, names: ['a', 'b'] }), { message: 'summary: draws: expected at least 4 draws a chain (two in each half of a split chain), got "3 draws a chain"' })
  t.throws(() => diagnostics.summary(new Float64Array(8).fill(NaN), { chains: 2, names: ['a'] }), { message: 'summary: draws: expected a chain whose draws are all finite, got "2 chains, each with a non-finite draw"' })
  t.throws(() => diagnostics.summary(draws, { chains: 2 } as never), { message: 'summary: dimension (or names): expected an integer ≥ 1, got undefined' })
  t.throws(() => diagnostics.summary(draws, { chains: 2, names, quantiles: [1.5] }), { message: 'summary: quantiles[0]: expected a probability in [0, 1], got 1.5' })
})
