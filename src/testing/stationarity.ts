/**
 * `checkStationarity`: does a kernel leave its target invariant? Chains start at exact draws, run K
 * steps, and are compared with fresh exact draws by two-sample tests.
 *
 * @module
 */
import * as check from '../check/index.js'
import { logGamma } from '../diagnostics/index.js'
import * as energy from '../energy/index.js'
import type { Kernel } from '../sampler/index.js'
import { checkedKernel, momentaAt, runAtNames, runAtOf, runFrom, seedOf, streams, type RunAt } from './chains.js'
import { boundReport, combined, skippedReport, testReport, type Report, type Sizes } from './report.js'
import { checkTarget, type Target } from './target.js'
import { energyDistance, ksTwoSample, maxPooledRows } from './two-sample.js'

/** Options of {@link checkStationarity}. */
export interface StationarityOptions extends RunAt {
  /** Chains, and fresh exact draws to compare them with (default 400). */
  readonly chains?: number
  /** Steps of the kernel each chain runs from its exact draw (default 10). */
  readonly steps?: number
  /** The seed of the chains, the draws and the permutations (default 0). */
  readonly seed?: number
  /** The probability that a kernel which keeps the law invariant fails the check (default 0.01). */
  readonly falseAlarm?: number
  /** Permutations of the energy distance's p-value (default 499). */
  readonly permutations?: number
  /**
   * Draws of each side the energy distance compares (default: min(chains, 250)): its permutations cost
   * grows as the square of it, and the per-coordinate and energy tests use every chain.
   */
  readonly jointSize?: number
  /**
   * The law the chains should keep, when it is not exp(−E/T) (default: the target itself): a known biased
   * law, such as `ulaLaw(target, h)` for unadjusted Langevin on a Gaussian. Chains start at its draws.
   */
  readonly law?: Target
}

const optionNames = ['chains', 'steps', 'seed', 'falseAlarm', 'permutations', 'jointSize', 'law', ...runAtNames] as const

/** log of the smallest p-value of the exact KS test with n against n: 2/C(2n, n). */
const logSmallestKs = (n: number): number => Math.log(2) - (logGamma(2 * n + 1) - 2 * logGamma(n + 1))

/** The sizes of a check, refused when they cannot reach its levels (a test that could never fail). */
const checkedSizes = (o: Readonly<Partial<StationarityOptions>>, dimension: number) => {
  const chains = check.integer(o.chains ?? 500, 'checkStationarity: chains', { min: 2 })
  const jointSize = check.integer(o.jointSize ?? Math.min(chains, 250), 'checkStationarity: jointSize', { min: 2, max: Math.min(chains, maxPooledRows / 2) })
  const steps = check.positiveInteger(o.steps ?? 10, 'checkStationarity: steps')
  const falseAlarm = check.probability(o.falseAlarm ?? 0.01, 'checkStationarity: falseAlarm')
  if (falseAlarm === 0) throw check.rangeError('checkStationarity: falseAlarm', 'a probability above 0 (a test that never fails)', falseAlarm)
  const permutations = check.positiveInteger(o.permutations ?? 499, 'checkStationarity: permutations')
  // Half the false-alarm rate goes to the joint test, half is shared by the D coordinates and the energy
  // (Bonferroni).
  const jointLevel = falseAlarm / 2
  const coordinateLevel = falseAlarm / (2 * (dimension + 1))
  if (1 / (1 + permutations) > jointLevel) {
    throw check.rangeError('checkStationarity: permutations', `at least ${Math.ceil(1 / jointLevel) - 1} (the energy distance's p-value is at least 1/(1 + permutations), and its level is falseAlarm/2 = ${Number(jointLevel.toPrecision(3))})`, permutations)
  }
  if (logSmallestKs(chains) > Math.log(coordinateLevel)) {
    let least = 2
    while (logSmallestKs(least) > Math.log(coordinateLevel)) least++
    throw check.rangeError('checkStationarity: chains', `at least ${least} (with fewer, no KS p-value reaches the level falseAlarm/(2(D + 1)) = ${Number(coordinateLevel.toPrecision(3))})`, chains)
  }
  return { chains, steps, falseAlarm, permutations, jointSize, jointLevel, coordinateLevel }
}

/** Chains that became non-finite or were marked dead: a failure of its own, before any statistic. */
const deadChains = (alive: Uint8Array, positions: Float64Array, D: number): number => {
  let dead = 0
  for (let c = 0; c < alive.length; c++) {
    if (!alive[c] || positions.subarray(c * D, (c + 1) * D).some((v) => !Number.isFinite(v))) dead++
  }
  return dead
}

/**
 * Checks that `kernel` leaves `target`'s law exp(−E/T) invariant (or, with `law`, that known law): n
 * chains start at exact draws (momenta at N(0, T·I)), run K steps, and their positions are compared with
 * n fresh exact draws by two-sample Kolmogorov–Smirnov tests (exact p-values) on every coordinate and on
 * the energy E(x) (which a wrong temperature or scale moves most), and by the energy distance on the
 * joint law (permutation p-value, on the first `jointSize` of each; computed only when the KS tests pass,
 * as a failed check needs no more evidence and it costs the most). The false-alarm rate α is split by
 * Bonferroni: α/2 to the joint test, α/(2(D + 1)) to each KS test, so a kernel that keeps the law fails
 * with probability at most α. Sizes that cannot reach those levels are refused.
 *
 * An unadjusted sampler fails it at a step size where its bias shows; the `law` option tests its
 * implementation against the biased law it should sample instead.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkStationarity, gaussianTarget } from './index.js'
 * import * as sampler from '../sampler/index.js'
 * const target = gaussianTarget({ mean: [1, -1], precision: [[2, 0.6], [0.6, 1]], temperature: 0.5 })
 * const mala = await checkStationarity(target, sampler.mala({ stepSize: 0.3, temperature: 0.5 }), { seed: 1 })
 * assert.equal(mala.passed, true)
 * // ULA with a large step samples too hot: exp(−E/T) is not its stationary law
 * const ula = await checkStationarity(target, sampler.ula({ stepSize: 0.6, temperature: 0.5 }), { seed: 1 })
 * assert.equal(ula.passed, false)
 * assert.match(ula.message, /reproduce with the options \{ seed: 1, chains: 500, steps: 10, falseAlarm: 0.01, permutations: 499, jointSize: 250 \}$/)
 */
export const checkStationarity = async (target: Target, kernel: Kernel, options: StationarityOptions = {}): Promise<Report> => {
  const t = checkTarget(target, 'checkStationarity: target')
  const k = checkedKernel(kernel, 'checkStationarity: kernel')
  const o = check.options<StationarityOptions>(options, 'checkStationarity: options', optionNames)
  const law = o.law === undefined ? t : checkTarget(o.law, 'checkStationarity: law')
  if (law.dimension !== t.dimension) throw check.rangeError('checkStationarity: law', `a law of dimension ${t.dimension} (the target's)`, law.dimension)
  const D = t.dimension
  const s = checkedSizes(o, D)
  const seed = seedOf(o.seed, 'checkStationarity: seed')
  const sizes: Sizes = { seed, chains: s.chains, steps: s.steps, falseAlarm: s.falseAlarm, permutations: s.permutations, jointSize: s.jointSize }
  const name = `checkStationarity(${law.name})`
  const ran = await runFrom(t.energy, k, runAtOf(o), { positions: law.draw(s.chains, seed, streams.start), momenta: momentaAt(t.temperature, s.chains * D, seed), seed, steps: s.steps })
  const dead = deadChains(ran.alive, ran.positions, D)
  if (dead > 0) return boundReport(name, { statistic: dead, bound: 0, what: 'chains that became non-finite' }, sizes)
  const fresh = law.draw(s.chains, seed, streams.fresh)
  const column = (xs: Float64Array, i: number) => xs.filter((_v, j) => j % D === i)
  const coordinates = Array.from({ length: D }, (_v, i) => testReport(`x[${i}] (KS)`, { ...ksTwoSample(column(ran.positions, i), column(fresh, i)), level: s.coordinateLevel }, sizes))
  const params = o.params === undefined ? undefined : Object.fromEntries(Object.entries(o.params).map(([n, v]) => [n, Float64Array.from(v)]))
  const energies = testReport('E(x) (KS)', { ...ksTwoSample(energy.energyAt(t.energy, ran.positions, params), energy.energyAt(t.energy, fresh, params)), level: s.coordinateLevel }, sizes)
  const head = (xs: Float64Array) => xs.subarray(0, s.jointSize * D)
  // The energy distance costs the most (all its permutations when it rejects): a check that has already
  // failed does not need it.
  const failed = [...coordinates, energies].some((r) => !r.passed)
  const joint = failed
    ? skippedReport('joint (energy distance)', 'not computed: a KS test has failed already', sizes)
    : testReport('joint (energy distance)', { ...energyDistance(head(ran.positions), head(fresh), D, { permutations: s.permutations, seed, stream: streams.permutations }), level: s.jointLevel }, sizes)
  return combined(name, [...coordinates, energies, joint], sizes)
}
