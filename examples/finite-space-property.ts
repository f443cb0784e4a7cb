// A test suite for a discrete sampler block of your own, on a finite state space, to copy into your tests
// (each check is one `assertPassed`, which throws the report's message when it fails).
//
//   npm run example examples/finite-space-property.ts
//
// The block: a "mixed sweep", a sequential heat-bath sweep then a random-order Metropolis sweep, written
// as a user writes a block that composes the package's own (`f.walk`). The package has no exact matrix
// for a block it does not know, so the checks run it from exact draws of π and judge what it does with
// exact tests: its end states against π (invariance) and its transition graph (irreducibility and
// aperiodicity). A sequential sweep is not reversible, so detailed balance is not asked of it. Then the
// two slips the suite is for: the Metropolis half at the wrong temperature, and a second block, a sweep
// of an RBM's visible units alone, that forgets the hidden layer.
import assert from 'node:assert/strict'
import { energy, sampler } from '../src/index.js'
import * as testing from '../src/testing/index.js'

// --- the blocks under test --------------------------------------------------------------------------
interface MixedSweep {
  readonly type: 'example: mixed sweep'
  readonly temperature: number
  readonly metropolisTemperature: number
}

sampler.defineBlock<MixedSweep>({
  type: 'example: mixed sweep',
  check: (k) => Object.freeze({ type: 'example: mixed sweep' as const, temperature: Number(k.temperature), metropolisTemperature: Number(k.metropolisTemperature) }),
  flatten: (k, f) => {
    f.walk(sampler.heatBath({ temperature: k.temperature, order: 'sequential' }))
    f.walk(sampler.metropolisFlips({ temperature: k.metropolisTemperature }))
  },
  domains: ['binary', 'spins'],
})

const mixedSweep = (temperature: number, metropolisTemperature = temperature): sampler.Kernel => sampler.checkKernel({ type: 'example: mixed sweep', temperature, metropolisTemperature }, 'mixedSweep')

interface VisibleSweep {
  readonly type: 'example: visible sweep'
  readonly temperature: number
}

sampler.defineBlock<VisibleSweep>({
  type: 'example: visible sweep',
  check: (k) => Object.freeze({ type: 'example: visible sweep' as const, temperature: Number(k.temperature) }),
  flatten: (k, f) => f.walk(sampler.gibbs({ temperature: k.temperature, classes: ['visible'] })),
  domains: ['binary', 'spins'],
})

// --- the suite ----------------------------------------------------------------------------------------
const T = 1.3
const bm = energy.boltzmann({ weights: [[0, 0.6, -0.9], [0.6, 0, 0.5], [-0.9, 0.5, 0]], bias: [0.3, -0.4, 0.1], domain: 'binary' })
const print = (r: testing.Report) => console.log(`ok  ${r.message}`)

// 1. It leaves π ∝ exp(−E/T) invariant: 1600 chains from exact draws of π, one step, their end states
//    against π by Pearson's χ² with a Monte Carlo p-value (exact at any size).
print(testing.assertPassed(await testing.checkInvariance(bm, mixedSweep(T), { seed: 1, replicas: 200 })))

// 2. Every state reaches every other, aperiodically (the graph of moves seen from every state).
print(testing.assertPassed(await testing.checkIrreducibility(bm, mixedSweep(T), { seed: 1, replicas: 200 })))

// 3. The same seed gives the same bits.
print(testing.assertPassed(await testing.checkDeterminism(bm, mixedSweep(T), { seed: 1 })))

// The slips the suite is for. The Metropolis half at T/2: its end states are not draws of π.
const slipped = await testing.checkInvariance(bm, mixedSweep(T, T / 2), { seed: 1, replicas: 200 })
assert.equal(slipped.passed, false)
console.log(`and the wrong temperature, caught: ${slipped.message}`)

// A sweep of an RBM's visible units alone never changes the hidden unit: half the states are unreached.
const rbm = energy.bipartite({ weights: [[0.9], [-0.7], [0.6]], visibleBias: [0.2, -0.3, 0.1], hiddenBias: [0.4] })
const forgetful = sampler.checkKernel({ type: 'example: visible sweep', temperature: T }, 'visibleSweep')
const unreached = await testing.checkIrreducibility(rbm, forgetful, { seed: 1, replicas: 200 })
assert.equal(unreached.passed, false)
assert.match(unreached.message, /not reached from \[0, 0, 0, 0\]: \[0, 0, 0, 1\], \[1, 0, 0, 1\]/)
console.log(`and the forgotten layer, caught: ${unreached.message}`)
