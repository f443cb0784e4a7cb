/**
 * The products grid of issue 18: the ULA step on the MLP energy D→H→H→1 (SiLU, float32, ∇ₓE by the tape)
 * for D ∈ {2, 64, 784, 3072}, H ∈ {128, 512, 1024}, chains ∈ {64, 256, 1024, 4096}. For each point:
 * GFLOP/s of the products (4·C·(D·H + H² + H) per step, bench/mlp-grid.ts) and % of the measured two-core
 * FP32 peak for heatbath's native loop (1 and 2 threads), PyTorch (1 and 2 threads) and OpenBLAS sgemm alone
 * on the step's six products (numpy float32 matmul, 1 and 2 threads); and the run's working set (item 4).
 *
 *   npx tsx bench/products.ts [--d 64,784] [--h 512] [--chains 256,1024] [--rounds 3] [--seconds 0.3] [--json run.json]
 *
 * Every point is measured in rounds; a round runs each system once per thread setting (a turn of about
 * --seconds), the order of heatbath and the peers alternating from round to round, and the FMA probe once.
 * The table gives medians over rounds; the ratio heatbath ÷ PyTorch is taken within each round (best thread
 * setting of each) and its median reported, and so is heatbath's 1 → 2 thread speed-up (the two settings run
 * back to back, their order alternating from round to round, so that the host's drift over a round does
 * not favour one). The peers run in one Python process (bench/peers/torch_products.py).
 * With --json, the medians are also written to a file (ProductsRun), which bench/products-plot.ts draws.
 */
import { writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { nativeAddon } from '../src/backend/index.js'
import { peerServer } from './peer-server.js'
import { bytes, flag, gridMlp, listFlag, median, productFlops, twoCorePeak, ulaRate, workingSet } from './mlp-grid.js'
import type { ProductsPoint, ProductsRun, SystemResult } from './products-plot.js'

const here = dirname(fileURLToPath(import.meta.url))
const Ds = listFlag('d', '2,64,784,3072')
const Hs = listFlag('h', '128,512,1024')
const Cs = listFlag('chains', '64,256,1024,4096')
const rounds = Number(flag('rounds', '3'))
const seconds = Number(flag('seconds', '0.3'))
const json = flag('json', '')

const status = nativeAddon()
if (status.addon === undefined) throw new Error(`bench: the native addon is not built (${status.reason})`)
const addon = status.addon


type Systems = 'hb1' | 'hb2' | 'torch1' | 'torch2' | 'blas1' | 'blas2'
const server = peerServer(['peers/torch_products.py'], here)
const peerRate = async (what: 'step' | 'sgemm', D: number, H: number, C: number, threads: number) =>
  (await server.ask<{ rate: number }>(`${what} ${D} ${H} ${C} ${threads} ${seconds}`)).rate
console.log(`products grid: D ∈ {${Ds}}, H ∈ {${Hs}}, chains ∈ {${Cs}}; ${rounds} rounds, turns of ${seconds} s; ISA ${addon.isa()}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
const header = '| D→H | chains | MFLOP/step | heatbath 1t | heatbath 2t | 1 → 2 threads | heatbath best (% peak) | PyTorch best (% peak) | sgemm best (% peak) | heatbath ÷ PyTorch | heatbath ms/call | block | tape | packed | state |'
const rows: string[] = []
const peaks: number[] = []
const points: ProductsPoint[] = []
for (const D of Ds)
  for (const H of Hs) {
    const e = gridMlp(D, H)
    for (const C of Cs) {
      const flops = productFlops(D, H, C)
      type Key = Systems | 'peak' | 'ratio' | 'scaling' | 'call'
      const got = new Map<Key, number[]>()
      const put = (k: Key, v: number) => got.set(k, [...(got.get(k) ?? []), v])
      for (let round = 0; round < rounds; round++) {
        const mine = async () => {
          for (const t of round % 2 === 0 ? [1, 2] : [2, 1]) {
            const r = await ulaRate(e, C, t, seconds)
            put(`hb${t}` as Systems, r.rate)
            put('call', r.call)
          }
        }
        const theirs = async () => {
          for (const t of [1, 2]) put(`torch${t}` as Systems, await peerRate('step', D, H, C, t))
          for (const t of [1, 2]) put(`blas${t}` as Systems, await peerRate('sgemm', D, H, C, t))
        }
        if (round % 2 === 0) {
          await mine()
          await theirs()
        } else {
          await theirs()
          await mine()
        }
        put('peak', twoCorePeak(addon))
        const last = (k: Systems) => got.get(k)![round]
        put('ratio', Math.max(last('hb1'), last('hb2')) / Math.max(last('torch1'), last('torch2')))
        put('scaling', last('hb2') / last('hb1'))
      }
      const m = (k: Systems) => median(got.get(k)!)
      const p = median(got.get('peak')!)
      peaks.push(...got.get('peak')!)
      // A system's medians at 1 and 2 threads, and its better setting as GFLOP/s of the products and % of the peak.
      const result = (a: Systems, b: Systems): SystemResult => {
        const threads = m(a) >= m(b) ? 1 : 2
        const gflops = (Math.max(m(a), m(b)) * flops) / 1e9
        return { perSecond: [m(a), m(b)], threads, gflops, percentOfPeak: (100 * gflops) / p }
      }
      const point: ProductsPoint = {
        D,
        H,
        chains: C,
        mflopPerStep: flops / 1e6,
        peakGflops: p,
        heatbath: result('hb1', 'hb2'),
        pytorch: result('torch1', 'torch2'),
        sgemm: result('blas1', 'blas2'),
        ratio: median(got.get('ratio')!),
        scaling: median(got.get('scaling')!),
        callMs: 1000 * median(got.get('call')!),
        workingSet: workingSet(e, C),
      }
      points.push(point)
      const best = (r: SystemResult) => `${r.gflops.toFixed(1)} GFLOP/s (${r.percentOfPeak.toFixed(0)}%, ${r.threads}t)`
      const w = point.workingSet
      const row = `| ${D}→${H} | ${C} | ${point.mflopPerStep.toFixed(1)} | ${m('hb1').toFixed(1)}/s | ${m('hb2').toFixed(1)}/s | ${point.scaling!.toFixed(2)}× | ${best(point.heatbath)} | ${best(point.pytorch)} | ${best(point.sgemm)} | ${point.ratio.toFixed(2)}× | ${point.callMs.toFixed(0)} | ${w.block} | ${bytes(w.tapeBytes)} | ${bytes(w.packedBytes)} | ${bytes(w.stateBytes)} |`
      rows.push(row)
      console.log(row)
    }
  }
server.close()
console.log(`\nmeasured two-core FP32 peak (FMA probe: one core's best of three, doubled) ${median(peaks).toFixed(0)} GFLOP/s, median over all rounds (${Math.min(...peaks).toFixed(0)}–${Math.max(...peaks).toFixed(0)}); load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
console.log(`${header}\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n${rows.join('\n')}`)
if (json !== '') {
  const run: ProductsRun = { isa: addon.isa(), date: new Date().toISOString(), rounds, seconds, loadAverage: loadavg(), peakGflops: median(peaks), points }
  writeFileSync(json, `${JSON.stringify(run, null, 1)}\n`)
  console.log(`wrote ${json}`)
}
