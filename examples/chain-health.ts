/**
 * Chain health: the diagnostics that say whether chains can be trusted, on one run that is healthy and
 * three that are not, all on the double well E(x) = x₀⁴ − 2x₀² + ½x₁² (8 chains of 20,000 steps each).
 *
 * - convergence (diagnostics): rank-normalised split R-hat of x₀ (above 1.01, the chains disagree), bulk
 *   and tail ESS (below 100 per chain, the estimates are unreliable), and the Monte Carlo standard error
 *   of the mean of x₀, whose exact value is 0 by symmetry;
 * - EBM chain health, watched live by the stream operators on the run's snapshots: the energy gap
 *   against exact draws of the density (rollingEnergyGap; its standard error from the MCSE of the chains'
 *   mean energy), R-hat of the energy traces (rollingEnergyTraces), Metropolis acceptance
 *   (rollingAcceptance), chains that stopped moving (rollingStagnation) and chains that diverged
 *   (rollingNonFinite), each with the step at which it was first seen.
 *
 * The runs, all with the step size h = 0.1: MALA at T = 0.8 from starts spread over both wells (healthy); the same at T = 0.2, four
 * chains in each well, where the barrier of 1/T = 5 is rarely crossed (unmixed); MALA with two chains
 * started far out at x₀ = ±3.5, where the curvature is 143 and every proposal overshoots
 * (stuck); and ULA with the same starts, which has no accept test to refuse those moves, and which
 * on these quartic tails diverges now and then from anywhere (diverged).
 *
 * Run: npm run example examples/chain-health.ts
 */
import { connect, filter, first, forkJoin, last, map, of, toArray, lastValueFrom, type Observable } from 'rxjs'
import { pipe } from 'fp-ts/lib/function.js'
import { diagnostics, energy, grid, rng, sample$, sampler, stream } from '../src/index.js'

const quick = process.env.HEATBATH_EXAMPLE_QUICK === '1'
const [steps, thin] = quick ? [2000, 10] : [20000, 10]
const half = steps / thin / 2 // convergence is judged on the second half of the run
const window = Math.min(100, half) // the rolling windows of the stream operators, in snapshots
const well = energy.doubleWell({ dim: 2 })
const dataSize = 4000

/** Exact draws of exp(−E/T): x₀ by inverse CDF on a fine grid of its marginal, x₁ ~ N(0, T). */
const exactDraws = (T: number, n: number): Float64Array => {
  const marginal = grid.tabulate(pipe(energy.doubleWell(), energy.temper(T)), { bounds: [[-3, 3]], n: 6000 })
  const cdf = new Float64Array(marginal.density.length)
  marginal.density.reduce((s, d, i) => (cdf[i] = s + d * marginal.cellVolume), 0)
  const [u, z] = [rng.uniforms(5, 0, 0, n), rng.normals(5, 1, 0, n)]
  const out = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    // the first cell whose cumulative mass reaches u (binary search)
    let [lo, hi] = [0, cdf.length - 1]
    while (lo < hi) [lo, hi] = cdf[(lo + hi) >> 1] >= u[i] * cdf[cdf.length - 1] ? [lo, (lo + hi) >> 1] : [((lo + hi) >> 1) + 1, hi]
    const k = lo
    out[2 * i] = marginal.centres[0][k]
    out[2 * i + 1] = Math.sqrt(T) * z[i]
  }
  return out
}

interface Run {
  readonly name: string
  readonly T: number
  readonly kernel: sampler.Kernel
  readonly metropolis: boolean // whether the kernel has an accept test, whose acceptance can be watched
  readonly starts: readonly number[] // x₀ of each chain; x₁ starts at 0
}
const spread = [-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2]
const farOut = [-3.5, -1.5, -1, -0.5, 0.5, 1, 1.5, 3.5]
const runs: Run[] = [
  { name: 'healthy: MALA, h = 0.1, T = 0.8', T: 0.8, kernel: sampler.mala({ stepSize: 0.1, temperature: 0.8 }), metropolis: true, starts: spread },
  { name: 'unmixed: MALA, h = 0.1, T = 0.2, four chains in each well', T: 0.2, kernel: sampler.mala({ stepSize: 0.1, temperature: 0.2 }), metropolis: true, starts: [-1, -1, -1, -1, 1, 1, 1, 1] },
  { name: 'stuck: MALA, h = 0.1, T = 0.8, two chains from x₀ = ±3.5', T: 0.8, kernel: sampler.mala({ stepSize: 0.1, temperature: 0.8 }), metropolis: true, starts: farOut },
  { name: 'diverged: ULA, h = 0.1, T = 0.8, two chains from x₀ = ±3.5', T: 0.8, kernel: sampler.ula({ stepSize: 0.1, temperature: 0.8 }), metropolis: false, starts: farOut },
]

/** The first report an operator makes that satisfies `seen`, or null if none does. */
const firstSeen = <R>(reports: Observable<R>, seen: (r: R) => boolean) => reports.pipe(filter(seen), first(undefined, null))

const watch = async (run: Run) => {
  const data = exactDraws(run.T, dataSize)
  const dataEnergies = energy.energyAt(well, data)
  const chains = run.starts.length
  const run$ = sample$(well, run.kernel, { chains, steps, thin, seed: 11, init: run.starts.flatMap((x0) => [x0, 0]) }).pipe(map((s) => ({ ...s, dataEnergies })))
  // connect: every watcher subscribes before the run starts, and all see the same snapshots.
  return {
    data,
    dataEnergies,
    ...(await lastValueFrom(run$.pipe(connect((s$) => forkJoin({
      snapshots: s$.pipe(toArray()),
      // a diverged chain is frozen non-finite, so the last report names every chain that diverged
      firstNonFinite: firstSeen(s$.pipe(stream.rollingNonFinite(1)), (r) => r.nonFinite.length > 0),
      nonFinite: s$.pipe(stream.rollingNonFinite(1), last()),
      stuck: firstSeen(s$.pipe(stream.rollingStagnation(20)), (r) => r.stagnant.length > 0),
      acceptance: run.metropolis ? s$.pipe(stream.rollingAcceptance(window), last()) : of(null),
      energyTraces: s$.pipe(stream.rollingEnergyTraces(window), last()),
      gap: s$.pipe(stream.rollingEnergyGap(window), last()),
    }))))),
  }
}

const mean = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v, 0) / x.length
const sd = (x: ArrayLike<number>) => Math.sqrt(Array.from(x, (v) => (v - mean(x)) ** 2).reduce((s, v) => s + v, 0) / (x.length - 1))
const list = (chains: readonly number[]) => (chains.length === 0 ? 'none' : `chains ${chains.join(', ')}`)

console.log(`double well E = x₀⁴ − 2x₀² + ½x₁², 8 chains × ${steps} steps, a snapshot every ${thin}; convergence over the second half (${half} draws a chain),`)
console.log(`energy gap against ${dataSize} exact draws of exp(−E/T); the stream operators' reports at the last step cover its last ${window} snapshots`)
for (const run of runs) {
  const w = await watch(run)
  const chains = run.starts.length
  const kept = w.snapshots.slice(-half)
  const diverged = w.nonFinite.nonFinite
  const finite = Array.from({ length: chains }, (_v, c) => c).filter((c) => !diverged.includes(c))
  const x0 = finite.map((c) => Float64Array.from(kept, (s) => s.positions[2 * c]))
  const [rhat, bulk, tail, mcse] = [diagnostics.rhat(x0), diagnostics.essBulk(x0), diagnostics.essTail(x0), diagnostics.mcseMean(x0)]
  const x0Mean = mean(x0.flatMap((c) => Array.from(c)))
  const traces = finite.map((c) => Float64Array.from(kept, (s) => s.energies[c]))
  const gapSe = Math.hypot(sd(w.dataEnergies) / Math.sqrt(dataSize), diagnostics.mcseMean(traces))
  const gap = mean(w.dataEnergies) - mean(traces.flatMap((t) => Array.from(t)))

  const problems = [
    rhat > 1.01 && `R-hat ${rhat.toFixed(2)} > 1.01`,
    Math.min(bulk, tail) < 100 * finite.length && `ESS below 100 a chain`,
    Math.abs(x0Mean) > 4 * mcse && `mean x₀ ${(x0Mean / mcse).toFixed(1)} MCSE from 0`,
    Math.abs(gap) > 4 * gapSe && `energy gap ${(gap / gapSe).toFixed(1)} standard errors from 0`,
    w.stuck !== null && 'stuck chains',
    diverged.length > 0 && 'diverged chains',
  ].filter((p): p is string => typeof p === 'string')

  console.log(`\n${run.name}`)
  console.log(`  R-hat(x₀) ${rhat.toFixed(3)}   bulk ESS ${bulk.toFixed(0)}   tail ESS ${tail.toFixed(0)}   mean x₀ ${x0Mean.toFixed(3)} ± ${mcse.toFixed(3)} (MCSE; exact 0)` +
    `   energy gap ${gap.toFixed(3)} ± ${gapSe.toFixed(3)}${diverged.length > 0 ? ` (over the ${finite.length} finite chains)` : ''}`)
  console.log(`  streamed: R-hat(E) ${Number.isNaN(w.energyTraces.rhat) ? 'NaN (non-finite energies)' : w.energyTraces.rhat.toFixed(3)}   energy gap ${w.gap.meanGap.toFixed(3)}` +
    `   acceptance ${w.acceptance === null ? '— (no accept test)' : w.acceptance.rate.toFixed(3)}`)
  console.log(`  streamed: stuck ${w.stuck === null ? 'none' : `${list(w.stuck.stagnant)} (unmoved over the 20 snapshots to step ${w.stuck.step})`}` +
    `   non-finite ${w.firstNonFinite === null ? 'none' : `${list(diverged)} (the first seen at step ${w.firstNonFinite.step})`}`)
  if (w.acceptance !== null && w.stuck !== null) console.log(`  acceptance of the stuck chains: ${w.stuck.stagnant.map((c) => w.acceptance!.rates[c].toFixed(3)).join(', ')}`)
  console.log(`  verdict: ${problems.length === 0 ? 'healthy' : problems.join('; ')}`)
}
console.log('\nThe unmixed run\'s energy gap is near 0: both wells hold the same energies, so the gap cannot see which well a chain is in;')
console.log('R-hat can. A stuck chain rejects every proposal (acceptance 0). A diverged chain is frozen by the sampler: reported non-finite,')
console.log('and, no longer moving, stuck as well; ULA\'s finite chains have a negative energy gap, since a step of h·E″ = 0.8 in the wells')
console.log('samples hotter than T (examples/step-size-temperature.ts).')
