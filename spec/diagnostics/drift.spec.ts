import t from 'tap'
import * as diagnostics from '../../src/diagnostics/index.js'
import { normals, uniforms } from '../../src/rng/index.js'

const delays = (runs: number, before: number, after: number, shift: number, sd: number, o: diagnostics.PageHinkleyOptions): number[] =>
  Array.from({ length: runs }, (_v, run) => {
    const values = normals(7, run, 0, before + after).map((z, i) => 1 + (i >= before ? shift : 0) + sd * z)
    const [first] = diagnostics.detectDrifts(diagnostics.pageHinkley(o), values)
    return first === undefined ? Infinity : first.index - before
  })

t.test("Page–Hinkley finds a mean shift Δ after about λ/(Δ − δ) records, not before it", async (t) => {
  // Δ = 1.5, δ = 0.25, λ = 20, σ = 0.7: after the shift the sum rises by Δ − δ a record (less a little,
  // as the running mean takes in the new values) plus noise, from a head start above its minimum of about
  // σ²/(2δ) (the mean of a random walk with drift −δ reflected at its minimum); it crosses λ after about
  // (λ − σ²/(2δ))/(Δ − δ) = 15.2 records, and its overshoot of λ adds at most about (Δ + 3σ)/(Δ − δ).
  const [shift, delta, threshold, sd] = [1.5, 0.25, 20, 0.7]
  const d = delays(200, 2000, 200, shift, sd, { delta, threshold, alpha: 1 })
  t.ok(d.every((v) => v >= 0), `no alarm before the shift (first delays ${d.slice(0, 5)})`)
  const mean = d.reduce((a, v) => a + v, 0) / d.length
  const mcse = Math.sqrt(d.reduce((a, v) => a + (v - mean) ** 2, 0) / (d.length - 1) / d.length)
  const low = (threshold - sd ** 2 / (2 * delta)) / (shift - delta)
  const high = (threshold + shift + 3 * sd) / (shift - delta)
  t.ok(mean > low - 4 * mcse && mean < high + 4 * mcse, `mean delay ${mean} ± ${mcse} in [${low}, ${high}]`)
})

t.test('ADWIN signals at a check of a stationary stream with probability at most δ', async (t) => {
  // 40 streams of 20,000 uniforms (range 1) in blocks of 32: 25,000 checks, each a false alarm with
  // probability ≤ δ = 0.01, so at most 250 alarms expected; 4 standard errors of a binomial above that.
  const delta = 0.01
  let alarms = 0
  let checks = 0
  for (let run = 0; run < 40; run++) {
    alarms += diagnostics.detectDrifts(diagnostics.adwin({ delta }), uniforms(11, run, 0, 20_000)).length
    checks += 20_000 / 32
  }
  const bound = delta * checks + 4 * Math.sqrt(delta * (1 - delta) * checks)
  t.ok(alarms <= bound, `${alarms} alarms in ${checks} checks, bound ${bound}`)
})

t.test('ADWIN finds a jump of the mean by more than its bound within two checks, and its window keeps the new values', async (t) => {
  const ad = diagnostics.adwin({ delta: 0.002 })
  const u = uniforms(12, 0, 0, 4000)
  let s = ad.init()
  const at: number[] = []
  for (let i = 0; i < 4000; i++) {
    const [next, drift] = ad.update(s, 0.5 * u[i] + (i < 3000 ? 0 : 0.4))
    if (drift !== null) at.push(i)
    s = next
  }
  t.ok(at.length > 0 && at[0] >= 3000 && at[0] < 3064, `alarms at ${at}`)
  t.ok(s.width <= 1000 + 64, `window ${s.width} after the jump`)
  t.ok(Math.abs(s.sum / s.width - 0.65) < 0.05, `window mean ${s.sum / s.width} against 0.65`)
})
