/**
 * Sampler benchmarks: Langevin on an MLP energy 2→128→128→1 (SiLU) with 1024 chains in float32, and on an
 * 8-component Gaussian mixture in 2-D with 4096 chains, on the native loop (1 and 2 threads) and, measured
 * in the same run, the peers in bench/peers: PyTorch on the CPU (an autograd Langevin loop, at 1 and 2
 * threads) and TensorFlow.js with the wasm backend. Prints one table.
 *
 *   npx tsx bench/sampler.ts            (HEATBATH_BENCH_QUICK=1 for a short run)
 *
 * Peers that are not installed are reported as such (python3-torch from Debian; `npm install` in
 * bench/peers for TF.js); nothing here is needed by the tests.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { energy, ir, sampler } from '../src/index.js'
import { nativeAddon } from '../src/backend/index.js'
import { mlp, mlpFlops } from './mlp.js'

const here = dirname(fileURLToPath(import.meta.url))
const quick = process.env.HEATBATH_BENCH_QUICK === '1'

// The 8 Gaussians of radius 2 on a circle, σ = 0.5: E(x) = −logsumexp_k(−‖x − μ_k‖²/(2σ²)).
const components = 8
const means = Array.from({ length: components }, (_v, k) => [2 * Math.cos((2 * Math.PI * k) / components), 2 * Math.sin((2 * Math.PI * k) / components)]).flat()
const mixture = energy.define({
  name: 'gaussian-mixture',
  shape: [2],
  build: (x) => {
    const b = x.shape[0]
    const mu = ir.constant(means, [1, components, 2])
    const d = ir.sub(ir.reshape(x, [b, 1, 2]), mu)
    return ir.neg(ir.logsumexp(ir.mul(ir.sum(ir.square(d), 2), -2), 1))
  },
})


interface Row {
  readonly work: string
  readonly system: string
  readonly chainSteps: number
  readonly stepsPerSecond: number
  readonly gflops?: number
  readonly note?: string
}

const timeNative = async (e: energy.Energy, chains: number, steps: number, threads: number, dtype: 'float32' | 'float64') => {
  const kernel = sampler.ula({ stepSize: 1e-3 })
  const init = Float64Array.from({ length: chains * 2 }, (_v, i) => Math.sin(0.37 * i))
  await sampler.sample(e, kernel, { chains, steps: Math.max(5, steps / 10), seed: 1, init, backend: 'native', dtype, threads }) // warm-up: tape load, pages, pool
  const started = performance.now()
  await sampler.sample(e, kernel, { chains, steps, seed: 1, init, backend: 'native', dtype, threads })
  return steps / ((performance.now() - started) / 1000)
}

const peer = (command: string, args: readonly string[]): Record<string, number> | string => {
  const r = spawnSync(command, args, { cwd: here, encoding: 'utf8', timeout: 600_000 })
  if (r.status !== 0) return (r.stderr || r.error?.message || 'failed').trim().split('\n').slice(-1)[0]
  const line = r.stdout.trim().split('\n').slice(-1)[0]
  return JSON.parse(line) as Record<string, number>
}

const rows: Row[] = []
const add = (work: string, system: string, chains: number, stepsPerSecond: number, note?: string) =>
  rows.push({ work, system, chainSteps: chains * stepsPerSecond, stepsPerSecond, ...(work.startsWith('MLP') ? { gflops: (chains * stepsPerSecond * mlpFlops) / 1e9 } : {}), ...(note ? { note } : {}) })

const status = nativeAddon()
const mlpWork = 'MLP 2→128→128→1, 1024 chains, f32'
const mixtureWork = 'GMM-8 2-D, 4096 chains, f32'
let peak: number | undefined
if (status.addon !== undefined) {
  for (const threads of [1, 2]) {
    add(mlpWork, `heatbath native, ${threads} thread${threads > 1 ? 's' : ''}`, 1024, await timeNative(mlp, 1024, quick ? 100 : 1000, threads, 'float32'))
    add(mixtureWork, `heatbath native, ${threads} thread${threads > 1 ? 's' : ''}`, 4096, await timeNative(mixture, 4096, quick ? 100 : 1000, threads, 'float32'))
  }
  // The FP32 peak: one FMA-throughput probe per core, times the cores.
  const probe = status.addon.fmaPeak(2e8)
  peak = (probe.flops / probe.seconds / 1e9) * status.addon.hardwareThreads()
} else console.log(`native addon not available: ${status.reason}`)

const torchSteps = quick ? 50 : 300
for (const threads of [1, 2]) {
  // Debian's python3-torch lives under the system interpreter, which a pyenv shim may hide.
  const t = peer(existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3', ['peers/torch_langevin.py', '--threads', String(threads), '--steps', String(torchSteps)])
  if (typeof t === 'string') {
    add(mlpWork, `PyTorch CPU, ${threads} thread(s)`, 1024, NaN, t)
    break
  }
  add(mlpWork, `PyTorch CPU, ${threads} thread${threads > 1 ? 's' : ''}`, 1024, t.mlp)
  add(mixtureWork, `PyTorch CPU, ${threads} thread${threads > 1 ? 's' : ''}`, 4096, t.mixture)
}
if (existsSync(join(here, 'peers', 'node_modules', '@tensorflow', 'tfjs-backend-wasm'))) {
  const t = peer(process.execPath, ['peers/tfjs_langevin.mjs', '--steps', String(quick ? 10 : 40)])
  if (typeof t === 'string') add(mlpWork, 'TF.js wasm', 1024, NaN, t)
  else {
    add(mlpWork, 'TF.js wasm', 1024, t.mlp)
    add(mixtureWork, 'TF.js wasm', 4096, t.mixture)
  }
} else add(mlpWork, 'TF.js wasm', 1024, NaN, 'not installed: cd bench/peers && npm install')

const best = (work: string, prefix: string) => Math.max(...rows.filter((r) => r.work === work && r.system.startsWith(prefix) && Number.isFinite(r.stepsPerSecond)).map((r) => r.stepsPerSecond))
console.log(`\n| work | system | steps/s | chain-steps/s | GFLOP/s | note |\n| --- | --- | ---: | ---: | ---: | --- |`)
for (const r of rows) {
  const gf = r.gflops === undefined || !Number.isFinite(r.gflops) ? '' : `${r.gflops.toFixed(1)}${peak ? ` (${((100 * r.gflops) / peak).toFixed(0)}% of ${peak.toFixed(0)})` : ''}`
  console.log(`| ${r.work} | ${r.system} | ${Number.isFinite(r.stepsPerSecond) ? r.stepsPerSecond.toFixed(1) : '—'} | ${Number.isFinite(r.chainSteps) ? (r.chainSteps / 1e6).toFixed(2) + ' M' : '—'} | ${gf} | ${r.note ?? ''} |`)
}
for (const work of [mlpWork, mixtureWork]) {
  const ours = best(work, 'heatbath')
  const torch = best(work, 'PyTorch')
  const tfjs = best(work, 'TF.js')
  console.log(`${work}: heatbath/PyTorch(best) = ${(ours / torch).toFixed(1)}×, heatbath/TF.js-wasm = ${(ours / tfjs).toFixed(1)}×`)
}
