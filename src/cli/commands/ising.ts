/**
 * `heatbath ising`: the 2-D Ising model on periodic L × L lattices. At one temperature it prints |m|, the
 * energy per spin, the susceptibility, the specific heat and Binder's U₄ with their MCSEs and draws the
 * chains' final lattices; with `--scan` it prints U₄ against the temperature for each of `--sizes`, where
 * the sizes' curves cross (near T_c = 2/ln(1 + √2) ≈ 2.269), and draws the curves.
 *
 * @module
 */
import * as ising from '../../diagnostics/ising.js'
import * as sampler from '../../sampler/index.js'
import * as viz from '../../viz/index.js'
import { numberList, withinMemory, writePicture } from '../binary.js'
import { decodeFlags, fromText, NonNegativeInteger, oneOf, optional, Positive, PositiveInteger, Seed, Switch, Text, Threads } from '../codecs.js'
import { exitStatus, input, type Io, jsonLine, type Subcommand, UsageError } from '../command.js'
import { type Observables, observables } from '../ising-observables.js'
import { outputPath } from '../model.js'
import { jsonMode } from '../progress.js'

const samplers = ['heat-bath', 'metropolis', 'wolff'] as const

const kernelOf = (name: (typeof samplers)[number], T: number): sampler.Kernel =>
  name === 'wolff' ? sampler.wolff({ temperature: T }) : (name === 'heat-bath' ? sampler.heatBath : sampler.metropolisFlips)({ temperature: T, order: 'checkerboard' })

const flagCodecs = {
  size: fromText(PositiveInteger),
  temperature: fromText(Positive),
  sampler: oneOf(samplers),
  sweeps: fromText(PositiveInteger),
  burnIn: optional(fromText(NonNegativeInteger)),
  chains: fromText(PositiveInteger),
  coupling: fromText(Positive),
  scan: optional(Text),
  sizes: Text,
  seed: fromText(Seed),
  threads: fromText(Threads),
  out: Text,
  json: Switch,
}
type Flags = ReturnType<typeof decodeFlags<typeof flagCodecs>>

/** The lattice of side L, its size checked as the flag's (even for the checkerboard's two colours). */
const latticeOf = (L: number, f: Flags, flag: string) => {
  withinMemory(f.chains * L * L, L, flag, 'spins of the chains (--chains × L²)')
  const e = input(flag, () => ising.lattice({ size: L, coupling: f.coupling }))
  if (L % 2 === 1 && f.sampler !== 'wolff') throw new UsageError(`${flag}: expected an even side with --sampler ${f.sampler} (its checkerboard's two colours need even periodic sides; wolff takes any), got ${L}`)
  return e
}

const run = (f: Flags, L: number, T: number, flag: string) =>
  ising.measure(latticeOf(L, f, flag), kernelOf(f.sampler, T), { chains: f.chains, sweeps: f.sweeps, burnIn: f.burnIn ?? Math.ceil(f.sweeps / 10), temperature: T, seed: f.seed, threads: f.threads })

const checkRun = (f: Flags): void => {
  if (f.sweeps < 4) throw new UsageError(`--sweeps: expected an integer ≥ 4 (the series are split to estimate their errors), got ${f.sweeps}`)
  if (f.chains < 2) throw new UsageError(`--chains: expected an integer ≥ 2 (the errors of χ, C and U₄ are a jackknife over chains), got ${f.chains}`)
  withinMemory(f.chains * f.sweeps, f.sweeps, '--sweeps', 'measurements (--chains × --sweeps)')
}

const names: readonly [keyof Observables, string][] = [['absMagnetisation', '|m|'], ['energy', 'energy per spin'], ['susceptibility', 'susceptibility χ'], ['specificHeat', 'specific heat C'], ['binder', 'Binder U₄']]

const oneTemperature = async (f: Flags, io: Io, json: boolean): Promise<number> => {
  const out = await outputPath(f.out, io.cwd, '--out')
  const series = await run(f, f.size, f.temperature, '--size')
  const o = observables(series)
  const N = f.size * f.size
  const shown = Math.min(f.chains, 4)
  const lattices = Array.from({ length: shown }, (_v, c) => (series.final as Float64Array).subarray(c * N, (c + 1) * N))
  const title = `heatbath ising: ${f.size} × ${f.size} at T = ${f.temperature} (${f.sampler}), final lattices`
  // 200 pixels a lattice, more for a lattice of more cells than that: every cell gets a pixel.
  const tile = Math.max(200, f.size + 25)
  await writePicture(out, viz.patterns(lattices, { width: f.size, columns: shown, title }), { width: tile * shown + 40, height: tile + 35 })
  if (json) {
    jsonLine(io.stdout, { event: 'observables', size: f.size, temperature: f.temperature, sampler: f.sampler, chains: f.chains, sweeps: f.sweeps, ...o, out: f.out })
    return exitStatus.ok
  }
  io.stdout.write(`${f.size} × ${f.size} lattice at T = ${f.temperature}, ${f.sampler}, ${f.chains} chains × ${f.sweeps} ${f.sampler === 'wolff' ? 'cluster steps' : 'sweeps'}:\n`)
  for (const [k, name] of names) io.stdout.write(`  ${name.padEnd(17)} ${o[k].value.toFixed(4).padStart(9)} ± ${o[k].mcse.toFixed(4)} (MCSE)\n`)
  io.stdout.write(`wrote ${f.out}: the final lattices of ${shown} chains\n`)
  return exitStatus.ok
}

/**
 * Where U₄ of the larger lattice overtakes the smaller one's as T falls: the first sign change of their
 * difference, interpolated linearly; NaN when the scan holds none.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { crossing } from './ising.js'
 * assert.equal(crossing([2.2, 2.3], [0.6, 0.4], [0.64, 0.36]), 2.25)
 * assert.ok(Number.isNaN(crossing([2.2, 2.3], [0.6, 0.4], [0.5, 0.3])))
 */
export const crossing = (temperatures: readonly number[], small: readonly number[], large: readonly number[]): number => {
  const gap = large.map((u, k) => u - small[k])
  const k = gap.findIndex((g, i) => i > 0 && gap[i - 1] > 0 && g <= 0)
  return k > 0 ? temperatures[k - 1] + ((temperatures[k] - temperatures[k - 1]) * gap[k - 1]) / (gap[k - 1] - gap[k]) : NaN
}

const scan = async (f: Flags, io: Io, json: boolean): Promise<number> => {
  const out = await outputPath(f.out, io.cwd, '--out')
  const temperatures = numberList(f.scan as string, '--scan')
  if (temperatures.some((T) => !(T > 0))) throw new UsageError(`--scan: expected positive temperatures, got ${JSON.stringify(f.scan)}`)
  const sizes = numberList(f.sizes, '--sizes')
  sizes.forEach((L) => latticeOf(L, f, '--sizes'))
  const binder = sizes.map(() => [] as number[])
  if (!json) io.stdout.write(`Binder U₄ (${f.sampler}, ${f.chains} chains × ${f.sweeps} steps):\n     T  ${sizes.map((L) => `L = ${L}`.padStart(17)).join('')}\n`)
  for (const T of temperatures) {
    const row: ising.Estimate[] = []
    for (const [s, L] of sizes.entries()) {
      const u = observables(await run(f, L, T, '--sizes')).binder
      binder[s].push(u.value)
      row.push(u)
      if (json) jsonLine(io.stdout, { event: 'binder', size: L, temperature: T, binder: u })
    }
    if (!json) io.stdout.write(`${T.toFixed(3).padStart(6)}  ${row.map((u) => `${u.value.toFixed(4)} ± ${u.mcse.toFixed(4)}`.padStart(17)).join('')}\n`)
  }
  const crossings = sizes.slice(1).map((L, s) => ({ sizes: [sizes[s], L], temperature: crossing(temperatures, binder[s], binder[s + 1]) }))
  const series = sizes.map((L, s) => ({ name: `L = ${L}`, x: temperatures, y: binder[s] }))
  await writePicture(out, viz.lines(series, { title: `Binder's U₄ against T (T_c = ${ising.criticalTemperature.toFixed(4)})`, xLabel: 'temperature T', yLabel: 'U₄' }), { width: 640, height: 420 })
  if (json) jsonLine(io.stdout, { event: 'done', crossings, criticalTemperature: ising.criticalTemperature, out: f.out })
  else {
    for (const c of crossings) io.stdout.write(`L = ${c.sizes[0]} and ${c.sizes[1]} cross at T = ${Number.isNaN(c.temperature) ? 'nowhere in the scan' : c.temperature.toFixed(4)}\n`)
    io.stdout.write(`Onsager: T_c = 2/ln(1 + √2) = ${ising.criticalTemperature.toFixed(4)}\nwrote ${f.out}: U₄ against T for each size\n`)
  }
  return exitStatus.ok
}

export const isingCommand: Subcommand = {
  name: 'ising',
  summary: 'samples the 2-D Ising model: |m|, energy, χ, C and Binder U₄ with MCSEs, a picture of the lattices, or a Binder scan',
  configure: (c) =>
    c
      .option('--size <L>', 'the side of the periodic L × L lattice (L ≥ 2)', '16')
      .option('--temperature <T>', 'the temperature (T_c ≈ 2.269)', '2.5')
      .option('--sampler <kind>', `the kernel: ${samplers.join(', ')} (heat bath and Metropolis sweep the checkerboard)`, 'heat-bath')
      .option('--sweeps <n>', 'steps measured (a sweep of the lattice; for wolff, a cluster flip)', '1000')
      .option('--burn-in <n>', 'steps run before measuring (default a tenth of --sweeps)')
      .option('--chains <n>', 'independent lattices (at least 2: the jackknife of χ, C and U₄ is over chains)', '8')
      .option('--coupling <J>', 'the coupling J > 0 (ferromagnetic)', '1')
      .option('--scan <range>', 'scan these temperatures instead: from:to:step or a list a,b,…')
      .option('--sizes <list>', 'the lattice sides of --scan', '8,16')
      .option('--seed <n>', 'the seed of the chains', '1')
      .option('--threads <n>', 'threads of the native sampler', '1')
      .option('--out <file>', 'the picture: the final lattices, or the Binder curves with --scan', 'ising.png')
      .option('--json', 'results as JSON lines (the default when stdout is not a terminal)')
      .addHelpText('after', '\nExample:\n  heatbath ising --size 32 --temperature 2.269 --sampler wolff\n  heatbath ising --scan 2.1:2.4:0.05 --sizes 8,16 --sampler wolff --out binder.png\n'),
  run: async (_args, raw, io) => {
    const f = decodeFlags(flagCodecs, raw)
    checkRun(f)
    const json = jsonMode(io, f.json)
    return f.scan === undefined ? oneTemperature(f, io, json) : scan(f, io, json)
  },
}
