/**
 * `heatbath bench`: a short benchmark of this machine, on the demo's MLP energy 2→128→128→1 (SiLU):
 * the rate of ∇ₓE evaluations (the kernel every gradient-based sampler calls) and the rate of ULA chain
 * steps in the native sampler loop, both in float32. The two are measured in alternating turns over
 * several rounds and their medians reported, since other processes share the cores. Without the addon it
 * measures the reference executor on a smaller batch, and says so.
 *
 * @module
 */
import { type Backend, nativeAddon, runTape } from '../../backend/index.js'
import * as energy from '../../energy/index.js'
import * as rng from '../../rng/index.js'
import * as sampler from '../../sampler/index.js'
import { decodeFlags, fromText, Positive, PositiveInteger, Switch, Threads } from '../codecs.js'
import { exitStatus, jsonLine, type Subcommand } from '../command.js'
import { jsonMode } from '../progress.js'

const widths = [2, 128, 128, 1]
/** Matmul FLOPs of one ∇ₓE of the MLP: the forward products and the backward ones through each layer. */
const flopsPerGradient = 2 * 2 * widths.slice(1).reduce((s, w, k) => s + widths[k] * w, 0)

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** Runs `work` (which does `units` of work) repeatedly for about `seconds` and returns units per second. */
const rate = async (work: () => Promise<void> | void, units: number, seconds: number): Promise<number> => {
  let done = 0
  const started = performance.now()
  while (performance.now() - started < seconds * 1000 || done === 0) {
    await work()
    done += units
  }
  return done / ((performance.now() - started) / 1000)
}

const flagCodecs = { rounds: fromText(PositiveInteger), seconds: fromText(Positive), threads: fromText(Threads), chains: fromText(PositiveInteger), json: Switch }

export const bench: Subcommand = {
  name: 'bench',
  summary: 'a short benchmark: the native MLP gradient rate and a sampler rate on this machine',
  configure: (c) =>
    c
      .option('--rounds <n>', 'alternating rounds of the two measurements', '5')
      .option('--seconds <s>', 'seconds of each turn', '0.4')
      .option('--threads <n>', 'threads of the native executor', '2')
      .option('--chains <n>', 'chains (the batch of the gradient)', '256')
      .option('--json', 'the results as one JSON line')
      .addHelpText('after', '\nExample:\n  heatbath bench --threads 2\n'),
  run: async (_args, raw, io) => {
    const f = decodeFlags(flagCodecs, raw)
    const status = nativeAddon()
    const backend: Backend = status.addon === undefined ? 'reference' : 'native'
    // The reference executor is some hundred times slower: a smaller batch keeps a turn short.
    const chains = backend === 'native' ? f.chains : Math.min(f.chains, 16)
    if (status.addon === undefined) io.stderr.write(`heatbath bench: the native addon is not available (${status.reason}); measuring the reference executor on ${chains} chains\n`)
    const dtype = backend === 'native' ? 'float32' : 'float64'
    const model = energy.mlp({ widths, activation: 'silu', seed: 1 })
    const params = energy.init(model)
    const tape = energy.gradientOnlyTape(model, chains)
    const x = rng.normals(1, 0, 0, chains * 2)
    const gradient = () => void runTape(tape, { x, ...params }, { backend, dtype, threads: f.threads })
    const steps = 20
    const chainsRunner = sampler.runner(model, sampler.ula({ stepSize: 0.01 }), { chains, init: x, backend, dtype, threads: f.threads, params })
    let from = 0
    const sample = async () => {
      await chainsRunner.run({ seed: 1, from, to: from + steps })
      from += steps
    }
    gradient()
    await sample()
    const rates = { gradients: [] as number[], chainSteps: [] as number[] }
    for (let r = 0; r < f.rounds; r++) {
      rates.gradients.push(await rate(gradient, chains, f.seconds))
      rates.chainSteps.push(await rate(sample, chains * steps, f.seconds))
    }
    const result = {
      event: 'bench',
      backend,
      dtype,
      threads: f.threads,
      chains,
      model: `MLP ${widths.join('→')} (SiLU)`,
      gradientsPerSecond: median(rates.gradients),
      gflops: (median(rates.gradients) * flopsPerGradient) / 1e9,
      chainStepsPerSecond: median(rates.chainSteps),
      rounds: f.rounds,
      isa: status.addon?.isa() ?? null,
    }
    if (jsonMode(io, f.json)) jsonLine(io.stdout, result)
    else {
      io.stdout.write(
        `${result.model}, ${chains} chains, ${dtype}, ${backend}${backend === 'native' ? ` (${result.isa}, ${f.threads} thread${f.threads === 1 ? '' : 's'})` : ''}; medians of ${f.rounds} alternating rounds\n` +
          `  ∇ₓE evaluations: ${Math.round(result.gradientsPerSecond).toLocaleString('en')} per second (${result.gflops.toFixed(1)} GFLOP/s of matmuls)\n` +
          `  ULA chain steps: ${Math.round(result.chainStepsPerSecond).toLocaleString('en')} per second (K = ${steps} steps a call, the loop in ${backend === 'native' ? 'C++' : 'TypeScript'})\n`,
      )
    }
    return exitStatus.ok
  },
}
