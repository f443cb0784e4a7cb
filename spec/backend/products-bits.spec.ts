import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { blockShapes, ks, mlpShapes, ms, ns, pinned, type ProductResult, productShapes } from './products.js'

// Each entry of a matrix product sums its k products in one order (blocks of KC = 256, fused multiply-adds in
// sequence inside a block, each block added to the running sum, the bias last) whatever the vector width,
// the blocking or the thread: so 256-bit and 512-bit kernels give the same bits, and so does every thread
// count and row block. The generic kernels do not fuse, so their bits differ legitimately; they are held to
// the reference only.
interface Report {
  isa: string
  results: ProductResult[]
}

const child = fileURLToPath(new URL('./products-bits-child.ts', import.meta.url))
// The children record no coverage (as in bench/memory.ts): tsx's source maps of their files, merged into
// the run's coverage, would count comment lines as statements never run.
const { NODE_V8_COVERAGE: _coverage, NODE_OPTIONS: _options, ...env } = process.env
// Each instruction set, and AVX-512 with every segment forced each way the executor has (its threads taking
// whole row blocks, or sharing each product's columns: HEATBATH_SEGMENTS; by default it chooses per segment).
const runs: [name: string, isa: string, segments?: string][] = [
  ['generic', 'generic'],
  ['avx2', 'avx2'],
  ['avx512', 'avx512'],
  ['avx512, shared products', 'avx512', 'shared'],
  ['avx512, row blocks', 'avx512', 'blocks'],
]
const reports = new Map<string, Report & { asked: string }>()
for (const [name, isa, segments] of runs) {
  const forced = segments === undefined ? {} : { HEATBATH_SEGMENTS: segments }
  const r = spawnSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8', env: { ...env, _TAPJS_PROCESSINFO_COVERAGE_: '0', HEATBATH_ISA: isa, ...forced }, timeout: 120_000 })
  t.equal(r.status, 0, `the ${name} child exited cleanly: ${r.stderr.slice(-1000)}`)
  if (r.status === 0) reports.set(name, { ...(JSON.parse(r.stdout) as Report), asked: isa })
}

t.test('the shapes hold every listed m, k and n, and K beyond one block on full tiles', async (t) => {
  const shapes = productShapes()
  t.same(ms.filter((m) => !shapes.some((s) => s[0] === m)), [], 'every m')
  t.same(ks.filter((k) => !shapes.some((s) => s[1] === k)), [], 'every k')
  t.same(ns.filter((n) => !shapes.some((s) => s[2] === n)), [], 'every n')
  t.ok(blockShapes.some(([m, k, n]) => m >= 12 && k > 512 && n >= 32), 'a product of whole 12-row tiles over three blocks of k')
  t.ok(mlpShapes.some(([, D]) => D > 512), 'an MLP whose first product spans three blocks of k')
})

for (const [isa, report] of reports) {
  t.test(`${isa}: the same bits for threads 1, 2, 3 and row blocks of 5, 24, 96 and the planner's`, async (t) => {
    // HEATBATH_ISA only lowers the choice: a machine without AVX-512 runs avx2 when asked for avx512.
    t.ok(['generic', 'avx2', 'avx512'].indexOf(report.isa) <= ['generic', 'avx2', 'avx512'].indexOf(report.asked), `ran ${report.isa}`)
    t.same(report.results.filter((r) => r.differing.length > 0).map((r) => `${r.output} ${r.dtype}: ${r.differing.join('; ')}`), [])
  })

  t.test(`${isa}: every entry within γ(terms)·|A|·|B| of the float64 reference`, async (t) => {
    // γ(n) = n·u/(1 − n·u) bounds a sum of n rounded terms in any order relative to the sum of their
    // magnitudes (products.ts says how many roundings each case counts): a ratio over 1 is a wrong sum, not
    // rounding. The reference's own float64 rounding is added to the bound.
    const over = report.results.filter((r) => !(r.ratio <= 1))
    t.same(over.map((r) => `${r.output} ${r.dtype}: ${r.ratio.toFixed(2)} of the bound`), [])
    t.ok(report.results.length > 300, `${report.results.length} outputs checked`)
  })
}

t.test('avx2 and avx512 give the bits the kernels gave before the blocked products (issue 18)', async (t) => {
  // Digests of the 256-bit kernels and of the first 512-bit ones (b649069), where the sums already had their
  // fixed order: a new blocking, panel size or thread split must keep every one of them (the MLPs' outputs
  // aside: see pinned).
  const fixture = fileURLToPath(new URL('../fixtures/products-bits/digests.json', import.meta.url))
  const before = JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, string>
  for (const [isa, report] of reports) {
    if (report.asked === 'generic' || report.isa === 'generic') continue
    const results = report.results.filter((r) => pinned(r.output))
    t.equal(results.length, Object.keys(before).length, `${isa}: as many outputs as the fixture`)
    t.same(results.filter((r) => before[`${r.output} ${r.dtype}`] !== r.digest).map((r) => `${r.output} ${r.dtype}`), [], `${isa}: outputs whose bits changed`)
  }
})

t.test('avx512 gives the bits of avx2, output by output', async (t) => {
  const avx2 = reports.get('avx2')
  const avx512 = reports.get('avx512')
  if (avx2 === undefined || avx512 === undefined) return t.fail('a child failed')
  if (avx512.isa !== 'avx512') return t.pass(`nothing to compare: this machine has no AVX-512 (ran ${avx512.isa})`)
  t.equal(avx512.results.length, avx2.results.length)
  const differ = avx512.results.filter((r, j) => r.digest !== avx2.results[j].digest).map((r) => `${r.output} ${r.dtype}`)
  t.same(differ, [], 'outputs whose bits differ')
})

t.test('segments give the same bits with their products shared by the threads or in row blocks', async (t) => {
  const chosen = reports.get('avx512')
  if (chosen === undefined) return t.fail('a child failed')
  for (const name of ['avx512, shared products', 'avx512, row blocks']) {
    const forced = reports.get(name)
    if (forced === undefined) return t.fail(`the ${name} child failed`)
    t.same(forced.results.filter((r, j) => r.digest !== chosen.results[j].digest).map((r) => `${r.output} ${r.dtype}`), [], `${name}: outputs whose bits differ`)
  }
})
