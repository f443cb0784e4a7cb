import { spawnSync } from 'node:child_process'
import t from 'tap'

const tsx = import.meta.resolve('tsx')
const programs = new URL('./programs.ts', import.meta.url).href
const ir = new URL('../../src/ir/index.ts', import.meta.url).href
const backend = new URL('../../src/backend/index.ts', import.meta.url).href

// Each instruction set's kernels (chosen once per process) checked in a child process of its own.
const child = `
import { chainProgram, mlpProgram, scaledError, sameBits } from ${JSON.stringify(programs)}
import * as ir from ${JSON.stringify(ir)}
import { runTape, nativeAddon } from ${JSON.stringify(backend)}
const { tape, feeds } = mlpProgram(333, 20)
const want = ir.runReference(tape, feeds)
const f32 = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, Float64Array.from(Float32Array.from(v))]))
const want32 = ir.runReference(tape, f32)
const e64 = Math.max(...runTape(tape, feeds, { backend: 'native' }).map((o, k) => scaledError(o, want[k])))
const e32 = Math.max(...runTape(tape, f32, { backend: 'native', dtype: 'float32' }).map((o, k) => scaledError(o, want32[k])))
const a = runTape(tape, f32, { backend: 'native', dtype: 'float32', threads: 1 })
const b = runTape(tape, f32, { backend: 'native', dtype: 'float32', threads: 3, blockRows: 5 })
// float32 exp, sigmoid and silu against float64 over [−104, 89] (e^x from 0 to overflow), in units in the
// last place of the float32 result (subnormal results: in units of the least subnormal).
const n = 200001
const xs = Float32Array.from({ length: n }, (_v, i) => -104 + (193 * i) / (n - 1))
const sweep = ir.input('x', [n])
const [ex, sg, sl] = runTape(ir.compile([ir.exp(sweep), ir.sigmoid(sweep), ir.silu(sweep)], [sweep]), { x: xs }, { backend: 'native', dtype: 'float32' })
const sigmoid = (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)))
const ulps = (got, f) => {
  let worst = 0
  for (let i = 0; i < n; i++) {
    const w = f(xs[i])
    if (!(Math.abs(w) <= 3.4028234663852886e38)) continue  // overflow: covered by the special-value spec
    const ulp = Math.abs(w) < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(Math.abs(w))) - 23)
    worst = Math.max(worst, Math.abs(got[i] - w) / ulp)
  }
  return worst
}
// silu is x·σ(x): where σ(x) is subnormal (x < −87.3) the product inherits σ's lost bits, so it is left out.
// log over every binade, subnormals included, and densely over [0.5, 2] where log crosses 0.
const logXs = Float32Array.from({ length: n }, (_v, i) => (i < n / 2 ? 2 ** (-149 + (277 * i) / (n / 2)) : 0.5 + (1.5 * (i - n / 2)) / (n / 2)))
const [lg] = runTape(ir.compile([ir.log(sweep)], [sweep]), { x: logXs }, { backend: 'native', dtype: 'float32' })
const ulpsAt = (inputs, got, f) => {
  let worst = 0
  for (let i = 0; i < n; i++) {
    const w = f(inputs[i])
    if (w === 0) { if (got[i] !== 0) worst = Infinity; continue }
    if (!(Math.abs(w) <= 3.4028234663852886e38)) continue  // overflow: covered by the special-value spec
    const ulp = Math.abs(w) < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(Math.abs(w))) - 23)
    worst = Math.max(worst, Math.abs(got[i] - w) / ulp)
  }
  return worst
}
const ulp = { exp: ulps(ex, Math.exp), sigmoid: ulps(sg, sigmoid), silu: ulps(sl, (v) => (v < -87.3 ? NaN : v * sigmoid(v))), log: ulpsAt(logXs, lg, Math.log) }
// Chains of arithmetic (run in registers) give the reference's bits on every instruction set.
const chain = chainProgram(333, 128)
const chainWant = ir.runReference(chain.tape, chain.feeds)
const chainSame = runTape(chain.tape, chain.feeds, { backend: 'native' }).every((o, k) => sameBits(o, chainWant[k]))
console.log(JSON.stringify({ isa: nativeAddon().addon.isa(), e64, e32, same: a.every((o, k) => sameBits(o, b[k])), ulp, chainSame }))
`

for (const isa of ['generic', 'avx2', 'avx512']) {
  t.test(`the ${isa} kernels match the reference and are deterministic`, async (t) => {
    const r = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', child], { encoding: 'utf8', env: { ...process.env, HEATBATH_ISA: isa } })
    t.equal(r.status, 0, r.stderr)
    const report = JSON.parse(r.stdout) as { isa: string; e64: number; e32: number; same: boolean; chainSame: boolean; ulp: { exp: number; sigmoid: number; silu: number; log: number } }
    // HEATBATH_ISA only lowers the choice: a machine without AVX-512 runs avx2 when asked for avx512.
    t.ok(['generic', 'avx2', 'avx512'].indexOf(report.isa) <= ['generic', 'avx2', 'avx512'].indexOf(isa), `ran ${report.isa}`)
    t.ok(report.e64 <= 1e-9, `float64 error ${report.e64}`)
    t.ok(report.e32 <= 1e-4, `float32 error ${report.e32}`)
    t.ok(report.same, 'bitwise identical across threads and blocks')
    t.ok(report.chainSame, 'chains of arithmetic bitwise equal to the reference')
    // The Taylor polynomial of e^r stops at r^6: its remainder, under 1.2e-7 relative for |r| ≤ ln2/2, is
    // about one ulp, and the reduction and the polynomial's roundings add one or two more (measured: 2.6
    // on avx2/avx512, 2.9 generic, where nothing is fused). σ adds the rounding of 1 + e and of a division
    // and silu that of a product: one more ulp each at most (measured 3.5 and 4.2).
    t.ok(report.ulp.exp <= 3, `exp within 3 ulp (${report.ulp.exp.toFixed(2)})`)
    t.ok(report.ulp.sigmoid <= 4, `sigmoid within 4 ulp (${report.ulp.sigmoid.toFixed(2)})`)
    t.ok(report.ulp.silu <= 5, `silu within 5 ulp (${report.ulp.silu.toFixed(2)})`)
    // log: Cephes' polynomial is good to about 1e-7 relative on [√½, √2) and e·ln2 is added in two parts
    // (measured 0.8 ulp on avx2/avx512; generic calls glibc's logf, also 0.8 on this sweep).
    t.ok(report.ulp.log <= 1, `log within 1 ulp (${report.ulp.log.toFixed(2)})`)
  })
}
