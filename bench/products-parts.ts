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
import { chainedProducts, filled, flag, gradientTapeOf, gridMlp, median, perCall, productFlops, tapeRate, twoCorePeak, ulaRate, type TimedTape } from './mlp-grid.js'

const D = Number(flag('d', '784'))
const H = Number(flag('h', '512'))
const C = Number(flag('chains', '256'))
const rounds = Number(flag('rounds', '5'))
const status = nativeAddon()
if (status.addon === undefined) throw new Error(`bench: the native addon is not built (${status.reason})`)
const addon = status.addon
const e = gridMlp(D, H)
// One product a tape: A [C, k] by B [k, n], or by Wᵀ for a W [n, k] (the backward passes' path).
const product = (k: number, n: number, transposed: boolean): TimedTape => {
  const a = ir.input('a', [C, k])
  const w = ir.param('w', transposed ? [n, k] : [k, n])
  const tape = ir.compile([ir.matmul(a, transposed ? ir.transpose(w) : w)], [a, w])
  return { tape, feeds: { a: filled(C * k, 0.37), w: filled(k * n, 0.11) }, flops: 2 * C * k * n }
}
const gradient = gradientTapeOf(e, C, productFlops(D, H, C))
const parts = {
  '∇ₓE tape': gradient,
  'x·W1': product(D, H, false),
  'h·W2': product(H, H, false),
  't·W2ᵀ': product(H, H, true),
  't·W1ᵀ': product(H, D, true),
  'the four chained': chainedProducts(D, H, C),
}
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
  put('peak', twoCorePeak(addon))
}
const peak = median(got.get('peak')!)
console.log(`two-core FP32 peak ${peak.toFixed(0)} GFLOP/s (one core ${(peak / 2).toFixed(0)}); load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
console.log('| what | GFLOP/s, 1 thread (% of one core) | GFLOP/s, 2 threads (% of two cores) | 2t ÷ 1t |\n| --- | ---: | ---: | ---: |')
const names = [...new Set([...got.keys()].filter((k) => k !== 'peak').map((k) => k.split('\u0000')[0]))]
for (const name of names) {
  const [g1, g2] = [1, 2].map((t) => median(got.get(`${name}\u0000${t}`)!))
  console.log(`| ${name} | ${g1.toFixed(1)} (${((200 * g1) / peak).toFixed(0)}%) | ${g2.toFixed(1)} (${((100 * g2) / peak).toFixed(0)}%) | ${(g2 / g1).toFixed(2)} |`)
}
