/**
 * Sampler benchmarks: Langevin on an MLP energy 2→128→128→1 (SiLU) with 1024 chains in float32, and on an
 * 8-component Gaussian mixture in 2-D with 4096 chains, on the native loop (1 and 2 threads) and, measured
 * in the same run, the peers in bench/peers: PyTorch on the CPU (an autograd Langevin loop, at 1 and 2
 * threads) and TensorFlow.js with the wasm backend. Every system is measured once per round, the rounds
 * alternate all of them in short turns (9 by default, HEATBATH_BENCH_ROUNDS to change), and one table gives medians,
 * ranges and the median over rounds of the ratios to the peers' best thread setting.
 *
 *   npx tsx bench/sampler.ts            (HEATBATH_BENCH_QUICK=1 for one short round)
 *
 * Peers that are not installed are reported as such (python3-torch from Debian; `npm install` in
 * bench/peers for TF.js); nothing here is needed by the tests.
 */
import { spawn, spawnSync } from 'node:child_process'
import { createInterface } from 'node:readline'
import { existsSync } from 'node:fs'
import { loadavg } from 'node:os'
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

const mlpWork = 'MLP 2→128→128→1, 1024 chains, f32'
const mixtureWork = 'GMM-8 2-D, 4096 chains, f32'
const chainsOf = (work: string) => (work === mlpWork ? 1024 : 4096)
// Steps per second of each (work, system) in each round; a string when a peer could not run.
const rates = new Map<string, number[]>()
const notes = new Map<string, string>()
const keyOf = (work: string, system: string) => `${work}\u0000${system}`
const record = (work: string, system: string, stepsPerSecond: number) => {
  const k = keyOf(work, system)
  rates.set(k, [...(rates.get(k) ?? []), stepsPerSecond])
}

// The machine is shared and noisy, and how much of a core a process gets changes from second to second.
// So the systems are measured in short turns (a few tenths of a second each) that alternate within every
// round: heatbath on 1 and 2 threads, then PyTorch on 1 and 2 threads (one Python process kept up, asked
// over stdin), for each work, and TF.js once per round. The table gives each system's median over the
// rounds and its range; the ratio to a peer is taken within each round (ours and the peer's best thread
// setting, seconds apart) and the median of those ratios reported.
const rounds = quick ? 1 : Number(process.env.HEATBATH_BENCH_ROUNDS ?? 9)
const status = nativeAddon()
const torchCommand = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3' // Debian's python3-torch lives under the system interpreter, which a pyenv shim may hide
const tfjsInstalled = existsSync(join(here, 'peers', 'node_modules', '@tensorflow', 'tfjs-backend-wasm'))

// The PyTorch peer as a server: one line per measurement, answered with {"rate": steps/s}.
const torchServer = () => {
  const child = spawn(torchCommand, ['peers/torch_langevin.py', '--serve'], { cwd: here, stdio: ['pipe', 'pipe', 'pipe'] })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const failed = new Promise<never>((_resolve, reject) => {
    child.on('error', (e) => reject(e))
    child.on('exit', (code) => reject(new Error(stderr.trim().split('\n').slice(-1)[0] || `exited with ${code}`)))
  })
  return {
    rate: async (work: 'mlp' | 'mixture', threads: number, steps: number): Promise<number> => {
      child.stdin.write(`${work} ${threads} ${steps}\n`)
      const line = await Promise.race([lines.next(), failed])
      return (JSON.parse(String(line.value)) as { rate: number }).rate
    },
    close: () => {
      child.stdin.end()
      child.kill()
    },
  }
}
const torch = torchServer()
let torchAvailable = true
const ratios = { torch: new Map<string, number[]>(), tfjs: new Map<string, number[]>() }
const works = [
  { work: mlpWork, energy: mlp, chains: 1024, peer: 'mlp' as const, ours: quick ? 100 : 600, theirs: quick ? 30 : 200 },
  { work: mixtureWork, energy: mixture, chains: 4096, peer: 'mixture' as const, ours: quick ? 300 : 2000, theirs: quick ? 60 : 400 },
]
for (let round = 0; round < rounds; round++) {
  const best = new Map<string, { ours: number; torch: number; tfjs: number }>()
  const note = (work: string, who: 'ours' | 'torch' | 'tfjs', r: number) => {
    const b = best.get(work) ?? { ours: NaN, torch: NaN, tfjs: NaN }
    b[who] = Number.isNaN(b[who]) ? r : Math.max(b[who], r)
    best.set(work, b)
  }
  for (const w of works) {
    if (status.addon !== undefined) {
      for (const threads of [1, 2]) {
        const r = await timeNative(w.energy, w.chains, w.ours, threads, 'float32')
        record(w.work, `heatbath native, ${threads} thread${threads > 1 ? 's' : ''}`, r)
        note(w.work, 'ours', r)
      }
    } else notes.set('native', `native addon not available: ${status.reason}`)
    for (const threads of [1, 2]) {
      if (!torchAvailable) break
      try {
        const r = await torch.rate(w.peer, threads, w.theirs)
        record(w.work, `PyTorch CPU, ${threads} thread${threads > 1 ? 's' : ''}`, r)
        note(w.work, 'torch', r)
      } catch (e) {
        torchAvailable = false
        notes.set(keyOf(mlpWork, 'PyTorch CPU'), (e as Error).message)
      }
    }
  }
  if (tfjsInstalled) {
    const t = peer(process.execPath, ['peers/tfjs_langevin.mjs', '--steps', String(quick ? 10 : 20)])
    if (typeof t === 'string') notes.set(keyOf(mlpWork, 'TF.js wasm'), t)
    else {
      record(mlpWork, 'TF.js wasm', t.mlp)
      record(mixtureWork, 'TF.js wasm', t.mixture)
      note(mlpWork, 'tfjs', t.mlp)
      note(mixtureWork, 'tfjs', t.mixture)
    }
  } else notes.set(keyOf(mlpWork, 'TF.js wasm'), 'not installed: cd bench/peers && npm install')
  for (const [work, b] of best) {
    ratios.torch.set(work, [...(ratios.torch.get(work) ?? []), b.ours / b.torch])
    ratios.tfjs.set(work, [...(ratios.tfjs.get(work) ?? []), b.ours / b.tfjs])
  }
}
torch.close()
// The FP32 peak: one FMA-throughput probe per core, times the cores.
let peak: number | undefined
if (status.addon !== undefined) {
  const probe = status.addon.fmaPeak(2e8)
  peak = (probe.flops / probe.seconds / 1e9) * status.addon.hardwareThreads()
}

const median = (xs: readonly number[]) => {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b)
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const range = (xs: readonly number[], digits: number) => (xs.length > 1 ? `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}` : '')
console.log(`\n${rounds} round${rounds > 1 ? 's' : ''}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
console.log(`| work | system | steps/s (median) | range | chain-steps/s | GFLOP/s | note |\n| --- | --- | ---: | ---: | ---: | ---: | --- |`)
for (const work of [mlpWork, mixtureWork]) {
  for (const [k, xs] of rates) {
    const [w, system] = k.split('\u0000')
    if (w !== work) continue
    const r = median(xs)
    const gflops = work === mlpWork ? (chainsOf(work) * r * mlpFlops) / 1e9 : NaN
    const gf = Number.isFinite(gflops) ? `${gflops.toFixed(1)}${peak ? ` (${((100 * gflops) / peak).toFixed(0)}% of ${peak.toFixed(0)})` : ''}` : ''
    console.log(`| ${work} | ${system} | ${r.toFixed(1)} | ${range(xs, 1)} | ${((chainsOf(work) * r) / 1e6).toFixed(2)} M | ${gf} | |`)
  }
}
for (const [k, n] of notes) console.log(`note: ${k.replace('\u0000', ', ')}: ${n}`)
for (const work of [mlpWork, mixtureWork]) {
  const t = ratios.torch.get(work) ?? []
  const f = ratios.tfjs.get(work) ?? []
  console.log(`${work}: heatbath/PyTorch(best) median ${median(t).toFixed(2)}× (rounds ${t.map((r) => r.toFixed(2)).join(', ')}), heatbath/TF.js-wasm median ${median(f).toFixed(1)}× (rounds ${f.map((r) => r.toFixed(1)).join(', ')})`)
}
