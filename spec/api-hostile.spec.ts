/**
 * A hostile user's pass over the library's API: each test pins a defect found by calling the public
 * functions as a careless TypeScript or JavaScript caller would (a string where a number goes, a misspelt
 * option, a parameter named like the input, a count beyond memory), and fails without its fix.
 */
import t from 'tap'
import { diagnostics, energy, grid, hopfield, ir, ising, rng, sampler, stream, train } from '../src/index.js'
import * as testing from '../src/testing/index.js'
import { refuses, rangeError, typeError } from './errors.js'

const backends = ['reference', 'native'] as const
const x = ir.input('x', [2, 3])
const tape = ir.compile([ir.sum(ir.square(x), 1)], [x])

t.test('a feed holding a string or null is refused on either executor, not read as a number', async (t) => {
  for (const backend of backends) {
    // The reference path named 'ir.runReference' where the native one named 'runTape'.
    await refuses(t, typeError(() => ir.runTape(tape, { x: ['1', 2, 3, 4, 5, 6] as never }, { backend }), 'runTape: feeds.x[0]: expected a number, got "1"'), backend)
    await refuses(t, rangeError(() => ir.runTapeAsync(tape, { x: [1, 2, 3] }, { backend }), 'runTapeAsync: feeds.x: has 3 values; inputs of shape [2,3] need 6'), `${backend} async`)
    await refuses(t, typeError(() => ir.runTape(tape, { x: [1, 2, null, 4, 5, 6] as never }, { backend, dtype: 'float32' }), 'runTape: feeds.x[2]: expected a number, got null'), `${backend} float32`)
  }
  await refuses(t, typeError(() => ir.interpret([ir.sum(x)], { x: [1, 2, 3, 4, 5, true] as never }), 'ir.interpret: feeds.x[5]: expected a number, got true'), 'interpret')
  // Non-finite feeds are the program's IEEE inputs, not argument errors.
  t.same(ir.runTape(tape, { x: [Infinity, 0, 0, 1, 1, 1] }), [new Float64Array([Infinity, 3])])
})

t.test('a misspelt option of runTape is refused, not run with the default', async (t) => {
  for (const backend of backends) {
    await refuses(t, rangeError(() => ir.runTape(tape, { x: new Float64Array(6) }, { backend, dtyp: 'float32' } as never), "runTape: options: unknown option 'dtyp' (options: backend, dtype, threads, blockRows)"), backend)
    await refuses(t, rangeError(() => ir.runTapeAsync(tape, { x: new Float64Array(6) }, { backend, sigal: new AbortController().signal } as never), "runTapeAsync: options: unknown option 'sigal' (options: backend, dtype, threads, blockRows, signal)"), `${backend} async`)
    await refuses(t, typeError(() => ir.runTapeAsync(tape, { x: new Float64Array(6) }, { backend, signal: 'stop' } as never), 'runTapeAsync: signal: expected an AbortSignal, got "stop"'), `${backend} signal`)
  }
})

t.test("an energy's parameters given at points are checked against the energy, naming the argument", async (t) => {
  const mlp = energy.mlp({ widths: [2, 4, 1], activation: 'silu', seed: 1 })
  const p = energy.init(mlp)
  for (const backend of backends) {
    const at = (params: unknown) => () => energy.energyAt(mlp, [[1, 2]], params as never, { backend })
    // A parameter named like the input replaced the points: the energy of (5, 5) came back for (1, 2).
    await refuses(t, rangeError(at({ ...p, x: [5, 5] }), `energy.energyAt: params: expected parameters of energy 'mlp' (W0, b0, W1, b1), got "x"`), `${backend} x`)
    await refuses(t, rangeError(at({ ...p, W0: new Float64Array(3) }), 'energy.energyAt: params.W0: expected 8 values, got 3'), `${backend} size`)
    await refuses(t, rangeError(at({ ...p, W0: new Float64Array(8).fill(NaN) }), 'energy.energyAt: params.W0[0]: expected a finite number, got NaN'), `${backend} NaN`)
    await refuses(t, typeError(at({ ...p, b0: ['1', 0, 0, 0] }), 'energy.energyAt: params.b0[0]: expected a number, got "1"'), `${backend} string`)
    await refuses(t, typeError(at(null), 'energy.energyAt: params: expected an object, got null'), `${backend} null`)
  }
  await refuses(t, rangeError(() => energy.gradientAt(energy.doubleWell({ dim: 2 }), [[1, 2]], p), `energy.gradientAt: params: expected parameters of energy 'doubleWell' (none), got "W0"`), 'params of another energy')
  await refuses(t, rangeError(() => grid.tabulate(mlp, { bounds: [[0, 1], [0, 1]], n: 4, params: { ...p, W1: new Float64Array(2) } }), 'grid.tabulate: params.W1: expected 4 values, got 2'), 'tabulate')
})

t.test('a misspelt option of a grid is refused, and a dtype given to tabulate is used', async (t) => {
  const well = energy.doubleWell()
  await refuses(t, rangeError(() => grid.tabulate(well, { bounds: [[-2, 2]], n: 10, N: 20 } as never), "grid.tabulate: options: unknown option 'N' (options: bounds, n, params, backend, threads, dtype)"), 'tabulate')
  await refuses(t, rangeError(() => grid.histogram([0.5], { bounds: [[-2, 2]], n: 10, pseudoCount: 1 } as never), "grid.histogram: options: unknown option 'pseudoCount' (options: bounds, n, pseudocount)"), 'histogram')
  // The energies of x⁴ − 2x² at cell centres such as 0.3 are not float32 numbers in float64, and were
  // computed in float64 whatever the dtype said.
  const single = grid.tabulate(well, { bounds: [[-2, 2]], n: 10, dtype: 'float32' })
  t.ok(single.energies?.every((e) => Math.fround(e) === e), 'float32 energies')
  t.notOk(grid.tabulate(well, { bounds: [[-2, 2]], n: 10 }).energies?.every((e) => Math.fround(e) === e), 'float64 energies')
})

t.test('a signal that is not an AbortSignal is refused by the training entry points, not ignored', async (t) => {
  const quadratic = energy.quadratic({ center: [0] })
  const options = { objective: train.scoreMatching({ kind: 'exact' }), optimizer: train.sgd({ lr: 0.5 }), batchSize: 2, steps: 2, seed: 1, signal: 'stop' as never }
  await refuses(t, typeError(() => train.fit(quadratic, [1, 2], options), 'train.fit: signal: expected an AbortSignal, got "stop"'), 'fit')
  await refuses(t, typeError(() => train.longRunProbe(quadratic, { theta: [0] }, { data: [1, 2], seed: 1, steps: 2, signal: { aborted: true } as never }), 'train.longRunProbe: signal: expected an AbortSignal, got an object with keys aborted'), 'longRunProbe')
})

t.test('a count of draws beyond any array is refused before allocating, naming the argument', async (t) => {
  await refuses(t, rangeError(() => rng.uniforms(1, 0, 0, 1e12), 'uniforms: count: expected at most 2^31 draws in a new array (pass out to fill one of your own), got 1000000000000'), 'uniforms')
  await refuses(t, rangeError(() => rng.normals(1, 0, 0, 2 ** 32), 'normals: count: expected at most 2^31 draws in a new array (pass out to fill one of your own), got 4294967296'), 'normals')
})

t.test('rng.permutation refuses uniforms outside [0, 1) rather than return a repeated index', async (t) => {
  // permutation(3, [0, 5, 5]) was [0, 1, 0]: position 2 swapped with position 15.
  await refuses(t, rangeError(() => rng.permutation(3, [0, 5, 5]), 'rng.permutation: uniforms[2]: expected a number in [0, 1), got 5'), 'above 1')
  await refuses(t, rangeError(() => rng.permutation(3, [0, NaN, 0.5]), 'rng.permutation: uniforms[1]: expected a number in [0, 1), got NaN'), 'NaN')
  await refuses(t, typeError(() => rng.permutation(3, [0, '0.5', 0.5] as never), 'rng.permutation: uniforms[1]: expected a number in [0, 1), got "0.5"'), 'string')
  await refuses(t, typeError(() => rng.permutation(1, 0 as never), 'rng.permutation: uniforms: expected an array or typed array of numbers, got 0'), 'a number for the array')
})

t.test('logGamma is infinite at the poles of Γ, not a finite number from a rounded sine', async (t) => {
  for (const pole of [0, -1, -2, -10]) t.equal(diagnostics.logGamma(pole), Infinity, `at ${pole}`)
  // Between the poles it is log |Γ(x)|, as R's lgamma: Γ(−½) = −2√π.
  t.ok(Math.abs(diagnostics.logGamma(-0.5) - Math.log(2 * Math.sqrt(Math.PI))) < 1e-13)
})

t.test('energyGap checks that each energy is a number', async (t) => {
  // ['1', '2'] summed to the string '012', and the gap came out as 5.
  await refuses(t, typeError(() => diagnostics.energyGap(['1', '2'] as never, [1]), 'energyGap: dataEnergies[0]: expected a number, got "1"'), 'string')
  // A diverged chain's energy stays allowed: rollingEnergyGap reports over such snapshots (examples/chain-health.ts).
  t.equal(diagnostics.energyGap([1, 2], [1, Infinity]), -Infinity)
})

t.test('a misspelt option of a sampler is refused, not sampled with the default', async (t) => {
  // ula({ stepSize, temprature: 2 }) sampled at T = 1.
  const typo = { temprature: 2 } as object
  const calls: [string, () => unknown, string][] = [
    ['ula', () => sampler.ula({ stepSize: 0.1, ...typo }), 'stepSize, temperature, noiseScale, clip, clamp'],
    ['mala', () => sampler.mala({ stepSize: 0.1, ...typo }), 'stepSize, temperature'],
    ['hmc', () => sampler.hmc({ stepSize: 0.1, leapfrogSteps: 3, ...typo }), 'stepSize, leapfrogSteps, temperature, metric'],
    ['sghmc', () => sampler.sghmc({ stepSize: 0.1, friction: 1, ...typo }), 'stepSize, friction, temperature, metric'],
    ['drift', () => sampler.drift({ stepSize: 0.1, ...typo }), 'stepSize, clip'],
    ['noise', () => sampler.noise({ stepSize: 0.1, ...typo }), 'scale, stepSize, temperature'],
    ['momentum', () => sampler.momentum({ friction: 1, ...typo }), 'friction, stepSize, temperature, metric'],
    ['nuts', () => sampler.nuts({ stepSize: 0.1, ...typo }), 'stepSize, maxTreeDepth, temperature, metric'],
    ['metropolis', () => sampler.metropolis({ ...typo })(sampler.drift({ stepSize: 0.1 })), 'temperature'],
    ['leapfrog', () => sampler.leapfrog({ stepSize: 0.1, ...typo }), 'stepSize, metric'],
    ['kick', () => sampler.kick({ stepSize: 0.1, ...typo }), 'stepSize'],
    ['clamp', () => sampler.clamp({ low: 0, high: 1, ...typo }), 'low, high'],
    ['reflect', () => sampler.reflect({ low: 0, high: 1, ...typo }), 'low, high'],
  ]
  for (const [name, run, known] of calls) await refuses(t, rangeError(run, `${name}: options: unknown option 'temprature' (options: ${known})`), name)
})

t.test('the ladders of replica exchange check their arguments rather than build a ladder that is none', async (t) => {
  // geometricLadder(1, 10) was [10] (no rung at T = 1), geometricLadder(3, NaN) [1, NaN, NaN].
  await refuses(t, rangeError(() => sampler.geometricLadder(1, 10), 'geometricLadder: rungs: expected an integer in [2, 4096], got 1'), 'one rung')
  await refuses(t, rangeError(() => sampler.geometricLadder(3, NaN), 'geometricLadder: max: expected a finite number, got NaN'), 'NaN')
  await refuses(t, rangeError(() => sampler.geometricLadder(3, 0.5), 'geometricLadder: max: expected a temperature above 1 (the first rung is the target at T = 1), got 0.5'), 'max below 1')
  // equalisedLadder([1, 2, 4], [0.5]) was [1, NaN, 4].
  await refuses(t, rangeError(() => sampler.equalisedLadder([1, 2, 4], [0.5]), 'equalisedLadder: rejections: has 1 value; 3 rungs (a rate per neighbouring pair) need 2'), 'rates short')
  await refuses(t, rangeError(() => sampler.equalisedLadder([1, 2, 4], [0.5, 1.5]), 'equalisedLadder: rejections[1]: expected a probability in [0, 1], got 1.5'), 'rate above 1')
  await refuses(t, rangeError(() => sampler.equalisedLadder([1, 4, 2], [0.5, 0.5]), 'equalisedLadder: temperatures[2]: expected a temperature above 4, the one before it (the ladder increases), got 2'), 'not increasing')
  t.same(sampler.geometricLadder(3, 4), [1, 2, 4])
})

t.test("Adam's eps must be positive: with 0 a parameter whose gradient has been 0 moves by 0/0", async (t) => {
  await refuses(t, rangeError(() => train.adam({ lr: 0.1, eps: 0 }), 'train.adam: eps: expected a positive number, got 0'), 'adam')
  await refuses(t, rangeError(() => train.adamw({ lr: 0.1, eps: 0 }), 'train.adamw: eps: expected a positive number, got 0'), 'adamw')
})

t.test('the native executor reads arrays over a SharedArrayBuffer, as the reference does, rather than abort the process', async (t) => {
  // The addon took the buffer through TypedArray::ArrayBuffer(), whose Data() fails on a SharedArrayBuffer;
  // its error and the addon's own then threw twice, and Node aborted (FATAL ERROR: napi_throw).
  const shared64 = new Float64Array(new SharedArrayBuffer(8 * 8), 8, 6)
  shared64.set([1, 2, 3, 4, 5, 6])
  const shared32 = new Float32Array(new SharedArrayBuffer(4 * 6))
  shared32.set([1, 2, 3, 4, 5, 6])
  const want = [14, 77]
  t.same(Array.from(ir.runTape(tape, { x: shared64 }, { backend: 'native' })[0]), want, 'float64, with a byteOffset')
  t.same(Array.from(ir.runTape(tape, { x: shared32 }, { backend: 'native', dtype: 'float32' })[0]), want, 'float32')
  t.same(Array.from((await ir.runTapeAsync(tape, { x: shared64 }, { backend: 'native' }))[0]), want, 'async')
})

t.test("the testing kit's two-sample tests check their samples: a NaN hung ksTwoSample forever", async (t) => {
  // The merge of the two sorted samples waited for a value equal to NaN.
  await refuses(t, rangeError(() => testing.ksTwoSample([NaN, 1, 2], [1, 2, 3]), 'ksTwoSample: x[0]: expected a finite number, got NaN'), 'NaN')
  // An empty sample gave { statistic: NaN, pValue: 1 }: a pass.
  await refuses(t, rangeError(() => testing.ksTwoSample([1, 2], []), 'ksTwoSample: y: expected whole rows of 1 value, at least one, got an array of length 0'), 'empty')
  await refuses(t, typeError(() => testing.ksTwoSample(['1', '2'] as never, [1, 2]), 'ksTwoSample: x[0]: expected a number, got "1"'), 'strings')
  // Rows of 2 from 3 values made a fractional row count, and the engine's 'Invalid typed array length'.
  await refuses(t, rangeError(() => testing.energyDistance([1, 2, 3], [1, 2], 2), 'energyDistance: x: expected whole rows of 2 values, at least one, got an array of length 3'), 'part of a row')
  await refuses(t, rangeError(() => testing.energyDistance([1, 2], [1, 2], 0), 'energyDistance: dimension: expected an integer ≥ 1, got 0'), 'dimension 0')
  await refuses(t, rangeError(() => testing.energyDistance([1, 2], [1, 2], 1, { permutation: 9 } as never), "energyDistance: options: unknown option 'permutation' (options: permutations, seed, stream)"), 'typo')
  // 10⁵ rows would have held 5·10⁹ distances (40 GB) before the first permutation.
  await refuses(t, rangeError(() => testing.energyDistance(new Float64Array(50_000), new Float64Array(50_000), 1), 'energyDistance: x, y: expected at most 8192 rows in all (the distance of every pair is held), got 100000'), 'too many rows')
  t.equal(testing.ksTwoSample([1, 2, 3], [4, 5, 6]).statistic, 1)
})

t.test('scoring checks the parameters against the energy when it is set up, naming its own argument', async (t) => {
  const quadratic = energy.quadratic({ center: [0] })
  // stream.score took any object and failed at the first batch, as 'ir.runReference: feeds.theta'.
  await refuses(t, rangeError(() => stream.score(quadratic, { theta: new Float64Array(2) }), 'stream.score: params.theta: expected 1 value, got 2'), 'score')
  await refuses(t, rangeError(() => stream.score(quadratic, { thta: [1] } as never), `stream.score: params: expected parameters of energy 'quadratic' (theta), got "thta"`), 'score, a misspelt name')
  await refuses(t, rangeError(() => diagnostics.anomalyScores(quadratic, [[1]], { theta: Float64Array.of(NaN) }), 'anomalyScores: params.theta[0]: expected a finite number, got NaN'), 'anomalyScores')
})

t.test("the testing kit's report helpers say what is wrong rather than fail inside", async (t) => {
  // Each threw the engine's "Cannot read properties of null"; combined of no parts passed.
  await refuses(t, typeError(() => testing.assertPassed(null as never), 'assertPassed: report: expected an object, got null'), 'assertPassed')
  await refuses(t, typeError(() => testing.reproduce(null as never), 'reproduce: sizes: expected an object, got null'), 'reproduce')
  await refuses(t, rangeError(() => testing.combined('all', [], {}), 'combined: parts: expected at least one report, got an array of length 0'), 'combined')
  const space = testing.finiteSpace(energy.boltzmann({ weights: [[0, 1], [1, 0]] }))
  // T = 0 gave exp(−0/0) = NaN for the lowest states.
  await refuses(t, rangeError(() => testing.boltzmann(space, 0), 'boltzmann: T: expected a positive number, got 0'), 'boltzmann at T = 0')
  await refuses(t, typeError(() => testing.boltzmann(null as never, 1), 'boltzmann: space: expected an object, got null'), 'boltzmann of null')
})

t.test('hopfield.update checks the states and the stored patterns it is given', async (t) => {
  const network = hopfield.modern([[1, -1, 1, 1]])
  // A NaN state came back as a row of NaNs, "1" was read as 1, and a short X was reported as 'ir.runReference: feeds.X'.
  await refuses(t, rangeError(() => hopfield.update(network, [NaN, 1, 1, 1]), 'hopfield.update: states[0]: expected a finite number, got NaN'), 'NaN')
  await refuses(t, typeError(() => hopfield.update(network, ['1', 1, 1, 1] as never), 'hopfield.update: states[0]: expected a number, got "1"'), 'string')
  await refuses(t, rangeError(() => hopfield.update(network, [1, 1, 1, 1], { params: { X: new Float64Array(3) } }), 'hopfield.update: params.X: expected 4 values, got 3'), 'short patterns')
})

t.test('ising.observe checks the lattice, the configuration and the offset it reads', async (t) => {
  const structure = ising.lattice({ size: 2 }).structure as never
  // A short configuration, or an offset past its end, gave [NaN, NaN]; null gave "Cannot read properties of null".
  await refuses(t, rangeError(() => ising.observe(structure, [1, 1, 1, 1], 2), 'ising.observe: x: expected at least offset + 4 = 6 spins (a 2 × 2 lattice from offset 2), got an array of length 4'), 'offset')
  await refuses(t, typeError(() => ising.observe(structure, null as never, 0), 'ising.observe: x: expected an array or typed array of numbers, got null'), 'null')
  await refuses(t, typeError(() => ising.observe(null as never, [1, 1, 1, 1], 0), 'ising.observe: structure: expected the structure of an Ising lattice (ising.lattice(…).structure), got null'), 'no structure')
  t.same(ising.observe(structure, [0, 1, 1, 1, 1], 1), new Float64Array([1, -2]))
})

t.test('chiSquare checks its counts, matrix and sizes rather than pass on nothing', async (t) => {
  const P = Float64Array.of(0.5, 0.5, 0.5, 0.5)
  // With NaN counts, or without n and replicas, the statistic was 0 on 0 degrees of freedom: a pass.
  await refuses(t, rangeError(() => testing.chiSquare(Float64Array.of(10, NaN, 10, 10), P, 2, 20), 'chiSquare: counts[1]: expected a finite number, got NaN'), 'NaN count')
  await refuses(t, rangeError(() => testing.chiSquare(Float64Array.of(10, 1.5, 10, 10), P, 2, 20), 'chiSquare: counts[1]: expected a count (an integer ≥ 0), got 1.5'), 'fractional count')
  await refuses(t, typeError(() => testing.chiSquare(Float64Array.of(10, 10, 10, 10), P, undefined as never, 20), 'chiSquare: n: expected an integer ≥ 1, got undefined'), 'no n')
  await refuses(t, rangeError(() => testing.chiSquare(Float64Array.of(10, 10), P, 2, 20), 'chiSquare: counts: has 2 values; 2 × 2 states need 4'), 'short counts')
  t.equal(testing.chiSquare(Float64Array.of(10, 10, 10, 10), P, 2, 20).statistic, 0)
})
