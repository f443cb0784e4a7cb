/**
 * The summary table of draws, a row per coordinate, as R posterior's `summarise_draws` and ArviZ's
 * `summary` give it: mean, sd, quantiles, the MCSE of the mean, bulk and tail ESS and R-hat. Every number
 * is computed by the diagnostics function of its name (one definition each), so a row holds the same
 * floats as calling them.
 *
 * @module
 */
import * as check from '../check/index.js'
import { checkDraws, mean, minimumDraws, pool, quantile, sorted, variance } from './draws.js'
import { essBulk, essTail } from './ess.js'
import { mcseMean } from './mcse.js'
import { rhat } from './rhat.js'

/** One coordinate's row. NaN where a diagnostic is undefined (constant draws). */
export interface SummaryRow {
  readonly name: string
  readonly mean: number
  readonly sd: number
  /** The quantiles at the probabilities asked for (default 5%, 50%, 95%), in their order. */
  readonly quantiles: readonly number[]
  readonly mcseMean: number
  readonly essBulk: number
  readonly essTail: number
  readonly rhat: number
  /** The chains it is computed over: those whose draws are all finite. */
  readonly chains: number
}

/** Options of {@link summary}. */
export interface SummaryOptions {
  /** The number of chains: draws are laid out [chains × draws × dimension]. */
  readonly chains: number
  /** The coordinates' names (their number is the dimension); default x[0], x[1], … with `dimension`. */
  readonly names?: readonly string[]
  /** The dimension, when no names are given. */
  readonly dimension?: number
  /** The probabilities of the quantile columns; default [0.05, 0.5, 0.95]. */
  readonly quantiles?: readonly number[]
}

/** The default quantile probabilities: 5%, 50%, 95%, as posterior and ArviZ print. */
export const defaultQuantiles = [0.05, 0.5, 0.95] as const

/**
 * One coordinate's row from its draws, one array per chain (chains of equal length, at least 4 draws,
 * all finite): what {@link summary} computes for each coordinate, and `heatbath diagnose` for each column.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics, rng } from 'heatbath'
 * const chains = [0, 1, 2].map((c) => rng.normals(3, c, 0, 100))
 * const row = diagnostics.summaryRow('theta', chains)
 * assert.equal(row.rhat, diagnostics.rhat(chains))
 * assert.equal(row.essTail, diagnostics.essTail(chains))
 * assert.equal(row.quantiles[1], diagnostics.quantile(chains.flatMap((c) => [...c]), 0.5))
 */
export const summaryRow = (name: string, draws: readonly (ArrayLike<number> | Float64Array)[], quantiles: readonly number[] = defaultQuantiles): SummaryRow => {
  const chains = checkDraws('summaryRow', draws as never)
  const probs = probabilities(quantiles, 'summaryRow: quantiles')
  const all = pool(chains)
  const order = sorted(all)
  return {
    name,
    mean: mean(all),
    sd: Math.sqrt(variance(all)),
    quantiles: probs.map((p) => quantile(order, p)),
    mcseMean: mcseMean(chains),
    essBulk: essBulk(chains),
    essTail: essTail(chains),
    rhat: rhat(chains),
    chains: chains.length,
  }
}

// Quantile probabilities, checked.
const probabilities = (v: unknown, where: string): number[] => Array.from(check.array<readonly unknown[]>(v, where), (p, i) => check.probability(p, `${where}[${i}]`))

// Chain c's draws of coordinate j from [chains × n × D].
const coordinate = (draws: ArrayLike<number>, c: number, j: number, n: number, D: number): Float64Array => {
  const out = new Float64Array(n)
  for (let k = 0; k < n; k++) out[k] = draws[(c * n + k) * D + j]
  return out
}

// Whether every draw of chain c is finite.
const finiteChain = (draws: ArrayLike<number>, c: number, perChain: number): boolean => {
  for (let i = c * perChain; i < (c + 1) * perChain; i++) if (!Number.isFinite(draws[i])) return false
  return true
}

const checkNames = (o: Readonly<Partial<SummaryOptions>>): string[] => {
  if (o.names !== undefined) {
    const names = check.array<readonly unknown[]>(o.names, 'summary: names')
    return Array.from(names, (n, j) => check.string(n, `summary: names[${j}]`))
  }
  const D = check.positiveInteger(o.dimension, 'summary: dimension (or names)')
  return Array.from({ length: D }, (_v, j) => `x[${j}]`)
}

/**
 * The summary of draws laid out [chains × draws × dimension] (`sample(…, { keep: 'draws' })`'s `draws`),
 * a row per coordinate. Chains with a non-finite draw are left out (each row says how many chains it is
 * over); at least one chain of at least 4 draws must remain.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics, energy, sampler } from 'heatbath'
 * const e = energy.gaussian({ mean: [1, -2], precision: [[1, 0], [0, 0.25]] })
 * const r = await sampler.sample(e, sampler.mala({ stepSize: 0.8 }), { chains: 4, warmup: 100, steps: 400, seed: 1, keep: 'draws' })
 * const [x, y] = diagnostics.summary(r.draws!, { chains: r.chains, names: ['x', 'y'] })
 * assert.equal(y.name, 'y')
 * assert.ok(Math.abs(y.mean + 2) < 4 * y.mcseMean) // within 4 MCSE of the true mean
 * assert.ok(x.rhat < 1.01)
 */
export const summary = (draws: ArrayLike<number>, options: SummaryOptions): SummaryRow[] => {
  const o = check.options(check.object(options, 'summary: options'), 'summary: options', ['chains', 'names', 'dimension', 'quantiles'])
  const chains = check.positiveInteger(o.chains, 'summary: chains')
  const names = checkNames(o as Partial<SummaryOptions>)
  const probs = o.quantiles === undefined ? defaultQuantiles : probabilities(o.quantiles, 'summary: quantiles')
  const x = check.array(draws, 'summary: draws')
  const D = names.length
  const perChain = x.length / chains
  if (!Number.isInteger(perChain / D)) throw check.rangeError('summary: draws', `a multiple of ${chains} chains × ${D} dimensions numbers`, draws)
  const n = perChain / D
  if (n < minimumDraws) throw check.rangeError('summary: draws', `at least ${minimumDraws} draws a chain (two in each half of a split chain)`, `${n} draws a chain`)
  const kept = [...Array(chains).keys()].filter((c) => finiteChain(x, c, perChain))
  if (kept.length === 0) throw check.rangeError('summary: draws', 'a chain whose draws are all finite', `${chains} chains, each with a non-finite draw`)
  return names.map((name, j) => summaryRow(name, kept.map((c) => coordinate(x, c, j, n, D)), probs))
}
