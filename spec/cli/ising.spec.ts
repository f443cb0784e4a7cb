/**
 * `heatbath ising` prints observables that agree with exact enumeration at L = 4 within 4 MCSE for each
 * of its samplers, draws the final lattices, scans the Binder cumulant, repeats itself under a seed, and
 * refuses bad flags naming the flag.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import t from 'tap'
import { ising } from '../../src/index.js'
import { inProcess, jsonLines, refusesEach } from './run.js'

const work = () => mkdtempSync(join(tmpdir(), 'heatbath-ising-'))
type Estimate = { value: number; mcse: number }

t.test('at L = 4, J = 0.8, T = 1.9 every observable of every sampler is within 4 MCSE of exact enumeration', async (t) => {
  // Away from J = 1 and T = 1, where a dropped coupling or temperature would go unnoticed.
  const [J, T] = [0.8, 1.9]
  const exact = ising.exactMoments({ size: 4, coupling: J, temperature: T })
  const N = 16
  const truth: Record<string, number> = {
    absMagnetisation: exact.absMagnetisation,
    energy: exact.energy,
    susceptibility: (N * (exact.magnetisation2 - exact.absMagnetisation ** 2)) / T,
    specificHeat: (N * (exact.energy2 - exact.energy ** 2)) / T ** 2,
    binder: 1 - exact.magnetisation4 / (3 * exact.magnetisation2 ** 2),
  }
  const dir = work()
  for (const sampler of ['heat-bath', 'metropolis', 'wolff']) {
    const ran = await inProcess(['ising', '--size', '4', '--coupling', String(J), '--temperature', String(T), '--sampler', sampler, '--chains', '16', '--sweeps', '2000', '--seed', '3', '--json'], { cwd: dir })
    t.equal(ran.status, 0, ran.stderr)
    const [line] = jsonLines(ran.stdout)
    for (const [name, want] of Object.entries(truth)) {
      const got = line[name] as Estimate
      t.ok(Math.abs(got.value - want) < 4 * got.mcse, `${sampler} ${name}: ${got.value.toFixed(4)} vs ${want.toFixed(4)} (MCSE ${got.mcse.toFixed(4)})`)
    }
  }
})

t.test('the picture holds the final lattices of four chains; the same seed gives the same run', async (t) => {
  const dir = work()
  const args = ['ising', '--size', '12', '--temperature', '2.2', '--sweeps', '50', '--sampler', 'wolff', '--out', 'a.png']
  const first = await inProcess(args, { cwd: dir, tty: true })
  t.equal(first.status, 0, first.stderr)
  t.match(first.stdout, /^12 × 12 lattice at T = 2\.2, wolff, 8 chains × 50 cluster steps:\n {2}\|m\| +[\d.]+ ± [\d.]+ \(MCSE\)\n/)
  t.match(first.stdout, /Binder U₄ +-?[\d.]+ ± [\d.]+ \(MCSE\)\nwrote a\.png: the final lattices of 4 chains\n$/)
  const png = PNG.sync.read(readFileSync(join(dir, 'a.png')))
  t.same([png.width, png.height], [4 * 200 + 40, 235])
  const again = await inProcess([...args.slice(0, -1), 'b.png'], { cwd: dir, tty: true })
  t.equal(again.stdout.replace('b.png', 'a.png'), first.stdout)
  t.ok(readFileSync(join(dir, 'a.png')).equals(readFileSync(join(dir, 'b.png'))), 'the same picture')
  const other = await inProcess([...args.slice(0, -1), 'c.png', '--seed', '2'], { cwd: dir, tty: true })
  t.not(other.stdout.replace('c.png', 'a.png'), first.stdout, 'another seed, another run')
})

t.test('--scan prints U₄ at each temperature and size, where the sizes cross, and draws the curves', async (t) => {
  const dir = work()
  const ran = await inProcess(['ising', '--scan', '1.8:2.8:0.5', '--sizes', '4,6', '--sweeps', '200', '--sampler', 'wolff', '--out', 'binder.png'], { cwd: dir })
  t.equal(ran.status, 0, ran.stderr)
  const lines = jsonLines(ran.stdout)
  t.same(lines.slice(0, -1).map((l) => [l.event, l.temperature, l.size]), [1.8, 2.3, 2.8].flatMap((T) => [4, 6].map((L) => ['binder', T, L])))
  const done = lines[lines.length - 1]
  t.equal(done.event, 'done')
  t.equal(done.criticalTemperature, ising.criticalTemperature)
  // Ordered at 1.8 (U₄ near 2/3), disordered at 2.8 where the larger lattice's U₄ is lower: one crossing between.
  const T = (done.crossings as { temperature: number }[])[0].temperature
  t.ok(T > 1.8 && T < 2.8, `a crossing at ${T}`)
  const png = PNG.sync.read(readFileSync(join(dir, 'binder.png')))
  t.same([png.width, png.height], [640, 420])
  const table = await inProcess(['ising', '--scan', '2.2,2.4', '--sizes', '4', '--sweeps', '20', '--out', 'b.png'], { cwd: dir, tty: true })
  t.match(table.stdout, /^Binder U₄ \(heat-bath, 8 chains × 20 steps\):\n +T +L = 4\n 2\.200 +[\d.-]+ ± [\d.]+\n 2\.400 +[\d.-]+ ± [\d.]+\nOnsager: T_c = 2\/ln\(1 \+ √2\) = 2\.2692\n/)
})

t.test('bad flags exit with status 2 and a message naming the flag', async (t) => {
  const cases: [string[], string][] = [
    [['--size', '1'], '--size: ising.lattice: size: expected an integer in [2, 46340], got 1'],
    [['--size', '5'], "--size: expected an even side with --sampler heat-bath (its checkerboard's two colours need even periodic sides; wolff takes any), got 5"],
    [['--scan', '2.2', '--sizes', '4,7', '--sampler', 'metropolis'], "--sizes: expected an even side with --sampler metropolis (its checkerboard's two colours need even periodic sides; wolff takes any), got 7"],
    [['--size', '2000'], '--size: expected a size whose spins of the chains (--chains × L²) are at most 16,777,216 values, got 2000 (32,000,000 values)'],
    [['--sweeps', '1e8'], '--sweeps: expected a size whose measurements (--chains × --sweeps) are at most 16,777,216 values, got 100000000 (800,000,000 values)'],
    [['--size', 'big'], '--size: expected an integer ≥ 1, got "big"'],
    [['--sampler', 'glauber'], '--sampler: expected one of "heat-bath", "metropolis", "wolff", got "glauber"'],
    [['--temperature', '-1'], '--temperature: expected a positive number, got "-1"'],
    [['--chains', '1'], '--chains: expected an integer ≥ 2 (the errors of χ, C and U₄ are a jackknife over chains), got 1'],
    [['--sweeps', '3'], '--sweeps: expected an integer ≥ 4 (the series are split to estimate their errors), got 3'],
    [['--scan', '2.6:2.0:0.1'], '--scan: expected a list a,b,… or a range from:to:step with from ≤ to and step > 0, got "2.6:2.0:0.1"'],
    [['--scan', '2.0:2.6:0.1', '--sizes', '8,1'], '--sizes: ising.lattice: size: expected an integer in [2, 46340], got 1'],
    [['--scan', '0,2.2'], '--scan: expected positive temperatures, got "0,2.2"'],
  ]
  const dir = work()
  await refusesEach(t, 'ising', cases, dir)
  const odd = await inProcess(['ising', '--size', '5', '--sampler', 'wolff', '--sweeps', '20', '--out', 'odd.png'], { cwd: dir })
  t.equal(odd.status, 0, `an odd side with wolff runs: ${odd.stderr}`)
})
