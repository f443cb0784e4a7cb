/**
 * Where each point of the products grid (issue 18) spends a ULA step, on two threads (or --threads): the
 * whole step (the sampler's native loop), the ∇ₓE tape alone (products and the SiLU chain, no sampler),
 * and the four large products chained alone (x·W1·W2·W2ᵀ·W1ᵀ, nothing between them). Each as GFLOP/s of
 * its products and % of the FMA peak of the cores used, and the step's time split three ways: the
 * products, the elementwise chain (tape − products) and the sampler's own work (step − tape: the normals,
 * the drift, the finiteness test).
 * Only points whose products are ≥ 50 MFLOP a step unless --all.
 *
 *   npx tsx bench/products-bound.ts [--d 784] [--h 128,512] [--chains 256] [--rounds 3] [--threads 2] [--all]
 *
 * Every variant runs once per round, in turn; the table gives medians over rounds.
 */
import { loadavg } from 'node:os'
import { nativeAddon } from '../src/backend/index.js'
import { chainedProducts, flag, gradientTapeOf, gridMlp, listFlag, median, productFlops, tapeRate, twoCorePeak, ulaRate } from './mlp-grid.js'

const Ds = listFlag('d', '2,64,784,3072')
const Hs = listFlag('h', '128,512,1024')
const Cs = listFlag('chains', '64,256,1024,4096')
const rounds = Number(flag('rounds', '3'))
const all = process.argv.includes('--all')
const status = nativeAddon()
if (status.addon === undefined) throw new Error(`bench: the native addon is not built (${status.reason})`)
const addon = status.addon
const threads = Number(flag('threads', '2'))

// One point: medians over rounds of the step's, the tape's and the chained products' GFLOP/s, and the peak
// of the cores the threads use.
const point = async (D: number, H: number, C: number) => {
  const e = gridMlp(D, H)
  const [tape, products] = [gradientTapeOf(e, D, H, C), chainedProducts(D, H, C)]
  const got = { step: [] as number[], tape: [] as number[], products: [] as number[], peak: [] as number[] }
  for (let round = 0; round < rounds; round++) {
    got.step.push((productFlops(D, H, C) * (await ulaRate(e, C, threads, 0.3)).rate) / 1e9)
    got.tape.push(tapeRate(tape, threads))
    got.products.push(tapeRate(products, threads))
    got.peak.push((twoCorePeak(addon) * Math.min(threads, addon.hardwareThreads())) / addon.hardwareThreads())
  }
  return { step: median(got.step), tape: median(got.tape), products: median(got.products), peak: median(got.peak), productsFlops: products.flops }
}

const percent = (x: number) => `${(100 * x).toFixed(0)}%`
console.log(`products grid, where a step goes (${threads} thread${threads === 1 ? '' : 's'}, float32): D ∈ {${Ds}}, H ∈ {${Hs}}, chains ∈ {${Cs}}; ${rounds} rounds; ISA ${addon.isa()}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
console.log('| D→H | chains | MFLOP/step | step (% peak) | ∇ₓE tape alone (% peak) | four products alone (% peak) | time: products | elementwise chain | sampler |')
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
const peaks: number[] = []
for (const D of Ds)
  for (const H of Hs)
    for (const C of Cs) {
      const flops = productFlops(D, H, C)
      if (!all && flops < 50e6) continue
      const r = await point(D, H, C)
      peaks.push(r.peak)
      // Seconds a step (per GFLOP of the step's products), each part's from its own rate.
      const [tStep, tTape, tProducts] = [flops / r.step, flops / r.tape, r.productsFlops / r.products]
      const cells = [
        `${D}→${H}`, `${C}`, (flops / 1e6).toFixed(1),
        `${r.step.toFixed(0)} (${percent(r.step / r.peak)})`,
        `${r.tape.toFixed(0)} (${percent(r.tape / r.peak)})`,
        `${r.products.toFixed(0)} (${percent(r.products / r.peak)})`,
        percent(tProducts / tStep), percent((tTape - tProducts) / tStep), percent((tStep - tTape) / tStep),
      ]
      console.log(`| ${cells.join(' | ')} |`)
    }
console.log(`FMA peak of ${Math.min(threads, addon.hardwareThreads())} core(s) ${median(peaks).toFixed(0)} GFLOP/s (median over points; ${Math.min(...peaks).toFixed(0)}–${Math.max(...peaks).toFixed(0)}); load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
