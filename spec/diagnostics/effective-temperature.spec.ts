import t from 'tap'
import { effectiveTemperature, langevinStability } from '../../src/diagnostics/effective-temperature.js'
import { normals } from './seeded.js'

t.test('effectiveTemperature is T·2/(2 − hλ), and Infinity from hλ = 2', async (t) => {
  t.equal(effectiveTemperature(0.1, 10), 2)
  t.equal(effectiveTemperature(0.05, 10, 0.5), 0.5 * 2 / 1.5)
  t.equal(effectiveTemperature(0.2, 10), Infinity)
  t.throws(() => effectiveTemperature(-1, 1), { name: 'RangeError', message: 'effectiveTemperature: stepSize: expected a positive number, got -1' })
  t.throws(() => effectiveTemperature(0.1, NaN), { name: 'RangeError', message: 'effectiveTemperature: curvature: expected a finite number, got NaN' })
})

t.test('ULA on a quadratic samples at the effective temperature', async (t) => {
  const a = 4
  const n = 100000
  for (const ah of [0.5, 1.5]) {
    const h = ah / a
    const noise = normals(ah * 10, n)
    let x = 0
    let sum = 0
    for (let i = 0; i < n; i++) {
      x = x - h * a * x + Math.sqrt(2 * h) * noise[i]
      sum += x * x
    }
    const want = effectiveTemperature(h, a) / a
    // the chain is AR(1) with φ = 1 − ah = ±0.5, so x² has ESS ≥ n/3; sd of the variance ≈ want·√(2/ESS); 4 sd
    t.ok(Math.abs(sum / n - want) < 4 * want * Math.sqrt(2 / (n / 3)), `a·h=${ah}: ${sum / n} vs ${want}`)
  }
})

t.test('langevinStability warns as h·λ_max approaches 2 and says when the chain diverges', async (t) => {
  const calm = langevinStability(0.05, 10)
  t.equal(calm.warning, undefined)
  t.equal(calm.diverges, false)
  t.equal(calm.stepCurvature, 0.5)
  const near = langevinStability(0.185, 10)
  t.match(near.warning, /is near 2/)
  t.equal(near.diverges, false)
  const over = langevinStability(0.25, 10, { temperature: 2 })
  t.equal(over.diverges, true)
  t.equal(over.effectiveTemperature, Infinity)
  t.match(over.warning, /diverges .* step below 0.2/)
  t.equal(langevinStability(0.15, 10, { warnAt: 1.4 }).diverges, false)
  t.match(langevinStability(0.15, 10, { warnAt: 1.4 }).warning, /near 2/)
})
