/**
 * The reflect block: its fold (mirrors at both faces, period 2(high − low)), the same values on both
 * runners however far a chain strays, and what it samples: a reflected random walk on a flat energy is
 * uniform on the box, and a random-walk Metropolis proposal followed by reflect samples a Gaussian
 * truncated to the box exactly. Tolerances are 4 Monte Carlo standard errors of i.i.d. draws: many
 * independent chains, each run long past its relaxation time, one draw per coordinate at the end (the
 * coordinates of a chain are independent under a product target).
 */
import { pipe } from 'fp-ts/lib/function.js'
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import * as sampler from '../../src/sampler/index.js'
import { folded } from '../../src/sampler/blocks/reflect.js'
import { samplerAddon } from '../../src/sampler/native.js'

const native = samplerAddon().addon !== undefined
const backends = native ? (['reference', 'native'] as const) : (['reference'] as const)

t.test('folded mirrors a coordinate at each face, with period 2(high − low), and leaves the inside alone', async (t) => {
  const [low, high] = [-0.5, 1.5]
  let mirror = 0
  let period = 0
  let moved = 0
  for (let i = 0; i <= 200; i++) {
    const d = (i / 200) * 2 // 0 … the width
    mirror = Math.max(mirror, Math.abs(folded(high + d, low, high) - (high - d)), Math.abs(folded(low - d, low, high) - (low + d)))
    const x = low + d
    if (folded(x, low, high) !== x) moved++
    for (const k of [-3, -1, 1, 2, 7]) period = Math.max(period, Math.abs(folded(x + 4 * k, low, high) - x))
  }
  t.ok(mirror < 1e-12, `x at a distance d past a face lands at d inside it (worst ${mirror.toExponential(2)})`)
  t.ok(period < 1e-11, `x + 2k(high − low) lands where x does (worst ${period.toExponential(2)})`)
  t.equal(moved, 0, 'a coordinate inside the box keeps its exact value')
  t.ok(Number.isNaN(folded(NaN, 0, 1)) && Number.isNaN(folded(Infinity, 0, 1)), 'a non-finite coordinate stays non-finite (the chain is then frozen)')
})

// E = 0: the tape still gives every chain an energy and a (zero) gradient.
const flat = energy.define({ name: 'flat', shape: [2], build: (x) => ir.mul(ir.sum(x, 1), 0) })

t.test('a random walk reflected into [0, 1]² on a flat energy is uniform: mean ½ and variance 1/12 per coordinate', async (t) => {
  const chains = 4000
  const n = chains * 2
  const kernel = sampler.sequence(sampler.noise({ scale: 0.3 }), sampler.reflect({ low: 0, high: 1 }))
  for (const backend of backends) {
    // From ½, the slowest mode that moves the variance, cos(2πx), shrinks by exp(−(2π)²·0.3²/2) ≈ 0.49 a
    // step: after 100 steps nothing of the start is left.
    const r = await sampler.sample(flat, kernel, { chains, steps: 100, seed: 31, init: new Float64Array(n).fill(0.5), backend })
    t.ok(r.positions.every((x) => x >= 0 && x <= 1), `${backend}: every chain in the box`)
    let mean = 0
    let variance = 0
    for (const x of r.positions) {
      mean += x / n
      variance += (x - 0.5) ** 2 / n
    }
    // Uniform draws: sd of the mean √(1/12/n); of the mean square about ½, √((E(x−½)⁴ − (1/12)²)/n) = √((1/80 − 1/144)/n).
    const meanError = Math.sqrt(1 / 12 / n)
    const varianceError = Math.sqrt((1 / 80 - 1 / 144) / n)
    t.ok(Math.abs(mean - 0.5) < 4 * meanError, `${backend}: mean ${mean.toFixed(5)} vs 0.5 ± ${meanError.toFixed(5)}`)
    t.ok(Math.abs(variance - 1 / 12) < 4 * varianceError, `${backend}: variance ${variance.toFixed(5)} vs ${(1 / 12).toFixed(5)} ± ${varianceError.toFixed(5)}`)
  }
})

// The moments of N(m, σ²) truncated to [low, high], by Simpson's rule on 20 000 intervals (error ~1e-15).
const truncatedMoments = (m: number, sigma: number, low: number, high: number) => {
  const intervals = 20_000
  const h = (high - low) / intervals
  const moment = (f: (x: number) => number) => {
    let s = 0
    for (let i = 0; i <= intervals; i++) {
      const x = low + i * h
      s += (i === 0 || i === intervals ? 1 : i % 2 ? 4 : 2) * f(x) * Math.exp(-((x - m) ** 2) / (2 * sigma * sigma))
    }
    return (s * h) / 3
  }
  const z = moment(() => 1)
  const mean = moment((x) => x) / z
  const variance = moment((x) => (x - mean) ** 2) / z
  const fourth = moment((x) => (x - mean) ** 4) / z
  return { mean, variance, fourth }
}

t.test('random-walk Metropolis with a reflected proposal samples a Gaussian truncated to the box exactly', async (t) => {
  // E = ‖x − m‖²/(2s²) at T = 0.6 on [−0.5, 1.5]²: the target is N(m, s²T) truncated to the box, its mean
  // well off the box's centre and its faces within a standard deviation or two.
  const [m, s, T, low, high] = [0.8, 0.7, 0.6, -0.5, 1.5]
  const gaussian = energy.define({
    name: 'gaussian',
    shape: [2],
    build: (x) => ir.mul(ir.sum(ir.square(ir.sub(x, m)), 1), 1 / (2 * s * s)),
  })
  const want = truncatedMoments(m, s * Math.sqrt(T), low, high)
  const kernel = pipe(sampler.sequence(sampler.noise({ scale: 0.5 }), sampler.reflect({ low, high })), sampler.metropolis({ temperature: T }))
  t.equal(kernel.correction, 'symmetric')
  const chains = 4000
  const n = chains * 2
  for (const backend of backends) {
    const r = await sampler.sample(gaussian, kernel, { chains, steps: 300, seed: 57, init: new Float64Array(n).fill(0.5), backend })
    let mean = 0
    let variance = 0
    for (const x of r.positions) {
      mean += x / n
      variance += (x - want.mean) ** 2 / n
    }
    // i.i.d. draws: sd of the mean √(var/n); of the mean square about the exact mean √((μ₄ − var²)/n).
    const meanError = Math.sqrt(want.variance / n)
    const varianceError = Math.sqrt((want.fourth - want.variance ** 2) / n)
    t.ok(Math.abs(mean - want.mean) < 4 * meanError, `${backend}: mean ${mean.toFixed(5)} vs ${want.mean.toFixed(5)} ± ${meanError.toFixed(5)}`)
    t.ok(Math.abs(variance - want.variance) < 4 * varianceError, `${backend}: variance ${variance.toFixed(5)} vs ${want.variance.toFixed(5)} ± ${varianceError.toFixed(5)}`)
    const acceptance = r.statistics.acceptanceRate ?? NaN
    t.ok(acceptance > 0.2 && acceptance < 0.95, `${backend}: acceptance ${acceptance.toFixed(3)}`)
  }
})

t.test('far excursions fold the same on both runners', { skip: native ? false : 'the native addon is not built' }, async (t) => {
  const chains = 300
  const kernel = sampler.sequence(sampler.noise({ scale: 5 }), sampler.reflect({ low: -0.25, high: 0.5 }))
  const options = { chains, steps: 10, seed: 8, init: Float64Array.from({ length: chains * 2 }, (_v, i) => 3 * Math.sin(i)) }
  const ref = await sampler.sample(flat, kernel, { ...options, backend: 'reference' })
  const nat = await sampler.sample(flat, kernel, { ...options, backend: 'native', threads: 2 })
  t.strictSame(nat.positions, ref.positions)
  t.ok(ref.positions.every((x) => x >= -0.25 && x <= 0.5))
})
