/**
 * Run by products-bits.spec.ts once per instruction set (HEATBATH_ISA, chosen once per process): runs every
 * case of products.ts in float32 and float64 with threads 1 and 2 and the planner's row blocks, 5, 24 and
 * 96 rows (and 3 threads at the planner's blocks), and prints one JSON line: per output, the sha256 of its
 * bits at threads 1 and the planner's blocks, the settings whose bits differ from those, and its worst
 * error as a fraction of its bound.
 * With --digests it prints only the digests (how spec/fixtures/products-bits/digests.json was written).
 */
import { createHash } from 'node:crypto'
import { nativeAddon, runTape } from '../../src/backend/index.js'
import * as ir from '../../src/ir/index.js'
import { gamma, pinned, type ProductResult, productCases, unitRoundoff } from './products.js'

// Three threads split work unevenly (a last share of another size than the others).
const settings = [...[1, 2].flatMap((threads) => [undefined, 5, 24, 96].map((blockRows) => ({ threads, blockRows }))), { threads: 3, blockRows: undefined }]
const digest = (a: Float32Array | Float64Array) => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex').slice(0, 16)

/** The largest |got − want| / bound over the entries (Infinity where a bound of 0 is missed). */
const worstRatio = (got: ArrayLike<number>, want: ArrayLike<number>, bound: ArrayLike<number>): number => {
  let worst = 0
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i])
    if (d > 0) worst = Math.max(worst, bound[i] > 0 ? d / bound[i] : Infinity)
  }
  return worst
}

const results: ProductResult[] = []
for (const c of productCases()) {
  const want = ir.runReference(c.tape, c.feeds)
  const magnitude = ir.runReference(c.magnitude, Object.fromEntries(Object.entries(c.feeds).map(([k, v]) => [k, v.map(Math.abs)])))
  for (const dtype of ['float32', 'float64'] as const) {
    const runs = settings.map((s) => runTape(c.tape, c.feeds, { backend: 'native', dtype, ...s }))
    c.outputs.forEach((name, o) => {
      // The native run's error and the reference's own (float64) error, each within γ(terms) of the magnitude.
      const g = gamma(c.terms[o], unitRoundoff[dtype]) + gamma(c.terms[o], unitRoundoff.float64)
      const bound = magnitude[o].map((x) => g * x)
      const digests = runs.map((r) => digest(r[o]))
      const differing = settings.filter((_s, j) => digests[j] !== digests[0]).map((s) => `threads ${s.threads}, blockRows ${s.blockRows ?? 'planned'}`)
      results.push({ output: `${c.name} ${name}`, dtype, digest: digests[0], differing, ratio: worstRatio(runs[0][o], want[o], bound) })
    })
  }
}
// With --digests, only the pinned digests, as spec/fixtures/products-bits/digests.json holds them.
if (process.argv.includes('--digests')) console.log(JSON.stringify(Object.fromEntries(results.filter((r) => pinned(r.output)).map((r) => [`${r.output} ${r.dtype}`, r.digest])), null, 1))
else console.log(JSON.stringify({ isa: nativeAddon().addon?.isa(), results }))
