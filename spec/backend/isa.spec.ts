import { spawnSync } from 'node:child_process'
import t from 'tap'

const tsx = import.meta.resolve('tsx')
const programs = new URL('./programs.ts', import.meta.url).href
const ir = new URL('../../src/ir/index.ts', import.meta.url).href
const backend = new URL('../../src/backend/index.ts', import.meta.url).href

// Each instruction set's kernels (chosen once per process) checked in a child process of its own.
const child = `
import { mlpProgram, scaledError, sameBits } from ${JSON.stringify(programs)}
import * as ir from ${JSON.stringify(ir)}
import { evaluate, nativeAddon } from ${JSON.stringify(backend)}
const { tape, feeds } = mlpProgram(333, 20)
const want = ir.evaluate(tape, feeds)
const f32 = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, Float64Array.from(Float32Array.from(v))]))
const want32 = ir.evaluate(tape, f32)
const e64 = Math.max(...evaluate(tape, feeds, { backend: 'native' }).map((o, k) => scaledError(o, want[k])))
const e32 = Math.max(...evaluate(tape, f32, { backend: 'native', dtype: 'float32' }).map((o, k) => scaledError(o, want32[k])))
const a = evaluate(tape, f32, { backend: 'native', dtype: 'float32', threads: 1 })
const b = evaluate(tape, f32, { backend: 'native', dtype: 'float32', threads: 3, blockRows: 5 })
console.log(JSON.stringify({ isa: nativeAddon().addon.isa(), e64, e32, same: a.every((o, k) => sameBits(o, b[k])) }))
`

for (const isa of ['generic', 'avx2', 'avx512']) {
  t.test(`the ${isa} kernels match the reference and are deterministic`, async (t) => {
    const r = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', child], { encoding: 'utf8', env: { ...process.env, HEATBATH_ISA: isa } })
    t.equal(r.status, 0, r.stderr)
    const report = JSON.parse(r.stdout) as { isa: string; e64: number; e32: number; same: boolean }
    // HEATBATH_ISA only lowers the choice: a machine without AVX-512 runs avx2 when asked for avx512.
    t.ok(['generic', 'avx2', 'avx512'].indexOf(report.isa) <= ['generic', 'avx2', 'avx512'].indexOf(isa), `ran ${report.isa}`)
    t.ok(report.e64 <= 1e-9, `float64 error ${report.e64}`)
    t.ok(report.e32 <= 1e-4, `float32 error ${report.e32}`)
    t.ok(report.same, 'bitwise identical across threads and blocks')
  })
}
