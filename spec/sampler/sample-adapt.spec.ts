/**
 * `sample(…, { warmup, adapt })`: warmup tunes the kernel on the run's own chains (sampler.warmup's
 * adaptation, on the same runner), and the steps after warmup run the tuned kernel from where warmup left
 * the chains, going on with the same random streams.
 */
import t from 'tap'
import * as sampler from '../../src/sampler/index.js'
import * as energy from '../../src/energy/index.js'
import * as diagnostics from '../../src/diagnostics/index.js'
import * as rng from '../../src/rng/index.js'

// Standard deviations 3 and 0.3 (condition number 100), means 1 and −2, at T = 1.
const target = energy.gaussian({ mean: [1, -2], precision: [[1 / 9, 0], [0, 1 / 0.09]] })
const init = rng.normals(5, 0, 0, 64 * 2)

t.test('warmup adapts as sampler.warmup does, on the same chains and streams', async (t) => {
  for (const backend of ['reference', 'native'] as const) {
    const hmc = sampler.hmc({ stepSize: 0.05, leapfrogSteps: 8 })
    const w = await sampler.warmup(target, hmc, { chains: 64, steps: 300, seed: 9, init, massMatrix: 'diagonal', backend })
    const r = await sampler.sample(target, hmc, { chains: 64, steps: 200, warmup: 300, seed: 9, init, adapt: { massMatrix: 'diagonal' }, keep: 'draws', backend })
    t.equal(r.adaptation?.stepSize, w.stepSize, `${backend}: the same step size, to the bit`)
    t.strictSame(r.adaptation?.inverseMassMatrix, w.inverseMassMatrix, `${backend}: the same mass matrix`)
    t.strictSame(r.adaptation?.kernel, w.kernel, `${backend}: the same tuned kernel, reusable with sample`)
    // The steps after warmup: the tuned kernel run on from step 300, starting where warmup left the chains.
    const runner = sampler.runner(target, w.kernel, { chains: 64, init: w.positions, backend })
    await runner.run({ seed: 9, from: 300, to: 500 })
    t.strictSame(Float64Array.from(runner.state.position), r.positions, `${backend}: the steps after warmup are the tuned kernel's, from step 300 on`)
  }
})

t.test('the adapted run samples the target: means within 4 MCSE, acceptance near the target 0.8', async (t) => {
  const r = await sampler.sample(target, sampler.hmc({ stepSize: 0.05, leapfrogSteps: 8 }), { chains: 64, steps: 400, warmup: 400, seed: 2, init, adapt: { massMatrix: 'diagonal' }, keep: 'draws' })
  const [x, y] = diagnostics.summary(r.draws!, { chains: r.chains, names: ['x', 'y'] })
  t.ok(Math.abs(x.mean - 1) < 4 * x.mcseMean, `x: mean ${x.mean} ± ${x.mcseMean}`)
  t.ok(Math.abs(y.mean + 2) < 4 * y.mcseMean, `y: mean ${y.mean} ± ${y.mcseMean}`)
  t.ok(Math.abs(x.sd - 3) < 0.1 * 3 && Math.abs(y.sd - 0.3) < 0.1 * 0.3, `sds ${x.sd}, ${y.sd} (3 and 0.3)`)
  // Dual averaging holds the acceptance at its target while it adapts (the last fast window); the step
  // size it keeps is its averaged iterate, a little smaller, so the steps after warmup accept more often.
  const last = r.adaptation!.acceptance.subarray(-50)
  const adapting = last.reduce((a, b) => a + b, 0) / last.length
  t.ok(Math.abs(adapting - 0.8) < 0.05, `acceptance over warmup's last 50 iterations ${adapting}`)
  t.ok((r.statistics.acceptanceRate ?? NaN) >= adapting - 0.05, `acceptance after warmup ${r.statistics.acceptanceRate}`)
  // (No R-hat bound here: a fixed trajectory on a Gaussian is nearly antithetic, bulk ESS above the draws'
  // count, and the folded draws' tail R-hat then reads ~1.05 without any failure to mix.)
  t.ok(x.essBulk > 1000 && y.essBulk > 1000, `bulk ESS ${x.essBulk}, ${y.essBulk}`)
})

t.test('bad adapt options are refused with their name', async (t) => {
  const mala = sampler.mala({ stepSize: 0.1 })
  await t.rejects(sampler.sample(target, mala, { chains: 4, steps: 10, seed: 1, adapt: true }), { name: 'RangeError', message: 'sample: adapt: expected a warmup to adapt in (options.warmup ≥ 1), got "warmup 0"' })
  await t.rejects(sampler.sample(target, mala, { chains: 4, steps: 10, warmup: 10, seed: 1, adapt: { massMatrix: 'dense' } }), { name: 'RangeError', message: /^sample: adapt: massMatrix: expected 'identity' for a kernel without leapfrog steps/ })
  await t.rejects(sampler.sample(target, sampler.ula({ stepSize: 0.1 }), { chains: 4, steps: 10, warmup: 10, seed: 1, adapt: true }), { name: 'RangeError', message: /^sample: adapt: kernel: expected a kernel with a Metropolis test/ })
  await t.rejects(sampler.sample(target, mala, { chains: 4, steps: 10, warmup: 10, seed: 1, adapt: { stepSize: 1 } as never }), { name: 'RangeError', message: /^sample: adapt: unknown option 'stepSize'/ })
})
