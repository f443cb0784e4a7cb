/**
 * Where each point of the products grid (issue 18) spends a ULA step, on two threads (or --threads): the
 * whole step (the sampler's native loop), the ∇ₓE tape alone (products and the SiLU chain, no sampler),
 * and the four large products chained alone (x·W1·W2·W2ᵀ·W1ᵀ, nothing between them). Each as GFLOP/s of
 * its products and % of the FMA peak of the cores used, and the step's time split three ways: the
 * products, the elementwise chain (tape − products) and the sampler's own work (step − tape: the normals,
 * the drift, the finiteness test).
 *
 * Then the bound the random numbers set. Every step draws one Philox4x32-10 Box–Muller normal a coordinate,
 * bit for bit the reference's (DESIGN: "the TS reference and C++ produce the same draws"). The normals'
 * time is that of those C·D draws alone, as the sampler makes them (the addon's vectorised
 * acrossStreams, chains in SIMD lanes, into a buffer that stays in L2), on one core divided by the threads
 * (perfect scaling), the fastest of the rounds (the host's noise only adds time). Two bounds on the step's
 * % of the peak follow, with nothing else in the step but the products and those normals:
 * - with the products at the full FMA peak;
 * - with the products as fast as they run chained alone.
 * A point whose first bound is under 80% cannot reach 80% while the draws are the reference's, however
 * fast the products and the rest of the step.
 * Only points whose products are ≥ 50 MFLOP a step unless --all.
 *
 *   npx tsx bench/products-bound.ts [--d 784] [--h 128,512] [--chains 256] [--rounds 3] [--threads 2] [--all]
 *
 * Every variant runs once per round, in turn; the table gives medians over rounds.
 */
import { loadavg } from 'node:os'
import { nativeAddon } from '../src/backend/index.js'
import { samplerAddon } from '../src/sampler/native.js'
import { chainedProducts, flag, gradientTapeOf, gridMlp, listFlag, median, perCall, productFlops, tapeRate, twoCorePeak, ulaRate } from './mlp-grid.js'

const Ds = listFlag('d', '2,64,784,3072')
const Hs = listFlag('h', '128,512,1024')
const Cs = listFlag('chains', '64,256,1024,4096')
const rounds = Number(flag('rounds', '3'))
const all = process.argv.includes('--all')
const status = nativeAddon()
if (status.addon === undefined) throw new Error(`bench: the native addon is not built (${status.reason})`)
const addon = status.addon
const threads = Number(flag('threads', '2'))

const draws = samplerAddon().addon
// Seconds a standard normal on one core, made as the sampler makes D-coordinate draws: streams × D in a
// call, the streams in SIMD lanes (32 Ki draws a call, 256 KiB of float64).
const normalSeconds = (D: number): number => {
  if (draws === undefined) throw new Error('bench: the sampler addon is not built')
  const streams = 8 * Math.ceil(Math.max(8, 32768 / D) / 8)
  const out = new Float64Array(streams * D)
  return perCall(() => draws.drawsAcrossStreams('normal', 'auto', 1, 0, 0, D, out)) / out.length
}

// One point: medians over rounds of the step's, the tape's and the chained products' GFLOP/s and of the peak
// of the cores the threads use, and the seconds of the step's normals alone (the least measured).
const point = async (D: number, H: number, C: number) => {
  const e = gridMlp(D, H)
  const [tape, products] = [gradientTapeOf(e, C, productFlops(D, H, C)), chainedProducts(D, H, C)]
  const got = { step: [] as number[], tape: [] as number[], products: [] as number[], normals: [] as number[], peak: [] as number[] }
  for (let round = 0; round < rounds; round++) {
    got.step.push((productFlops(D, H, C) * (await ulaRate(e, C, threads, 0.3)).rate) / 1e9)
    got.tape.push(tapeRate(tape, threads))
    got.products.push(tapeRate(products, threads))
    got.normals.push((C * D * normalSeconds(D)) / threads)
    got.peak.push((twoCorePeak(addon) * Math.min(threads, addon.hardwareThreads())) / addon.hardwareThreads())
  }
  const [m, productsFlops] = [(k: keyof typeof got) => median(got[k]), products.flops]
  return { step: m('step'), tape: m('tape'), products: m('products'), normals: Math.min(...got.normals), peak: m('peak'), productsFlops }
}

const percent = (x: number) => `${(100 * x).toFixed(0)}%`
console.log(`products grid, where a step goes (${threads} thread${threads === 1 ? '' : 's'}, float32): D ∈ {${Ds}}, H ∈ {${Hs}}, chains ∈ {${Cs}}; ${rounds} rounds; ISA ${addon.isa()}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
console.log('| D→H | chains | MFLOP/step | step (% peak) | ∇ₓE tape alone (% peak) | four products alone (% peak) | time: products | elementwise chain | sampler | normals alone (µs) | bound: products at peak | bound: products as alone |')
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
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
      // The bounds in % of the peak: the step's products over their time plus the normals'.
      const [atPeak, asAlone] = [flops / (flops / r.peak + r.normals * 1e9), flops / (tProducts + r.normals * 1e9)]
      const cells = [
        `${D}→${H}`, `${C}`, (flops / 1e6).toFixed(1),
        `${r.step.toFixed(0)} (${percent(r.step / r.peak)})`,
        `${r.tape.toFixed(0)} (${percent(r.tape / r.peak)})`,
        `${r.products.toFixed(0)} (${percent(r.products / r.peak)})`,
        percent(tProducts / tStep), percent((tTape - tProducts) / tStep), percent((tStep - tTape) / tStep),
        (r.normals * 1e6).toFixed(0), percent(atPeak / r.peak), percent(asAlone / r.peak),
      ]
      console.log(`| ${cells.join(' | ')} |`)
    }
console.log(`FMA peak of ${Math.min(threads, addon.hardwareThreads())} core(s) ${median(peaks).toFixed(0)} GFLOP/s (median over points; ${Math.min(...peaks).toFixed(0)}–${Math.max(...peaks).toFixed(0)}); load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
