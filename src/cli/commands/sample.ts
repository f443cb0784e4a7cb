/**
 * `heatbath sample`: draws from a saved model or a catalogue energy with a sampler kernel, written as CSV
 * (one row a draw: `chain__`, `draw__`, `energy__`, then the coordinates), and the diagnostics table of
 * every coordinate. The CSV is what `heatbath diagnose` reads back, with the same numbers.
 *
 * @module
 */
import * as rng from '../../rng/index.js'
import * as ir from '../../ir/index.js'
import { writeAtomically } from '../../io/index.js'
import * as sampler from '../../sampler/index.js'
import { unitValues, type Domain } from '../../energy/structure.js'
import { minimumDraws } from '../../diagnostics/draws.js'
import { decodeFlags, flagName, fromText, NonNegative, NonNegativeInteger, oneOf, optional, Positive, PositiveInteger, Seed, Switch, Text, Threads } from '../codecs.js'
import { exitStatus, input, type Subcommand, UsageError, cutShort, writeChunks } from '../command.js'
import { kernelOf, type Sampler, samplerNames } from '../config.js'
import { modelFlags, modelOf, outputPath, withModelFlags } from '../model.js'
import { summarise, writeSummaries } from '../summary.js'
import { withinMemory } from '../binary.js'

/** The flags each sampler takes beyond --sampler, required first. */
const samplerFlags = {
  ula: { required: ['stepSize'], optional: ['temperature'] },
  mala: { required: ['stepSize'], optional: ['temperature'] },
  hmc: { required: ['stepSize', 'leapfrogSteps'], optional: ['temperature'] },
  sghmc: { required: ['stepSize', 'friction'], optional: ['temperature'] },
  heatBath: { required: [], optional: ['temperature'] },
} as const
const kernelFlags = ['stepSize', 'temperature', 'leapfrogSteps', 'friction'] as const

/**
 * The sampler the flags describe: `--sampler` and the flags of its options, each allowed only with a
 * sampler that takes it.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { samplerOf } from './sample.js'
 * assert.deepEqual(samplerOf({ sampler: 'hmc', stepSize: 0.2, leapfrogSteps: 10 }), { kind: 'hmc', stepSize: 0.2, leapfrogSteps: 10 })
 * assert.throws(() => samplerOf({ sampler: 'mala', stepSize: 0.2, friction: 1 }), { message: '--friction: expected no value with --sampler mala (it takes --step-size, --temperature), got 1' })
 * assert.throws(() => samplerOf({ sampler: 'hmc', stepSize: 0.2 }), { message: '--leapfrog-steps: expected a value with --sampler hmc, got nothing' })
 */
export const samplerOf = (f: { readonly sampler: (typeof samplerNames)[number] } & { readonly [K in (typeof kernelFlags)[number]]?: number }): Sampler => {
  const takes = samplerFlags[f.sampler]
  const allowed: readonly string[] = [...takes.required, ...takes.optional]
  for (const k of kernelFlags) {
    if (f[k] !== undefined && !allowed.includes(k)) throw new UsageError(`${flagName(k)}: expected no value with --sampler ${f.sampler} (it takes ${allowed.map(flagName).join(', ')}), got ${f[k]}`)
  }
  for (const k of takes.required) if (f[k] === undefined) throw new UsageError(`${flagName(k)}: expected a value with --sampler ${f.sampler}, got nothing`)
  return { kind: f.sampler, ...Object.fromEntries(allowed.filter((k) => f[k as keyof typeof f] !== undefined).map((k) => [k, f[k as keyof typeof f]])) } as Sampler
}

// Fresh chains start from normals of this stream under the run's seed: the sampler's streams are the chain indices.
const initStream = 2 ** 40

/**
 * Where chains start: s·N(0, I) for real coordinates, each unit low or high with probability ½ for binary
 * units and spins (from uniforms of the same stream).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { initialStates } from './sample.js'
 * assert.ok(initialStates('spins', 1, 8, 1).every((s) => s === 1 || s === -1))
 */
export const initialStates = (domain: Domain, seed: number, n: number, std: number): Float64Array => {
  if (domain === 'real' || domain === 'mixed') return rng.normals(seed, initStream, 0, n).map((z) => std * z)
  const [low, high] = unitValues(domain)
  return rng.uniforms(seed, initStream, 0, n).map((u) => (u < 0.5 ? low : high))
}

// Rows are gathered into chunks of about this many characters: few writes, and little held at once.
const chunkLength = 1 << 16

/**
 * The draws of a run as CSV: `chain__,draw__,energy__,x0,…`, numbers written to round-trip exactly,
 * made chunk by chunk (whole rows, about 64 Ki characters a chunk) as they are written out.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { drawsCsv } from './sample.js'
 * const csv = [...drawsCsv([[Float64Array.of(0.5, -1)], [Float64Array.of(2, 0.1)]], [Float64Array.of(1.25), Float64Array.of(2.005)], 2)]
 * assert.equal(csv.join(''), 'chain__,draw__,energy__,x0,x1\n1,1,1.25,0.5,-1\n2,1,2.005,2,0.1\n')
 */
export function* drawsCsv(positions: readonly Float64Array[][], energies: readonly Float64Array[], D: number): Generator<string> {
  let chunk = `${['chain__', 'draw__', 'energy__', ...Array.from({ length: D }, (_v, d) => `x${d}`)].join(',')}\n`
  for (const [c, chain] of positions.entries()) {
    for (const [k, x] of chain.entries()) {
      chunk += `${[c + 1, k + 1, energies[c][k], ...x].join(',')}\n`
      if (chunk.length >= chunkLength) {
        yield chunk
        chunk = ''
      }
    }
  }
  yield chunk
}

const flagCodecs = {
  ...modelFlags,
  sampler: oneOf(samplerNames),
  stepSize: optional(fromText(Positive)),
  temperature: optional(fromText(Positive)),
  leapfrogSteps: optional(fromText(PositiveInteger)),
  friction: optional(fromText(Positive)),
  chains: fromText(PositiveInteger),
  warmup: fromText(NonNegativeInteger),
  steps: fromText(PositiveInteger),
  thin: fromText(PositiveInteger),
  seed: fromText(Seed),
  initStd: fromText(NonNegative),
  out: optional(Text),
  backend: oneOf(['auto', 'native', 'reference'] as const),
  dtype: oneOf(['float64', 'float32'] as const),
  threads: fromText(Threads),
  json: Switch,
}

export const sample: Subcommand = {
  name: 'sample',
  summary: 'draws from a saved model or a catalogue energy as CSV, with R-hat, ESS and MCSE of every coordinate',
  configure: (c) =>
    withModelFlags(c)
      .option('--sampler <kind>', `the kernel: ${samplerNames.join(', ')}`, 'mala')
      .option('--step-size <h>', 'its step size')
      .option('--temperature <T>', 'sample exp(−E/T) (default 1)')
      .option('--leapfrog-steps <L>', 'leapfrog steps of hmc')
      .option('--friction <γ>', 'friction of sghmc')
      .option('--chains <n>', 'independent chains', '4')
      .option('--warmup <n>', 'steps run and discarded first', '1000')
      .option('--steps <n>', 'steps after the warmup', '1000')
      .option('--thin <k>', 'keep every k-th step', '1')
      .option('--seed <n>', 'the seed of every random draw', '1')
      .option('--init-std <s>', 'chains start at s·N(0, I), drawn from the seed (0: at the origin); binary units and spins start at random values', '1')
      .option('--out <file>', 'write the draws as CSV here (default: to stdout, the table to stderr)')
      .option('--backend <name>', 'auto, native or reference', 'auto')
      .option('--dtype <name>', 'float64 or float32 (native only)', 'float64')
      .option('--threads <n>', 'threads of the native executor', '1')
      .option('--json', 'the diagnostics as JSON lines instead of a table')
      .addHelpText('after', "\nExample:\n  heatbath sample --energy doubleWell --options '{\"dim\": 2}' --sampler mala --step-size 0.1 --temperature 0.8 --out draws.csv\n"),
  run: async (_args, raw, io) => {
    const f = decodeFlags(flagCodecs, raw)
    if (Math.floor(f.steps / f.thin) < minimumDraws) throw new UsageError(`--steps: expected at least ${minimumDraws} draws a chain after thinning by ${f.thin} (the diagnostics split each chain in two halves), got ${f.steps}`)
    const model = await modelOf(f, io.cwd)
    const kernel = kernelOf(samplerOf(f), '--sampler')
    const out = f.out === undefined ? undefined : await outputPath(f.out, io.cwd, '--out')
    const D = ir.size(model.energy.shape)
    // Every kept draw is held (its coordinates and energy) until the CSV and the table are written.
    const kept = f.chains * Math.floor(f.steps / f.thin)
    withinMemory(kept * (D + 1), kept, '--chains, --steps, --thin', `draws kept (chains × steps / thin, ${D + 1} numbers each)`)
    const init = initialStates(model.energy.domain, f.seed, f.chains * D, f.initStd)
    const options = { chains: f.chains, steps: f.warmup + f.steps, thin: f.thin, seed: f.seed, init, backend: f.backend, dtype: f.dtype, threads: f.threads, ...(model.params === undefined ? {} : { params: model.params }) }
    const run = input('', () => sampler.checkRun(model.energy, kernel, options))
    const positions: Float64Array[][] = Array.from({ length: f.chains }, () => [])
    const energies: number[][] = Array.from({ length: f.chains }, () => [])
    const result = await sampler.execute(run, {
      signal: io.signal,
      onSnapshot: (s) => {
        if (s.step <= f.warmup) return
        for (let c = 0; c < f.chains; c++) {
          positions[c].push(s.positions.slice(c * D, (c + 1) * D))
          energies[c].push(s.energies[c])
        }
      },
    })
    const csv = drawsCsv(positions, energies.map((e) => Float64Array.from(e)), D)
    if (out === undefined) await writeChunks(io.stdout, csv, 'stdout')
    else await writeAtomically(out, csv).catch((e: unknown) => Promise.reject(cutShort('--out', e)))
    const summaries = Array.from({ length: D }, (_v, d) => summarise(`x${d}`, positions.map((chain) => Float64Array.from(chain, (x) => x[d]))))
    writeSummaries(out === undefined ? io.stderr : io.stdout, summaries, f.chains, f.json)
    for (const w of result.warnings) io.stderr.write(`warning: ${w.message}\n`)
    return exitStatus.ok
  },
}
