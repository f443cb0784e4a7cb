// A test suite for a sampler block of your own, to copy into your tests (node-tap, node:test, vitest or
// jest: each check is one `assertPassed`, which throws the report's message when it fails).
//
//   npm run example examples/sampler-property.ts
//
// The block: an anisotropic random walk x′ = x + s⊙ξ (a scale per coordinate, for a target whose axes
// differ), written as a user writes a block: one instruction with its reference step, placed between the
// package's own `propose` and `accept` instructions so that the Metropolis test corrects it. (Written
// first with a plain push of its instruction instead of `f.proposal`, this suite failed it at once: the
// runners then evaluated only ∇E between snapshots and the accept test read a stale E; the package now
// takes that from the `propose` and `accept` instructions themselves.) Its
// proposal is symmetric, so the accept test needs no density. The suite: stationarity on two targets and
// on random ones (fast-check), the Metropolis ratio, determinism, parity (skipped: the block has no C++
// handler), and reversibility and volume preservation of the deterministic integrator the same user wrote.
import fc from 'fast-check'
import { sampler } from '../src/index.js'
import { constant } from '../src/sampler/schedule.js'
import * as testing from '../src/testing/index.js'

// --- the block under test ---------------------------------------------------------------------------
interface AnisotropicWalk {
  readonly type: 'example: anisotropic walk'
  readonly scales: readonly number[]
  readonly temperature: number
}

sampler.defineInstruction({
  op: 'example: scaled noise',
  fields: {},
  encode: () => ({}),
  reference: (ins: { readonly op: 'example: scaled noise'; readonly scales: readonly number[]; readonly draw: number }, r) => {
    const x = r.state.position
    r.rows((from, to, c) => {
      const z = r.normals(c, ins.draw)
      for (let j = 0; j < to - from; j++) x[from + j] += ins.scales[j] * z[j]
    })
    r.moved()
  },
})

// The proposal alone: the walk's proposal, and (with the same draws) what checkMetropolisRatio runs.
sampler.defineBlock<{ readonly type: 'example: scaled noise alone'; readonly scales: readonly number[] }>({
  type: 'example: scaled noise alone',
  check: (k) => Object.freeze({ type: 'example: scaled noise alone' as const, scales: (k.scales as number[]).map(Number) }),
  flatten: (k, f) => {
    f.push({ op: 'example: scaled noise', scales: k.scales, draw: f.draws(f.dimension) })
  },
})

const scaledNoise = (scales: readonly number[]): sampler.Kernel => sampler.checkKernel({ type: 'example: scaled noise alone', scales }, 'scaledNoise')

sampler.defineBlock<AnisotropicWalk>({
  type: 'example: anisotropic walk',
  check: (k) => Object.freeze({ type: 'example: anisotropic walk' as const, scales: (k.scales as number[]).map(Number), temperature: Number(k.temperature) }),
  flatten: (k, f) => {
    f.push({ op: 'propose' })
    // f.proposal, not a plain push: it tells the blocks inside that they are in a proposal
    f.proposal(scaledNoise(k.scales))
    f.push({ op: 'accept', correction: 'symmetric', temperature: constant(k.temperature), draw: f.draws(1), drift: null, noise: null })
  },
})

const anisotropicWalk = (scales: readonly number[], temperature: number): sampler.Kernel =>
  sampler.checkKernel({ type: 'example: anisotropic walk', scales, temperature }, 'anisotropicWalk')

// --- the suite ---------------------------------------------------------------------------------------
const T = 0.5
const scales = [0.6, 0.3]
const kernel = anisotropicWalk(scales, T)
const elongated = testing.gaussianTarget({ mean: [1, -1], precision: [[1, 0.3], [0.3, 4]], temperature: T })
const wells = testing.doubleWellTarget({ dim: 2, a: 1.5, temperature: T })
const print = (r: testing.Report): void => console.log(`${r.passed ? 'ok ' : 'FAIL'} ${r.message}`)

// 1. It keeps exp(−E/T) invariant, on a correlated Gaussian and on a double well.
for (const target of [elongated, wells]) print(testing.assertPassed(await testing.checkStationarity(target, kernel, { seed: 1 })))

// 2. On random targets too: 6 cases at a false-alarm rate of 0.001 each.
await fc.assert(
  fc.asyncProperty(testing.targets({ dimension: { min: 2, max: 2 } }), testing.seeds(), async (target, seed) => {
    testing.assertPassed(await testing.checkStationarity(target, anisotropicWalk(scales, target.temperature), { seed, chains: 300, falseAlarm: 0.001, permutations: 1999, jointSize: 100 }))
  }),
  { seed: 7, numRuns: 6 },
)
console.log('ok  6 random targets of 2 dimensions keep their law')

// 3. Its accept test uses the symmetric ratio exp(−ΔE/T).
print(testing.assertPassed(await testing.checkMetropolisRatio(elongated, kernel, { proposal: scaledNoise(scales), seed: 2 })))

// 4. The same seed gives the same bits; parity with the native loop is skipped (no C++ handler).
print(testing.assertPassed(await testing.checkDeterminism(elongated, kernel, { seed: 3 })))
print(testing.assertPassed(await testing.checkParity(elongated, kernel, { seed: 3 })))

// 5. A deterministic integrator of the same user, for an HMC of their own: reversible, volume-preserving.
const integrator = sampler.sequence(sampler.kick({ stepSize: 0.1 }), sampler.move({ stepSize: 0.2 }), sampler.kick({ stepSize: 0.1 }))
print(testing.assertPassed(await testing.checkReversibility(wells, integrator)))
print(testing.assertPassed(await testing.checkVolumePreservation(wells, integrator)))

// A slip the suite is for: the block built at the default temperature 1 for a target at T = 0.5.
const slipped = await testing.checkStationarity(elongated, anisotropicWalk(scales, 1), { seed: 1 })
if (slipped.passed) throw new Error('the slip went unseen')
console.log(`and the slip it is for, caught: ${slipped.message}`)
