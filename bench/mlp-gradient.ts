/**
 * ∇ₓE of the MLP energy 2→128→128→1 (SiLU) on 1024 chains: achieved GFLOP/s of the native executor
 * (float32 and float64, 1 and 2 threads) and of the reference executor, beside the machine's measured
 * FP32 peak. Run with `npm run bench:native`. Medians of repeated runs; prints the load average too,
 * since other processes share the cores, and ends with paired rounds that set the two-thread rate beside
 * the FMA probe run on both threads around it (HEATBATH_BENCH_ROUNDS rounds, default 15).
 */
import { loadavg } from 'node:os'
import * as ir from '../src/backend/ir.js'
import { nativeAddon } from '../src/backend/addon.js'
import { energy } from '../src/index.js'
import { mlp, mlpFlops } from './mlp.js'

const batch = 1024
const program = energy.program(mlp, batch)
const [dx] = ir.grad(ir.sum(program.energy), [program.x])
const tape = ir.compile([dx], [program.x, ...program.paramList])
const flops = batch * mlpFlops
const fill = (n: number, s: number, scale: number) => Float64Array.from({ length: n }, (_v, i) => (Math.sin(s * (i + 1)) * scale))
const feeds64 = { x: fill(batch * 2, 0.37, 1), ...energy.init(mlp) }
const feeds32 = Object.fromEntries(Object.entries(feeds64).map(([k, v]) => [k, Float32Array.from(v)]))

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
// Median wall time per run, and the process's CPU time per run (user + system, all threads): on a shared
// machine the second says what the code does when it has the cores, the first what it got.
const time = (run: () => void, seconds: number): { wall: number; cpu: number } => {
  run()
  const samples: number[] = []
  const cpu0 = process.cpuUsage()
  const end = performance.now() + seconds * 1000
  while (performance.now() < end || samples.length < 5) {
    const t0 = performance.now()
    run()
    samples.push((performance.now() - t0) / 1000)
  }
  const used = process.cpuUsage(cpu0)
  return { wall: median(samples), cpu: (used.user + used.system) / 1e6 / samples.length }
}

const status = nativeAddon()
if (status.addon === undefined) throw new Error(`bench: the native addon is not built (${status.reason})`)
const addon = status.addon
const peakOf = (threads: number): number => {
  // One core's FMA throughput, measured (the best of several runs: other processes can only slow it);
  // two threads are taken as twice one (the probe is single-threaded).
  const runs = Array.from({ length: 7 }, () => {
    const r = addon.fmaPeak(20_000_000)
    return r.flops / r.seconds
  })
  return (Math.max(...runs) * threads) / 1e9
}
const peak1 = peakOf(1)
// For reference: the probe on both threads at once (best of several). The table's two-thread peak stays
// twice one core's, the stricter of the two.
const together = Math.max(...Array.from({ length: 7 }, () => {
  const r = addon.fmaPeak(10_000_000, 2)
  return r.flops / r.seconds / 1e9
}))
const rows: string[][] = []
const load0 = loadavg()[0]
for (const threads of [1, 2]) {
  const peak = peak1 * threads
  for (const dtype of ['float32', 'float64'] as const) {
    const feeds = dtype === 'float32' ? feeds32 : feeds64
    const s = time(() => ir.runTape(tape, feeds, { backend: 'native', dtype, threads }), 2)
    const g = flops / s.wall / 1e9
    // CPU-time equivalent: the rate if the run's CPU time had been spread over its threads without waiting.
    const c = (flops * threads) / s.cpu / 1e9
    rows.push([`native ${dtype}`, String(threads), (s.wall * 1e3).toFixed(3), g.toFixed(1), `${((100 * g) / peak).toFixed(0)}%`, c.toFixed(1), `${((100 * c) / peak).toFixed(0)}%`])
  }
}
const sr = time(() => ir.runTape(tape, feeds64, { backend: 'reference' }), 3)
const gr = flops / sr.wall / 1e9
const cr = flops / sr.cpu / 1e9
rows.push(['reference float64', '1', (sr.wall * 1e3).toFixed(3), gr.toFixed(2), `${((100 * gr) / peak1).toFixed(1)}%`, cr.toFixed(2), `${((100 * cr) / peak1).toFixed(1)}%`])
const load1 = loadavg()[0]
console.log(`∇ₓE of MLP 2→128→128→1 (SiLU), batch ${batch}: ${(flops / 1e6).toFixed(1)} MFLOP per evaluation; ISA ${addon.isa()}`)
console.log(`measured FP32 peak: ${peak1.toFixed(0)} GFLOP/s per core; load average ${load0.toFixed(2)} → ${load1.toFixed(2)}`)
console.log(`peak for 1 thread ${peak1.toFixed(0)} GFLOP/s, for 2 threads ${(2 * peak1).toFixed(0)} GFLOP/s (the probe on both threads at once: ${together.toFixed(0)})`)
console.log('| executor | threads | ms (median) | GFLOP/s | % of peak | GFLOP/s, CPU-time equivalent | % of peak |')
console.log('| --- | --- | --- | --- | --- | --- | --- |')
for (const r of rows) console.log(`| ${r.join(' | ')} |`)

// Paired rounds: on a shared host the second core can be taken for seconds at a time, and a median over
// 2 s then measures the host as much as the code. Each round runs the FMA probe on both threads, about
// 0.15 s of two-thread evaluations, and the probe again; the round's share is the evaluations' rate over
// the mean of the two probes, the machine's peak at that moment. Medians over the rounds.
const rounds = Number(process.env.HEATBATH_BENCH_ROUNDS ?? 15)
const probe2 = () => {
  const r = addon.fmaPeak(4_000_000, 2)
  return r.flops / r.seconds / 1e9
}
const shares: number[] = []
const rates: number[] = []
const probes: number[] = []
for (let r = 0; r < rounds; r++) {
  const before = probe2()
  const s = time(() => ir.runTape(tape, feeds32, { backend: 'native', dtype: 'float32', threads: 2 }), 0.15)
  const after = probe2()
  const rate = flops / s.wall / 1e9
  rates.push(rate)
  probes.push((before + after) / 2)
  shares.push(rate / ((before + after) / 2))
}
console.log(
  `paired rounds (${rounds}), native float32, 2 threads: ${median(rates).toFixed(1)} GFLOP/s beside the two-thread probe's ${median(probes).toFixed(0)}: ` +
    `median share ${(100 * median(shares)).toFixed(0)}% (rounds ${shares.map((v) => (100 * v).toFixed(0)).join(', ')})`,
)
