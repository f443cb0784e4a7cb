/**
 * An in-process A/B of the sampler loop: this tree's addon and TypeScript against another build (an older
 * commit built in a scratch directory), both loaded in one Node process, so that both see the same
 * machine at the same moments. Each round runs every system once per workload, in alternating order, and
 * the table gives the median over rounds of the per-round ratio (this tree's steps/s over the other's).
 * Every round also checks that both give the same bits.
 *
 *   git archive <commit> | tar -x -C /tmp/hb-old && ln -s $PWD/node_modules /tmp/hb-old/
 *   (cd /tmp/hb-old && node node_modules/node-gyp/bin/node-gyp.js rebuild)
 *   HEATBATH_AB_OTHER=/tmp/hb-old npx tsx bench/sampler-ab.ts      (HEATBATH_BENCH_ROUNDS, default 15)
 *
 * Before timing it compares the two trees' results bitwise on several kernels, reference and native,
 * float64 and float32.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { loadavg } from 'node:os'
import * as ours from '../src/index.js'
import { mlp as ourMlp } from './mlp.js'

type Heatbath = typeof ours
const other = process.env.HEATBATH_AB_OTHER
if (other === undefined) throw new Error('HEATBATH_AB_OTHER: the root of the other tree (built), e.g. /tmp/hb-old')
const theirs = (await import(pathToFileURL(join(other, 'src', 'index.ts')).href)) as Heatbath
const theirMlp = ((await import(pathToFileURL(join(other, 'bench', 'mlp.ts')).href)) as { mlp: ours.energy.Energy }).mlp
const rounds = Number(process.env.HEATBATH_BENCH_ROUNDS ?? 15)

const kernels = (h: Heatbath) => ({
  ula: h.sampler.ula({ stepSize: 1e-3 }),
  mala: h.sampler.mala({ stepSize: 1e-3 }),
  hmc: h.sampler.hmc({ stepSize: 1e-2, leapfrogSteps: 3 }),
  sghmc: h.sampler.sghmc({ stepSize: 1e-2, friction: 1 }),
  composed: h.sampler.named('composed', [
    h.sampler.drift({ stepSize: h.sampler.geometric(0.02, 0.002, 20), clip: 2 }),
    h.sampler.noise({ stepSize: h.sampler.geometric(0.02, 0.002, 20), temperature: h.sampler.linear(3, 1, 20) }),
    h.sampler.clamp({ low: -3, high: 3 }),
    h.sampler.every(4)(h.sampler.mala({ stepSize: h.sampler.cosine(0.03, 0.01, 20) })),
  ]),
})
type Name = keyof ReturnType<typeof kernels>
const init = (chains: number) => Float64Array.from({ length: chains * 2 }, (_v, i) => Math.sin(0.37 * i))
const sameBits = (a: Float64Array, b: Float64Array) => Buffer.from(a.buffer).equals(Buffer.from(b.buffer))

// Bits first: every kernel, both backends (the reference only in float64).
for (const name of Object.keys(kernels(ours)) as Name[]) {
  for (const [backend, dtype] of [['reference', 'float64'], ['native', 'float64'], ['native', 'float32']] as const) {
    const options = { chains: backend === 'reference' ? 16 : 300, steps: 20, seed: 42, thin: 7, backend, dtype, init: init(backend === 'reference' ? 16 : 300) }
    const a = await ours.sampler.sample(ourMlp, kernels(ours)[name], options)
    const b = await theirs.sampler.sample(theirMlp, kernels(theirs)[name] as never, options)
    const same = sameBits(a.positions, b.positions) && sameBits(a.momenta, b.momenta) && sameBits(a.energies, b.energies) && JSON.stringify(a.trace) === JSON.stringify(b.trace)
    console.log(`${name} ${backend} ${dtype}: ${same ? 'the same bits' : 'DIFFERENT'}`)
    if (!same) process.exitCode = 1
  }
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const chains = 1024
// Steps per second of wall time, and per second of the process's CPU time (all its threads): under
// time-slicing by other tenants the second is the steadier measure of the work done.
const rate = async (h: Heatbath, e: ours.energy.Energy, kernel: unknown, steps: number, threads: number) => {
  const started = performance.now()
  const cpu = process.cpuUsage()
  const r = await h.sampler.sample(e, kernel as never, { chains, steps, seed: 1, init: init(chains), backend: 'native', dtype: 'float32', threads })
  const used = process.cpuUsage(cpu)
  return { rate: steps / ((performance.now() - started) / 1000), cpuRate: steps / ((used.user + used.system) / 1e6), positions: r.positions }
}

const workloads = [
  { name: 'ULA, 1 thread', kernel: 'ula' as const, threads: 1, steps: 200 },
  { name: 'ULA, 2 threads', kernel: 'ula' as const, threads: 2, steps: 300 },
  { name: 'MALA, 1 thread', kernel: 'mala' as const, threads: 1, steps: 150 },
  { name: 'MALA, 2 threads', kernel: 'mala' as const, threads: 2, steps: 200 },
]
const ratios = new Map<string, number[]>()
const cpuRatios = new Map<string, number[]>()
const rates = new Map<string, { ours: number[]; theirs: number[] }>()
for (const w of workloads) {
  await rate(ours, ourMlp, kernels(ours)[w.kernel], 10, w.threads) // warm-up: tapes, pages, pools
  await rate(theirs, theirMlp, kernels(theirs)[w.kernel], 10, w.threads)
}
for (let round = 0; round < rounds; round++) {
  for (const w of workloads) {
    const runOurs = () => rate(ours, ourMlp, kernels(ours)[w.kernel], w.steps, w.threads)
    const runTheirs = () => rate(theirs, theirMlp, kernels(theirs)[w.kernel], w.steps, w.threads)
    const [a, b] = round % 2 === 0 ? [await runOurs(), await runTheirs()] : (([y, x]) => [x, y])([await runTheirs(), await runOurs()])
    if (!sameBits(a.positions, b.positions)) {
      console.log(`${w.name}: DIFFERENT positions in round ${round}`)
      process.exitCode = 1
    }
    ratios.set(w.name, [...(ratios.get(w.name) ?? []), a.rate / b.rate])
    cpuRatios.set(w.name, [...(cpuRatios.get(w.name) ?? []), a.cpuRate / b.cpuRate])
    const r = rates.get(w.name) ?? { ours: [], theirs: [] }
    r.ours.push(a.rate)
    r.theirs.push(b.rate)
    rates.set(w.name, r)
  }
}
console.log(`\n${rounds} rounds, MLP 2→128→128→1 SiLU, ${chains} chains, float32; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
console.log('| workload | this tree, steps/s (median) | other, steps/s (median) | wall ratio, median of rounds (range) | CPU-time ratio, median of rounds (range) |\n| --- | ---: | ---: | ---: | ---: |')
const summary = (x: readonly number[]) => `${median(x).toFixed(3)} (${Math.min(...x).toFixed(2)}–${Math.max(...x).toFixed(2)})`
for (const w of workloads) {
  const r = rates.get(w.name) ?? { ours: [], theirs: [] }
  console.log(`| ${w.name} | ${median(r.ours).toFixed(0)} | ${median(r.theirs).toFixed(0)} | ${summary(ratios.get(w.name) ?? [])} | ${summary(cpuRatios.get(w.name) ?? [])} |`)
}
