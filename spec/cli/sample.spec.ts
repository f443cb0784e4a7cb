/**
 * `heatbath sample` writes draws whose moments are the target's, within the Monte Carlo standard error,
 * and a table of the diagnostics API's numbers; `heatbath diagnose` reads its CSV back to the same numbers.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { diagnostics, energy, io, sampler } from '../../src/index.js'
import { initialStates } from '../../src/cli/commands/sample.js'
import { kernelOf } from '../../src/cli/config.js'
import { chainsOf, heatbath, inProcess, jsonLines } from './run.js'

// A correlated Gaussian away from the special cases: mean ≠ 0, precision ≠ I, T ≠ 1, D = 2.
const mean = [1, -2]
const precision = [[2, 0.5], [0.5, 1]]
const T = 1.5
const det = precision[0][0] * precision[1][1] - precision[0][1] * precision[1][0]
// The covariance of exp(−E/T) with E = ½(x − μ)ᵀP(x − μ): T·P⁻¹.
const covariance = [
  [(T * precision[1][1]) / det, (-T * precision[0][1]) / det],
  [(-T * precision[1][0]) / det, (T * precision[0][0]) / det],
]

t.test('sample writes MALA draws of a Gaussian at T = 1.5 whose moments are within 4 MCSE of the exact ones', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-sample-'))
  const options = JSON.stringify({ mean, precision })
  const args = ['sample', '--energy', 'gaussian', '--options', options, '--sampler', 'mala', '--step-size', '0.3', '--temperature', String(T), '--chains', '4', '--warmup', '500', '--steps', '2000', '--seed', '3', '--out', 'draws.csv', '--json']
  const ran = await heatbath(args, { cwd: dir })
  t.equal(ran.status, 0, ran.stderr)
  const csv = readFileSync(join(dir, 'draws.csv'), 'utf8')
  t.equal(csv.split('\n')[0], 'chain__,draw__,energy__,x0,x1')
  const chains = chainsOf(csv)
  t.same(chains.map((c) => c.length), [2000, 2000, 2000, 2000], '2000 draws a chain after the warmup')

  // Each moment is the mean of a function of the draws; its MCSE is that of the function's draws.
  const moments: [string, (x: number[]) => number, number][] = [
    ['E[x₀]', (x) => x[0], mean[0]],
    ['E[x₁]', (x) => x[1], mean[1]],
    ['E[(x₀ − μ₀)²]', (x) => (x[0] - mean[0]) ** 2, covariance[0][0]],
    ['E[(x₁ − μ₁)²]', (x) => (x[1] - mean[1]) ** 2, covariance[1][1]],
    ['E[(x₀ − μ₀)(x₁ − μ₁)]', (x) => (x[0] - mean[0]) * (x[1] - mean[1]), covariance[0][1]],
  ]
  for (const [name, f, truth] of moments) {
    const draws = chains.map((c) => c.map(f))
    const estimate = draws.flat().reduce((s, v) => s + v, 0) / draws.flat().length
    const mcse = diagnostics.mcseMean(draws)
    t.ok(Math.abs(estimate - truth) < 4 * mcse, `${name}: ${estimate.toFixed(4)} vs ${truth.toFixed(4)} (MCSE ${mcse.toFixed(4)})`)
  }

  // The printed table is the API's, on the draws of the file (written to round-trip exactly).
  const table = jsonLines(ran.stdout)
  for (const [d, line] of table.entries()) {
    const x = chains.map((c) => c.map((row) => row[d]))
    const q = (p: number) => diagnostics.quantile(x.flat(), p)
    const api = { mcseMean: diagnostics.mcseMean(x), rhat: diagnostics.rhat(x), essBulk: diagnostics.essBulk(x), essTail: diagnostics.essTail(x) }
    t.same(line, { name: `x${d}`, mean: line.mean, sd: line.sd, q5: q(0.05), q50: q(0.5), q95: q(0.95), ...api }, `x${d}: the API's numbers`)
  }
  // diagnose reads the file back, split into chains by its chain__ column, to the same numbers.
  const again = await inProcess(['diagnose', '--json', 'draws.csv'], { cwd: dir })
  t.same(jsonLines(again.stdout), table)
})

t.test('without --out the draws go to stdout and the table to stderr, so the CSV can be piped', async (t) => {
  const ran = await inProcess(['sample', '--energy', 'doubleWell', '--options', '{"dim": 2}', '--step-size', '0.1', '--warmup', '10', '--steps', '8', '--chains', '2'])
  t.equal(ran.status, 0, ran.stderr)
  t.equal(ran.stdout.split('\n')[0], 'chain__,draw__,energy__,x0,x1')
  t.equal(ran.stdout.trim().split('\n').length, 1 + 2 * 8)
  t.match(ran.stderr, /^column +mean/)
})

t.test('a saved model samples with its saved parameters, not its initial ones', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-sample-'))
  // E = ½(x − θ)² saved with θ = 3 (its initialiser says 0): the draws are N(3, 1).
  const model = energy.quadratic({ center: [0] })
  await io.save(join(dir, 'model.safetensors'), model, { theta: Float64Array.of(3) })
  const ran = await inProcess(['sample', '--model', 'model.safetensors', '--step-size', '0.5', '--warmup', '200', '--steps', '1000', '--out', 'draws.csv'], { cwd: dir })
  t.equal(ran.status, 0, ran.stderr)
  const x = chainsOf(readFileSync(join(dir, 'draws.csv'), 'utf8')).map((c) => c.map((row) => row[0]))
  const estimate = x.flat().reduce((s, v) => s + v, 0) / x.flat().length
  t.ok(Math.abs(estimate - 3) < 4 * diagnostics.mcseMean(x), `E[x] = ${estimate} vs 3`)
})

t.test('hmc and sghmc take their own flags, and leave only their files', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-sample-'))
  const hmc = await inProcess(['sample', '--energy', 'quadratic', '--options', '{"center": [0.5]}', '--sampler', 'hmc', '--step-size', '0.2', '--leapfrog-steps', '5', '--warmup', '0', '--steps', '8', '--out', 'hmc.csv'], { cwd: dir })
  t.equal(hmc.status, 0, hmc.stderr)
  const sghmc = await inProcess(['sample', '--energy', 'quadratic', '--options', '{"center": [0.5]}', '--sampler', 'sghmc', '--step-size', '0.1', '--friction', '1', '--warmup', '0', '--steps', '8', '--out', 'sghmc.csv', '--init-std', '0'], { cwd: dir })
  t.equal(sghmc.status, 0, sghmc.stderr)
  t.same(readdirSync(dir).sort(), ['hmc.csv', 'sghmc.csv'], 'the two files, and no temporary file left')
})

t.test("sample prints the run's warnings: MALA with a step far too large is warned about its acceptance", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-sample-'))
  const args = ['sample', '--energy', 'gaussian', '--options', JSON.stringify({ mean, precision }), '--sampler', 'mala', '--step-size', '8', '--chains', '4', '--steps', '40', '--seed', '3', '--out', 'draws.csv']
  const ran = await heatbath(args, { cwd: dir })
  t.equal(ran.status, 0, ran.stderr)
  t.match(ran.stderr, /^warning: the acceptance rate [\d.e-]+ is outside \[0\.1, 0\.95\]: the step size is too large \(make it smaller\)$/m)
})

// The draws formatted as the command formatted them before it streamed them: the whole CSV as one string.
const wholeCsv = (positions: readonly Float64Array[][], energies: readonly Float64Array[], D: number): string => {
  const lines = [['chain__', 'draw__', 'energy__', ...Array.from({ length: D }, (_v, d) => `x${d}`)].join(',')]
  positions.forEach((chain, c) => chain.forEach((x, k) => lines.push([c + 1, k + 1, energies[c][k], ...x].join(','))))
  return `${lines.join('\n')}\n`
}

t.test('the streamed CSV, to a file and to stdout, has the bytes of the whole string formatted at once', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-sample-'))
  // 3 chains × 700 draws of 6 coordinates, kept every 2nd step: about 290 kB, several chunks of 64 Ki characters.
  const [chains, warmup, steps, thin, D, seed] = [3, 5, 1400, 2, 6, 7]
  const flags = ['--energy', 'doubleWell', '--options', `{"dim": ${D}}`, '--step-size', '0.2', '--chains', `${chains}`, '--warmup', `${warmup}`, '--steps', `${steps}`, '--thin', `${thin}`, '--seed', `${seed}`, '--backend', 'reference']
  const toFile = await inProcess(['sample', ...flags, '--out', 'draws.csv', '--json'], { cwd: dir })
  t.equal(toFile.status, 0, toFile.stderr)
  const toStdout = await inProcess(['sample', ...flags], { cwd: dir })
  t.equal(toStdout.status, 0, toStdout.stderr)

  // The same run through the library: the command's kernel, starting points and options.
  const positions: Float64Array[][] = Array.from({ length: chains }, () => [])
  const energies: number[][] = Array.from({ length: chains }, () => [])
  const e = energy.doubleWell({ dim: D })
  const init = initialStates(e.domain, seed, chains * D, 1)
  const run = sampler.checkRun(e, kernelOf({ kind: 'mala', stepSize: 0.2 }, 'spec'), { chains, steps: warmup + steps, thin, seed, init, backend: 'reference' })
  await sampler.execute(run, {
    onSnapshot: (s) => {
      if (s.step <= warmup) return
      for (let c = 0; c < chains; c++) {
        positions[c].push(s.positions.slice(c * D, (c + 1) * D))
        energies[c].push(s.energies[c])
      }
    },
  })
  const whole = wholeCsv(positions, energies.map((x) => Float64Array.from(x)), D)
  t.ok(whole.length > 4 * 65536, `${whole.length} characters, more than four chunks`)
  t.ok(readFileSync(join(dir, 'draws.csv')).equals(Buffer.from(whole)), 'the file, byte for byte')
  t.ok(toStdout.stdout === whole, 'stdout, character for character')
  t.same(readdirSync(dir), ['draws.csv'], 'no temporary file left')
})
