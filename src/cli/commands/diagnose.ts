/**
 * `heatbath diagnose draws.csv…`: R-hat, bulk and tail ESS and the MCSE of the mean of every column of
 * CmdStan's CSV output, one file per chain, so that Stan users can check their chains with heatbath.
 * Columns ending in `__` are the sampler's own (lp__, stepsize__, …) and are left out unless `--all`. A
 * file with a `chain__` column (what `heatbath sample` writes) holds several chains, split by it.
 *
 * @module
 */
import { minimumDraws } from '../../diagnostics/draws.js'
import { decodeFlags, Switch } from '../codecs.js'
import { exitStatus, type Subcommand, UsageError } from '../command.js'
import { type NumericCsv, parseNumericCsv, readText, shortList } from '../csv.js'
import { summarise, writeSummaries } from '../summary.js'

/** A column's draws, one array per chain. */
export interface Columns {
  readonly names: readonly string[]
  /** draws[k][c]: column k's draws in chain c. */
  readonly draws: readonly (readonly Float64Array[])[]
}

/** The rows of a file grouped into chains: by its `chain__` column when it has one, else all one chain. */
const chainsIn = (csv: NumericCsv, source: string): (readonly Float64Array[])[] => {
  const at = csv.header?.indexOf('chain__') ?? -1
  if (at < 0) return [csv.rows]
  const byChain = new Map<number, Float64Array[]>()
  for (const [r, row] of csv.rows.entries()) {
    if (!Number.isInteger(row[at])) throw new UsageError(`${source}: chain__: expected a whole chain id, got ${row[at]} in draw ${r + 1}`)
    const list = byChain.get(row[at]) ?? []
    list.push(row)
    byChain.set(row[at], list)
  }
  return [...byChain.values()]
}

/**
 * Gathers the chains of CmdStan CSV files (already parsed; `sources` names them) into columns, keeping the
 * sampler's `__` columns only with `all`. The files must share their header, its names distinct, and
 * every chain must have the same number of draws, at least 4 (a `chain__` column's ids whole numbers).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { parseNumericCsv } from '../csv.js'
 * import { columnsOf } from './diagnose.js'
 * const chain = (v: number) => parseNumericCsv(`lp__,theta\n${[1, 2, 3, 4].map((k) => `-7,${v + k}`).join('\n')}`, 'c.csv')
 * const { names, draws } = columnsOf([chain(0), chain(10)], ['a.csv', 'b.csv'], false)
 * assert.deepEqual(names, ['theta'])
 * assert.deepEqual(draws[0].map((c) => Array.from(c)), [[1, 2, 3, 4], [11, 12, 13, 14]])
 */
export const columnsOf = (files: readonly NumericCsv[], sources: readonly string[], all: boolean): Columns => {
  files.forEach((f, i) => {
    if (f.header === null) throw new UsageError(`${sources[i]}: expected a header line of column names, got none (the file is empty or only comments)`)
  })
  const header = files[0].header ?? []
  files.forEach((f, i) => {
    if (f.header === null || f.header.join(',') !== header.join(',')) {
      throw new UsageError(`${sources[i]}: expected the columns of ${sources[0]} (${shortList(header)}), got ${f.header === null ? 'no header' : `(${shortList(f.header)})`}`)
    }
  })
  const twice = header.findIndex((name, k) => header.indexOf(name) !== k)
  if (twice >= 0) throw new UsageError(`${sources[0]}: expected distinct column names, got ${JSON.stringify(header[twice])} as columns ${header.indexOf(header[twice]) + 1} and ${twice + 1}`)
  const chains = files.flatMap((f, i) => chainsIn(f, sources[i]).map((rows) => ({ rows, source: sources[i] })))
  const n = chains[0].rows.length
  for (const c of chains) {
    if (c.rows.length !== n) throw new UsageError(`${c.source}: expected ${n} draws a chain (as ${chains[0].source}), got ${c.rows.length}`)
    if (n < minimumDraws) throw new UsageError(`${c.source}: expected at least ${minimumDraws} draws a chain (two in each half of a split chain), got ${n}`)
  }
  const kept = header.map((name, k) => ({ name, k })).filter(({ name }) => all || !name.endsWith('__'))
  if (kept.length === 0) throw new UsageError(`${sources[0]}: expected a column not ending in __ (or --all for the sampler's own), got only ${header.join(', ')}`)
  return { names: kept.map((c) => c.name), draws: kept.map(({ k }) => chains.map((c) => Float64Array.from(c.rows, (row) => row[k]))) }
}

export const diagnose: Subcommand = {
  name: 'diagnose',
  summary: "R-hat, bulk/tail ESS and MCSE of every column of CmdStan's CSV output (one file per chain)",
  configure: (c) =>
    c
      .argument('<files...>', "CmdStan CSV files, one per chain (or heatbath sample's CSV, split by its chain__ column)")
      .option('--all', "also the sampler's own columns, those ending in __ (lp__, stepsize__, …)")
      .option('--json', 'one JSON line per column instead of a table')
      .addHelpText('after', '\nExample:\n  heatbath diagnose output_1.csv output_2.csv output_3.csv output_4.csv\n'),
  run: async (args, raw, io) => {
    const flags = decodeFlags({ all: Switch, json: Switch }, raw)
    const files = await Promise.all(args.map(async (f) => parseNumericCsv(await readText(f, io.cwd, '<files>'), f, { header: 'required' })))
    const { names, draws } = columnsOf(files, args, flags.all)
    const summaries = names.map((name, k) => summarise(name, draws[k]))
    writeSummaries(io.stdout, summaries, draws[0].length, flags.json)
    names.forEach((name, k) => {
      const bad = draws[k].reduce((n, chain) => n + chain.filter((x) => !Number.isFinite(x)).length, 0)
      if (bad > 0) io.stderr.write(`heatbath diagnose: ${name}: ${bad} of ${draws[k].length * draws[k][0].length} draws are not finite (NaN or ±inf), so its statistics are NaN\n`)
    })
    return exitStatus.ok
  },
}
