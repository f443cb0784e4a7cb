/**
 * Bad arguments to `temper` are refused before anything runs, each with an error naming the argument and
 * what was expected (a RangeError for a bad value, a TypeError for a value of the wrong type).
 */
import t, { type Test } from 'tap'
import * as energy from '../../../src/energy/index.js'
import * as sampler from '../../../src/sampler/index.js'

const e = energy.gaussian({ mean: [0, 0] })
const kernelAt = (T: number) => sampler.mala({ stepSize: 0.2, temperature: T })
const good = { ladder: [1, 2, 4], chains: 2, steps: 4, seed: 1, backend: 'reference' } as const

const refused = (t: Test, options: object, name: 'RangeError' | 'TypeError', message: string, k: unknown = kernelAt, en: unknown = e) =>
  t.rejects(sampler.temper(en as energy.Energy, k as typeof kernelAt, options as sampler.TemperOptions), { name, message }, message)

t.test('ladders that do not increase from 1, or are not temperatures, are refused', async (t) => {
  await refused(t, { ...good, ladder: [1, 3, 2] }, 'RangeError', 'temper: ladder[2]: expected a temperature above 3, the one before it (the ladder increases), got 2')
  await refused(t, { ...good, ladder: [1, 1, 2] }, 'RangeError', 'temper: ladder[1]: expected a temperature above 1, the one before it (the ladder increases), got 1')
  await refused(t, { ...good, ladder: [1, -2] }, 'RangeError', 'temper: ladder[1]: expected a temperature above 1, the one before it (the ladder increases), got -2')
  await refused(t, { ...good, ladder: [0, 2] }, 'RangeError', 'temper: ladder[0]: expected 1 (the first rung is the target, where draws are kept; temper the energy to sample elsewhere), got 0')
  await refused(t, { ...good, ladder: [1] }, 'RangeError', 'temper: ladder: expected between 2 and 4096 temperatures, got an array of length 1')
  await refused(t, { ...good, ladder: [1, NaN] }, 'RangeError', 'temper: ladder[1]: expected a finite number, got NaN')
  await refused(t, { ...good, ladder: { rungs: 1, max: 10 } }, 'RangeError', 'temper: ladder.rungs: expected an integer in [2, 4096], got 1')
  await refused(t, { ...good, ladder: { rungs: 4, max: 0.5 } }, 'RangeError', 'temper: ladder.max: expected a temperature above 1 (the first rung is the target at T = 1), got 0.5')
  await refused(t, { ...good, ladder: { rungs: 4, top: 5 } }, 'RangeError', "temper: ladder: unknown option 'top' (options: rungs, max)")
  await refused(t, { ...good, ladder: 'hot' }, 'TypeError', 'temper: ladder: expected an object, got "hot"')
})

t.test('steps, warmup and thin fall on swap rounds; adaptation needs a warmup', async (t) => {
  await refused(t, { ...good, steps: 5, swapEvery: 2 }, 'RangeError', 'temper: steps: expected a multiple of swapEvery = 2 (steps fall into swap rounds), got 5')
  await refused(t, { ...good, warmup: 3, swapEvery: 2 }, 'RangeError', 'temper: warmup: expected a multiple of swapEvery = 2 (steps fall into swap rounds), got 3')
  await refused(t, { ...good, thin: 3, swapEvery: 2 }, 'RangeError', 'temper: thin: expected a multiple of swapEvery = 2 (steps fall into swap rounds), got 3')
  await refused(t, { ...good, swapEvery: 0 }, 'RangeError', 'temper: swapEvery: expected an integer ≥ 1, got 0')
  await refused(t, { ...good, adaptLadder: true }, 'RangeError', 'temper: adaptLadder: expected false, or warmup of at least 2 swap rounds (2 steps) to adapt the ladder in, got true')
  const short = await sampler.temper(e, kernelAt, { ...good, warmup: 1 })
  t.same(short.ladders, [[1, 2, 4]], 'a warmup of one swap round runs without adapting (the default then)')
  await refused(t, { ...good, adaptLadder: 'yes' }, 'TypeError', 'temper: adaptLadder: expected true or false, got "yes"')
})

t.test('chains, init, seed, energy, kernels and unknown options', async (t) => {
  await refused(t, { ...good, chains: 0 }, 'RangeError', 'temper: chains: expected an integer ≥ 1, got 0')
  await refused(t, { ...good, init: [1, 2, 3] }, 'RangeError', 'temper: init: expected 4 values (2 chains × 2 dimensions, every rung starting there) or 12 (3 rungs × 2 chains × 2 dimensions), got "3 values"')
  await refused(t, { ...good, seed: -1 }, 'RangeError', 'temper: seed: expected an integer in [0, 2^53), got -1')
  await refused(t, { ...good, swap: 2 }, 'RangeError', "temper: options: unknown option 'swap' (options: chains, init, params, backend, dtype, threads, chainBlock, ladder, steps, seed, swapEvery, warmup, adaptLadder, thin, signal)")
  await refused(t, good, 'TypeError', 'temper: kernelAt: expected a function, got 3', 3)
  await refused(t, good, 'TypeError', 'temper: energy: expected an Energy value (built by energy.define or the catalogue), got an object with keys (none)', kernelAt, {})
  const bad = (T: number) => (T > 2 ? ({ type: 'warp' } as unknown as sampler.Kernel) : kernelAt(T))
  await t.rejects(sampler.temper(e, bad, good), { name: 'TypeError', message: /^temper: kernelAt\(4\): expected a sampler kernel/ }, 'a bad kernel names its temperature')
  await refused(t, { ...good, signal: 'stop' }, 'TypeError', 'temper: signal: expected an AbortSignal, got "stop"')
  await refused(t, { ...good, backend: 'fast' }, 'RangeError', 'temper: backend: expected one of "auto", "reference", "native", got "fast"')
  await refused(t, { ...good, chainBlock: 0 }, 'RangeError', 'temper: chainBlock: expected an integer ≥ 1, got 0')
  const [whole, blocked] = [await sampler.temper(e, kernelAt, { ...good, chains: 3 }), await sampler.temper(e, kernelAt, { ...good, chains: 3, chainBlock: 2 })]
  t.same(blocked.draws, whole.draws, 'chainBlock reaches the rungs\' runners, and the draws do not depend on it')
})

t.test('aborting stops the run between steps with an AbortError', async (t) => {
  const controller = new AbortController()
  const running = sampler.temper(e, kernelAt, { ...good, steps: 100000, signal: controller.signal })
  setTimeout(() => controller.abort(), 20)
  await t.rejects(running, { name: 'AbortError' })
})
