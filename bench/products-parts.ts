/**
 * Where a ULA step's time goes on one point of the products grid (default 784→512, 256 chains, float32):
 * the whole step (sampler loop), the ∇ₓE tape alone, each of its large products alone (x·W1, h·W2, t·W2ᵀ,
 * t·W1ᵀ) as one-matmul tapes, and the four chained in one tape; on 1 and 2 threads, at the planner's row
 * blocks and at larger ones (the executor's blockRows option); and x·W1 with W1 changed before every run
 * (so packed every run).
 * GFLOP/s against the two-core FMA peak. Medians over rounds; every variant runs once per round.
 *
 *   npx tsx bench/products-parts.ts [--d 784] [--h 512] [--chains 256] [--rounds 5]
 */
import { loadavg } from 'node:os'
import * as ir from '../src/backend/ir.js'
import { nativeAddon } from '../src/backend/index.js'
import { energy } from '../src/index.js'
import { gridMlp, initOf, median, productFlops, ulaRate } from './mlp-grid.js'

const flag = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return Number(i >= 0 ? process.argv[i + 1] : fallback)
}
const D = flag('d', '784')
const H = flag('h', '512')
const C = flag('chains', '256')
const rounds = flag('rounds', '5')
const status = nativeAddon()
if (status.addon === undefined) throw new Error(`bench: the native addon is not built (${status.reason})`)
const addon = status.addon
const e = gridMlp(D, H)
const params = energy.init(e)
const fill = (n: number, s: number) => Float32Array.from({ length: n }, (_v, i) => 0.5 * Math.sin(s * (i + 1)))

// Seconds per call: the median of calls over about 0.2 s after one warm-up call.
const perCall = (run: () => void): number => {
  run()
  const xs: number[] = []
  const end = performance.now() + 200
  while (performance.now() < end || xs.length < 3) {
    const t0 = performance.now()
    run()
    xs.push((performance.now() - t0) / 1000)
  }
  return median(xs)
}

// One product a tape: A [C, k] by B [k, n], or by Wᵀ for a W [n, k] (the backward passes' path).
const product = (k: number, n: number, transposed: boolean) => {
  const a = ir.input('a', [C, k])
  const w = ir.param('w', transposed ? [n, k] : [k, n])
  const tape = ir.compile([ir.matmul(a, transposed ? ir.transpose(w) : w)], [a, w])
  return { tape, feeds: { a: fill(C * k, 0.37), w: fill(k * n, 0.11) }, flops: 2 * C * k * n }
}
// The four large products chained with nothing between them: what the tape's products cost together.
const chained = () => {
  const x = ir.input('a', [C, D])
  const [W1, W2] = [ir.param('W1', [D, H]), ir.param('W2', [H, H])]
  const y = ir.matmul(ir.matmul(ir.matmul(ir.matmul(x, W1), W2), ir.transpose(W2)), ir.transpose(W1))
  return { tape: ir.compile([y], [x, W1, W2]), feeds: { a: fill(C * D, 0.37), W1: fill(D * H, 0.11), W2: fill(H * H, 0.13) }, flops: 4 * C * (D * H + H * H) }
}
const program = energy.program(e, C)
const [dx] = ir.grad(ir.sum(program.energy), [program.x])
const gradient = {
  tape: ir.compile([dx], [program.x, ...program.paramList]),
  feeds: { x: Float32Array.from(initOf(C, D)), ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Float32Array.from(v)])) },
  flops: productFlops(D, H, C),
}
const parts = {
  '∇ₓE tape': gradient,
  'x·W1': product(D, H, false),
  'h·W2': product(H, H, false),
  't·W2ᵀ': product(H, H, true),
  't·W1ᵀ': product(H, D, true),
  'the four chained': chained(),
}
type Part = { tape: ir.Tape; feeds: Record<string, Float32Array>; flops: number }
const tapeRate = (p: Part, threads: number, blockRows?: number) => p.flops / perCall(() => ir.runTape(p.tape, p.feeds, { backend: 'native', dtype: 'float32', threads, blockRows })) / 1e9
const repacked = (threads: number) => {
  const p = parts['x·W1']
  const w = Float32Array.from(p.feeds.w)
  let turn = 0
  return p.flops / perCall(() => {
    w[0] = turn++ % 2 // a changed weight: the panels are packed again
    ir.runTape(p.tape, { ...p.feeds, w }, { backend: 'native', dtype: 'float32', threads })
  }) / 1e9
}
const stepRate = async (threads: number) => (productFlops(D, H, C) * (await ulaRate(e, C, threads, 0.3)).rate) / 1e9
const peakNow = () => (Math.max(...[0, 1, 2].map(() => {
  const r = addon.fmaPeak(2e7)
  return r.flops / r.seconds
})) * addon.hardwareThreads()) / 1e9

const got = new Map<string, number[]>()
const put = (k: string, v: number) => got.set(k, [...(got.get(k) ?? []), v])
console.log(`${D}→${H}→${H}→1, ${C} chains, float32; ${rounds} rounds; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
for (let round = 0; round < rounds; round++) {
  for (const threads of [1, 2]) {
    put(`ULA step (sampler loop)\u0000${threads}`, await stepRate(threads))
    for (const [name, p] of Object.entries(parts)) {
      put(`${name}, planned blocks\u0000${threads}`, tapeRate(p, threads))
      for (const rows of [96, 264]) put(`${name}, blockRows ${rows}\u0000${threads}`, tapeRate(p, threads, rows))
    }
    put(`x·W1 packed every run\u0000${threads}`, repacked(threads))
  }
  put('peak', peakNow())
}
const peak = median(got.get('peak')!)
console.log(`two-core FP32 peak ${peak.toFixed(0)} GFLOP/s (one core ${(peak / 2).toFixed(0)}); load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
console.log('| what | GFLOP/s, 1 thread (% of one core) | GFLOP/s, 2 threads (% of two cores) | 2t ÷ 1t |\n| --- | ---: | ---: | ---: |')
const names = [...new Set([...got.keys()].filter((k) => k !== 'peak').map((k) => k.split('\u0000')[0]))]
for (const name of names) {
  const [g1, g2] = [1, 2].map((t) => median(got.get(`${name}\u0000${t}`)!))
  console.log(`| ${name} | ${g1.toFixed(1)} (${((200 * g1) / peak).toFixed(0)}%) | ${g2.toFixed(1)} (${((100 * g2) / peak).toFixed(0)}%) | ${(g2 / g1).toFixed(2)} |`)
}
