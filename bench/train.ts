/**
 * Training benchmark (issue 12): persistent contrastive divergence on FFJORD's 8gaussians with an MLP
 * energy 2→128→128→1 (SiLU), against PyTorch running the same recipe (bench/peers/torch_train.py).
 *
 * The recipe measured in both systems: a replay buffer of 10,000 chains, 5% of each drawn batch restarted
 * uniformly on [−4, 4]²; K = 20 ULA steps x ← x − h·∇E(x) + √(2h)·ξ, h = 0.01; batch 256; Adam, lr 1e-3,
 * betas (0, 0.999); α = 0.1 on mean(E⁺² + E⁻²). heatbath runs it in float32 on the native backend.
 *
 * heatbath's own recipe (stated here and in docs/training.md): the same, with α = 0.03, Adam betas
 * (0.5, 0.999) and the learning rate 3e-3 decayed to 1e-5 along a half cosine over 5,000 steps.
 *
 * Two measurements:
 *  1. iterations per second of the same recipe, heatbath on 1 and 2 threads and PyTorch on 1 and 2 threads
 *     (a Python process kept up and asked over stdin), in short turns that alternate within every round;
 *     the ratio to PyTorch's best thread setting is taken per round and its median reported;
 *  2. KL(data ‖ model) on a 200×200 grid over [−4, 4]² against training time (grid evaluations not counted)
 *     for PyTorch's recipe in PyTorch, the same recipe in heatbath, and heatbath's own recipe, one after
 *     the other.
 *
 *   npx tsx bench/train.ts     (HEATBATH_BENCH_QUICK=1: one short round and 10 s curves; HEATBATH_BENCH_SECONDS)
 */
import { spawn } from 'node:child_process'
import { loadavg } from 'node:os'
import { createInterface } from 'node:readline'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { data, energy, grid, rng, sampler, train } from '../src/index.js'
import { nativeAddon } from '../src/backend/index.js'
import { peerServer, torchCommand } from './peer-server.js'

const here = dirname(fileURLToPath(import.meta.url))
const quick = process.env.HEATBATH_BENCH_QUICK === '1'
const rounds = quick ? 1 : Number(process.env.HEATBATH_BENCH_ROUNDS ?? 9)
const seconds = Number(process.env.HEATBATH_BENCH_SECONDS ?? (quick ? 10 : 120))
const marks = [2.5, 5, 10, 20, 30, 60, 90, 120, 180, 240].filter((s) => s <= seconds)

if (nativeAddon().addon === undefined) throw new Error('bench/train.ts measures the native backend; build the addon first (npm run install)')

// --- the data, the grid and the KL -------------------------------------------------------------------
const rows = 100_000
const points = data.toy('8gaussians', rows, 3)
const spec = { bounds: [[-4, 4], [-4, 4]] as [number, number][], n: 200 }
const target = grid.tabulate(data.toyDensity('8gaussians'), spec)
const model = energy.mlp({ widths: [2, 128, 128, 1], activation: 'silu', seed: 1 })
/** KL(data ‖ model) with the model's exp(−E) normalised over the grid (tabulated natively), as torch_train.py computes it. */
const gridKL = (params: Readonly<Record<string, Float64Array>>): number => grid.kl(target, grid.tabulate(model, { ...spec, params, backend: 'native', threads: 2 }))

// --- the two recipes ----------------------------------------------------------------------------------
interface Recipe {
  readonly name: string
  readonly alpha: number
  readonly lr: sampler.ScheduleLike
  readonly betas: readonly [number, number]
}
const torchRecipe: Recipe = { name: "PyTorch's recipe", alpha: 0.1, lr: 1e-3, betas: [0, 0.999] }
const ownRecipe: Recipe = { name: "heatbath's recipe", alpha: 0.03, lr: sampler.cosine(3e-3, 1e-5, 5000), betas: [0.5, 0.999] }

const trainer = (r: Recipe, threads: number) =>
  train.trainer(model, {
    objective: train.contrastive({ energyL2: r.alpha }),
    negatives: train.persistent({ kernel: sampler.ula({ stepSize: 0.01 }), steps: 20, bufferSize: 10_000, reinit: 0.05, init: { kind: 'uniform', low: -4, high: 4 } }),
    optimizer: train.adam({ lr: r.lr, betas: r.betas }),
    batchSize: 256,
    backend: 'native',
    dtype: 'float32',
    threads,
  })

/** Step k's positive batch: 256 rows drawn uniformly with replacement (PyTorch draws fresh points). */
const minibatch = (k: number): Float64Array => {
  const u = rng.uniforms(11, k, 0, 256)
  const out = new Float64Array(512)
  u.forEach((v, i) => {
    const r = Math.floor(v * rows)
    out[2 * i] = points[2 * r]
    out[2 * i + 1] = points[2 * r + 1]
  })
  return out
}

/** A training run that goes on from where it stopped: `run(n)` does n more steps and returns their rate. */
const session = (r: Recipe, threads: number) => {
  const t = trainer(r, threads)
  let state = t.init(points, energy.init(model), 1)
  let k = 0
  return {
    params: () => state.params,
    run: async (n: number): Promise<number> => {
      const started = performance.now()
      for (let i = 0; i < n; i++, k++) [state] = await t.step(state, minibatch(k), { seed: 1, step: k })
      return n / ((performance.now() - started) / 1000)
    },
  }
}

// --- PyTorch as a server --------------------------------------------------------------------------------
const torchServer = () => {
  // PyTorch's best setting here is one thread, which has no OpenMP workers to wait.
  const peer = peerServer(['peers/torch_train.py', '--serve'], here)
  return { rate: async (threads: number, iterations: number): Promise<number> => (await peer.ask<{ rate: number }>(`${threads} ${iterations}`)).rate, close: peer.close }
}

const median = (xs: readonly number[]) => {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b)
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const range = (xs: readonly number[]) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`

// --- 1. iterations per second ---------------------------------------------------------------------------
const ours = [session(torchRecipe, 1), session(torchRecipe, 2)]
for (const s of ours) await s.run(20) // warm-up: tapes compiled and loaded, pages touched
const torch = torchServer()
await torch.rate(1, 5)
const rates = { ours1: [] as number[], ours2: [] as number[], torch1: [] as number[], torch2: [] as number[], ratio: [] as number[] }
const turn = quick ? 40 : 150
for (let round = 0; round < rounds; round++) {
  // PyTorch's two-thread turn first, so that no turn of ours follows it directly.
  rates.torch2.push(await torch.rate(2, Math.round(turn / 4)))
  rates.torch1.push(await torch.rate(1, Math.round(turn / 4)))
  rates.ours1.push(await ours[0].run(turn))
  rates.ours2.push(await ours[1].run(turn))
  const i = rates.ours1.length - 1
  rates.ratio.push(Math.max(rates.ours1[i], rates.ours2[i]) / Math.max(rates.torch1[i], rates.torch2[i]))
}
torch.close()
const torchBest = median(rates.torch1) >= median(rates.torch2) ? 1 : 2
console.log(`\n## Iterations per second, the same recipe (${rounds} alternating rounds; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})\n`)
console.log('| system | iterations/s (median) | range |\n| --- | ---: | ---: |')
console.log(`| heatbath native f32, 1 thread | ${median(rates.ours1).toFixed(1)} | ${range(rates.ours1)} |`)
console.log(`| heatbath native f32, 2 threads | ${median(rates.ours2).toFixed(1)} | ${range(rates.ours2)} |`)
console.log(`| PyTorch 1.13 CPU, 1 thread | ${median(rates.torch1).toFixed(1)} | ${range(rates.torch1)} |`)
console.log(`| PyTorch 1.13 CPU, 2 threads | ${median(rates.torch2).toFixed(1)} | ${range(rates.torch2)} |`)
console.log(`\nheatbath (best threads) / PyTorch (best threads), median over rounds: ${median(rates.ratio).toFixed(2)}× (rounds ${rates.ratio.map((r) => r.toFixed(2)).join(', ')})`)

// --- 2. KL against training time --------------------------------------------------------------------------
/** KL at each mark of training time (seconds of steps, evaluations excluded). */
const curve = async (r: Recipe): Promise<{ kl: number[]; iterations: number[] }> => {
  const s = session(r, 2)
  await s.run(1)
  const kl: number[] = []
  const iterations: number[] = []
  let trained = 0
  let done = 0
  for (const mark of marks) {
    while (trained < mark) {
      const started = performance.now()
      await s.run(10)
      trained += (performance.now() - started) / 1000
      done += 10
    }
    kl.push(gridKL(s.params()))
    iterations.push(done)
  }
  return { kl, iterations }
}
const torchCurve = (): Promise<{ kl: number[]; iterations: number[] }> =>
  new Promise((resolve, reject) => {
    const child = spawn(torchCommand, ['peers/torch_train.py', '--threads', String(torchBest), '--seconds', String(seconds), '--kl-every', '0.5'], { cwd: here })
    const out: { seconds: number; iterations: number; kl: number }[] = []
    createInterface({ input: child.stdout }).on('line', (l) => {
      const v = JSON.parse(l) as { seconds?: number; iterations: number; kl: number }
      if (v.seconds !== undefined) out.push(v as { seconds: number; iterations: number; kl: number })
    })
    child.on('error', reject)
    child.on('exit', () => {
      // The first evaluation at or after each mark.
      const at = marks.map((m) => out.find((o) => o.seconds >= m) ?? out[out.length - 1])
      resolve({ kl: at.map((o) => o.kl), iterations: at.map((o) => o.iterations) })
    })
  })

const curves: [string, { kl: number[]; iterations: number[] }][] = [
  [`PyTorch's recipe in PyTorch (${torchBest} thread${torchBest > 1 ? 's' : ''})`, await torchCurve()],
  ["PyTorch's recipe in heatbath (2 threads)", await curve(torchRecipe)],
  ["heatbath's recipe (2 threads)", await curve(ownRecipe)],
]
console.log(`\n## KL(data ‖ model) on the 200×200 grid against training time (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})\n`)
console.log(`| run | ${marks.map((m) => `${m} s`).join(' | ')} |\n| --- | ${marks.map(() => '---:').join(' | ')} |`)
for (const [name, c] of curves) console.log(`| ${name} | ${c.kl.map((k, i) => `${k.toFixed(3)} (${c.iterations[i]})`).join(' | ')} |`)
console.log('\n(iterations done by each mark in parentheses)')
