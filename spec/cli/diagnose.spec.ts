/**
 * `heatbath diagnose` reads CmdStan's CSV files as CmdStan writes them and prints, for every column, the
 * diagnostics API's own numbers: the test parses the files independently and compares bit for bit.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { diagnostics } from '../../src/index.js'
import { heatbath, inProcess, jsonLines, root } from './run.js'

const fixtures = join(root, 'spec', 'fixtures')
const bern = [1, 2, 3, 4].map((c) => join(fixtures, 'stan-bern', `bern${c}.csv`))
const blocker = [1, 2].map((c) => join(fixtures, 'arviz-reference', `blocker.${c}.csv`))

/** A CmdStan file read the plain way: comments out, the header, then the rows by column. */
const columnsOf = (file: string): Map<string, number[]> => {
  const [header, ...rows] = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split(','))
  return new Map(header.map((name, k) => [name, rows.map((r) => Number(r[k]))]))
}

/** A number as JSON carries it: non-finite ones as null. */
const asJson = (x: number): number | null => (Number.isFinite(x) ? x : null)

const expected = (files: readonly string[], name: string) => {
  const draws = files.map((f) => columnsOf(f).get(name)!)
  const summary = (f: (d: number[][]) => number) => {
    try {
      return asJson(f(draws))
    } catch {
      return null // a column the API refuses (a non-finite draw) is reported without diagnostics
    }
  }
  const quantile = (p: number) => (d: number[][]) => diagnostics.quantile(d.flat(), p)
  return {
    name,
    rhat: summary(diagnostics.rhat),
    essBulk: summary(diagnostics.essBulk),
    essTail: summary(diagnostics.essTail),
    mcseMean: summary(diagnostics.mcseMean),
    q5: summary(quantile(0.05)),
    q95: summary(quantile(0.95)),
  }
}

const checkAgainstApi = (t: Test, files: readonly string[], lines: Record<string, unknown>[], names: readonly string[]) => {
  t.same(lines.map((l) => l.name), names, 'one line a column, in file order')
  for (const line of lines) {
    const want = expected(files, line.name as string)
    t.same({ name: line.name, rhat: line.rhat, essBulk: line.essBulk, essTail: line.essTail, mcseMean: line.mcseMean, q5: line.q5, q95: line.q95 }, want, `${line.name as string}: the API's numbers, bit for bit`)
  }
}

t.test("diagnose on CmdStan's four chains of the Bernoulli example gives the API's numbers, bit for bit", async (t) => {
  const ran = await heatbath(['diagnose', '--json', ...bern])
  t.equal(ran.status, 0, ran.stderr)
  checkAgainstApi(t, bern, jsonLines(ran.stdout), ['theta'])
})

t.test("with --all the sampler's columns too, constant ones (stepsize__ within a chain) without R-hat or ESS", async (t) => {
  const ran = await inProcess(['diagnose', '--all', '--json', ...blocker])
  t.equal(ran.status, 0, ran.stderr)
  const names = [...columnsOf(blocker[0]).keys()]
  checkAgainstApi(t, blocker, jsonLines(ran.stdout), names)
  // stepsize__ is one value in each chain and another in the other: stuck chains, R-hat = ∞ (null in JSON).
  t.equal(jsonLines(ran.stdout).find((l) => l.name === 'stepsize__')?.rhat, null)
})

t.test('the table for people: a row per column, and what R-hat and ESS should be', async (t) => {
  const ran = await inProcess(['diagnose', ...bern])
  t.equal(ran.status, 0)
  t.match(ran.stdout, /^column +mean +sd +q5 +q50 +q95 +mcse_mean +rhat +ess_bulk +ess_tail\ntheta +0\.2513 +0\.1215 +0\.07717 +0\.2375 +0\.4739 +0\.003234 +1\.007 +1408 +1292\n/)
  t.match(ran.stdout, /4 chains; converged chains have rhat < 1\.01, and ess_bulk and ess_tail above 400/)
})

t.test('bad files are refused with status 2, naming the file and what is wrong', async (t) => {
  const cases: [string[], string][] = [
    [['no/such.csv'], 'heatbath diagnose: <files>: expected a readable file, got "no/such.csv" (ENOENT)\n'],
    [['spec/fixtures/stan-bern/bern1.csv', 'spec/fixtures/arviz-reference/blocker.1.csv'], 'heatbath diagnose: spec/fixtures/arviz-reference/blocker.1.csv: expected the columns of spec/fixtures/stan-bern/bern1.csv (lp__, accept_stat__, stepsize__, treedepth__, n_leapfrog__, … (8 in all)), got (lp__, accept_stat__, stepsize__, treedepth__, d, … (52 in all))\n'],
  ]
  for (const [args, message] of cases) {
    const ran = await inProcess(['diagnose', ...args])
    t.equal(ran.status, 2, args.join(' '))
    t.equal(ran.stderr, message)
    t.equal(ran.stdout, '', 'nothing printed but the error')
  }
})
