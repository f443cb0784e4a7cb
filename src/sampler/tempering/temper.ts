/**
 * Replica exchange (parallel tempering): one runner per rung of a temperature ladder, each running the
 * kernel `kernelAt(T)` on `chains` chains for `swapEvery` steps, then a round of swaps between neighbouring
 * rungs (swap.ts). During warmup the ladder moves toward equal swap rates after each of a series of
 * doubling phases (ladder.ts); it is then frozen, so the sampling phase is one Markov chain whose T = 1
 * rung samples the target. Every draw comes from Philox streams keyed by the seed: rung r's kernel from
 * `rng.streamSeed(seed, r + 1)`, the swaps of round n from stream n of `rng.streamSeed(seed, 0)`.
 *
 * @module
 */
import * as rng from '../../rng/index.js'
import type { Energy } from '../../energy/energy.js'
import type { Kernel } from '../kernel.js'
import { checkRunner, startRunner, type Runner } from '../runner.js'
import { checkTemper, kernelOf, type CheckedTemper, type TemperOptions } from './options.js'
import { equalisedLadder } from './ladder.js'
import { emptyTally, startReplicas, swapRound, type Replicas, type SwapTally } from './swap.js'
import { rejectionRatesOf, swapStatistics, warningsOf, type RungStatistics, type TemperResult } from './result.js'

/**
 * The lengths, in swap rounds, of the warmup's adaptation phases: doubling, the last about half of the
 * warmup (the ladder of each phase is estimated from that phase's swaps alone, as in Syed et al.'s
 * rounds), none shorter than 2 rounds so both parities of pairs are tried.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { warmupPhases } from './temper.js'
 * assert.deepEqual(warmupPhases(100), [6, 6, 13, 25, 50])
 * assert.deepEqual(warmupPhases(3), [3])
 */
export const warmupPhases = (rounds: number): number[] => {
  const phases: number[] = []
  let rest = rounds
  while (rest >= 4) {
    const half = Math.ceil(rest / 2)
    phases.unshift(half)
    rest -= half
  }
  if (rest > 0) phases.length > 0 ? (phases[0] += rest) : phases.push(rest)
  return phases
}

// The rungs' runners on a ladder; after a ladder change, the chains carried over from the old runners.
const startRungs = (t: CheckedTemper, ladder: readonly number[], from?: readonly Runner[]): Runner[] =>
  ladder.map((T, r) => {
    const n = t.chains * t.dimension
    const init = t.init.subarray(r * n, (r + 1) * n)
    const runner = startRunner(checkRunner('temper', t.energy, kernelOf(t.kernelAt, T), { ...t.runner, chains: t.chains, init }))
    if (from !== undefined) {
      const old = from[r].state
      runner.state.position.set(old.position)
      runner.state.momentum.set(old.momentum)
      runner.state.alive.set(old.alive)
    }
    return runner
  })

/** The moving parts of a run: the rungs' runners on the current ladder, the replicas, the step and round reached. */
interface Exchange {
  ladder: readonly number[]
  rungs: Runner[]
  readonly replicas: Replicas
  readonly seeds: readonly number[]
  readonly swapSeed: number
  step: number
  round: number
}

// The rungs' runs side by side: each rung has its own state and streams, so the order never matters, and
// the native executor gives each run its own session, so they may overlap on the worker threads. Every run
// settles before the first failure is thrown: no run outlives the call.
const runAll = async (runs: readonly Promise<unknown>[]): Promise<void> => {
  const failed = (await Promise.allSettled(runs)).find((s): s is PromiseRejectedResult => s.status === 'rejected')
  if (failed !== undefined) throw failed.reason
}

// swapEvery kernel steps on every rung, then one swap round.
const advance = async (t: CheckedTemper, x: Exchange, tally: SwapTally): Promise<void> => {
  await runAll(x.rungs.map((r, i) => r.run({ seed: x.seeds[i], from: x.step, to: x.step + t.swapEvery, signal: t.signal })))
  x.step += t.swapEvery
  const uniforms = rng.uniforms(x.swapSeed, x.round, 0, t.chains * (x.rungs.length - 1))
  swapRound(x.rungs.map((r) => r.state), x.ladder, x.round, uniforms, tally, x.replicas)
  x.round++
}

// Warmup: swaps throughout; with adaptLadder, after each phase the ladder equalised from that phase's rejections.
const warmUp = async (t: CheckedTemper, x: Exchange, ladders: (readonly number[])[]): Promise<void> => {
  for (const rounds of warmupPhases(t.warmup / t.swapEvery)) {
    const tally = emptyTally(x.ladder.length)
    for (let k = 0; k < rounds; k++) await advance(t, x, tally)
    if (!t.adaptLadder || x.ladder.length < 3) continue
    x.ladder = equalisedLadder(x.ladder, rejectionRatesOf(tally))
    ladders.push(x.ladder)
    x.rungs = startRungs(t, x.ladder, x.rungs)
  }
}

const sum = (a: Float64Array): number => a.reduce((s, v) => s + v, 0)

const counts = (r: Runner) => ({ proposed: sum(r.state.proposed), accepted: sum(r.state.accepted) })

const rungStatistics = (r: Runner, T: number, since: { proposed: number; accepted: number }, swapRate: number | null): RungStatistics => {
  const now = counts(r)
  const { energy, alive } = r.state
  let total = 0
  let live = 0
  alive.forEach((a, c) => {
    if (a !== 1) return
    total += energy[c]
    live++
  })
  const proposed = now.proposed - since.proposed
  return {
    temperature: T,
    acceptanceRate: r.setup.program.metropolis ? (now.accepted - since.accepted) / proposed : null,
    swapRate,
    meanEnergy: total / live,
    nonFinite: r.state.chains - live,
  }
}

const deadColumns = (r: Runner): number[] => Array.from(r.state.alive).flatMap((a, c) => (a === 1 ? [] : [c]))

/** What the sampling phase leaves for the result: the T = 1 draws, its swaps, the kernels' counts before it. */
interface Sampled {
  readonly draws: Float64Array
  readonly tally: SwapTally
  readonly since: readonly { readonly proposed: number; readonly accepted: number }[]
}

// Sampling on the frozen ladder: the T = 1 rung's positions kept every `thin` steps, after the swap round.
const sampleFrozen = async (t: CheckedTemper, x: Exchange): Promise<Sampled> => {
  const { chains, dimension: D } = t
  const perChain = t.steps / t.thin
  const draws = new Float64Array(chains * perChain * D)
  const tally = emptyTally(x.ladder.length)
  const since = x.rungs.map(counts)
  x.replicas.trips = 0
  for (let k = 0; k < t.steps / t.swapEvery; k++) {
    await advance(t, x, tally)
    const done = x.step - t.warmup
    if (done % t.thin !== 0) continue
    const cold = x.rungs[0].state.position
    for (let c = 0; c < chains; c++) draws.set(cold.subarray(c * D, (c + 1) * D), (c * perChain + done / t.thin - 1) * D)
  }
  // E and ∇E of the positions the last swaps left (and of the initial chains when nothing ran).
  await runAll(x.rungs.map((r, i) => r.run({ seed: x.seeds[i], from: x.step, to: x.step, signal: t.signal })))
  return { draws, tally, since }
}

// Every rung's final positions [rungs × chains × D] and energies [rungs × chains].
const finalStates = (rungs: readonly Runner[]) => {
  const { chains, dimension: D } = rungs[0].state
  const positions = new Float64Array(rungs.length * chains * D)
  const energies = new Float64Array(rungs.length * chains)
  rungs.forEach((r, i) => {
    positions.set(r.state.position, i * chains * D)
    energies.set(r.state.energy, i * chains)
  })
  return { positions, energies }
}

const resultOf = (t: CheckedTemper, x: Exchange, ladders: readonly (readonly number[])[], s: Sampled): TemperResult => {
  const swaps = swapStatistics(s.tally, x.replicas, t.steps / t.swapEvery)
  const top = x.rungs.length - 1
  const rungs = x.rungs.map((r, i) => rungStatistics(r, x.ladder[i], s.since[i], i < top ? swaps.swapRates[i] : null))
  const warnings = warningsOf({ temperatures: x.ladder, swapRates: swaps.swapRates, roundTrips: swaps.roundTrips, steps: t.steps, nonFinite: x.rungs.map(deadColumns) })
  const { chains, dimension, steps, warmup } = t
  return { chains, dimension, steps, warmup, temperatures: x.ladder, ladders, draws: s.draws, drawsPerChain: steps / t.thin, ...finalStates(x.rungs), rungs, ...swaps, warnings }
}

/**
 * Runs checked replica exchange: warmup (the ladder adapted when asked), then sampling on the frozen ladder.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkTemper } from './options.js'
 * import { runTemper } from './temper.js'
 * import { mala } from '../builtins.js'
 * import * as energy from '../../energy/index.js'
 * const t = checkTemper(energy.gaussian({ mean: [0, 0] }), (T: number) => mala({ stepSize: 0.3, temperature: T }), { ladder: [1, 2], chains: 3, steps: 4, seed: 1, backend: 'reference' })
 * assert.equal((await runTemper(t)).draws.length, 3 * 4 * 2)
 */
export const runTemper = async (t: CheckedTemper): Promise<TemperResult> => {
  const ladders: (readonly number[])[] = [t.ladder]
  const x: Exchange = {
    ladder: t.ladder,
    rungs: startRungs(t, t.ladder),
    replicas: startReplicas(t.ladder.length, t.chains),
    seeds: t.ladder.map((_T, r) => rng.streamSeed(t.seed, r + 1)),
    swapSeed: rng.streamSeed(t.seed, 0),
    step: 0,
    round: 0,
  }
  await warmUp(t, x, ladders)
  return resultOf(t, x, ladders, await sampleFrozen(t, x))
}

/**
 * Replica exchange (parallel tempering) of `energy` on a ladder of temperatures T₀ = 1 < … < T_max: the
 * kernel `kernelAt(T)` runs on `chains` chains at each rung, and every `swapEvery` steps neighbouring
 * rungs exchange positions with the exact acceptance min(1, exp((1/T_i − 1/T_j)(E_i − E_j))), even and
 * odd pairs in turn. Hot rungs cross barriers the T = 1 chains cannot, and swaps carry what they find
 * down the ladder. During `warmup` the ladder moves toward equal swap rates (`adaptLadder`), then stays
 * fixed while the T = 1 chains' draws are kept. Results depend only on the arguments, never on threads.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { temper } from './temper.js'
 * import { mala } from '../builtins.js'
 * import * as energy from '../../energy/index.js'
 * const e = energy.gmm({ means: [[-4], [4]], sigma: 1 })
 * const r = await temper(e, (T) => mala({ stepSize: 0.5, temperature: T }), { ladder: { rungs: 4, max: 16 }, chains: 8, steps: 40, warmup: 40, seed: 3, swapEvery: 2, backend: 'reference' })
 * assert.equal(r.temperatures.length, 4)
 * assert.equal(r.drawsPerChain, 20)
 */
export const temper = async (energy: Energy, kernelAt: (temperature: number) => Kernel, options: TemperOptions): Promise<TemperResult> =>
  runTemper(checkTemper(energy, kernelAt, options))
