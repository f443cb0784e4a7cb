/**
 * The MLP energy D→H→H→1 (SiLU) of the products grid (issue 18), with deterministic weights shared with
 * bench/peers/torch_products.py: w[i] = scale·sin(seed·(i + 1)), scale 1/√fan-in for the matrices. Used by
 * bench/products.ts (the grid) and bench/products-parts.ts (where a step's time goes).
 */
import * as ir from '../src/backend/ir.js'
import type { NativeAddon } from '../src/backend/index.js'
import { energy, sampler } from '../src/index.js'
import { gradientOnlyTape } from '../src/energy/index.js'
import { defaultChainBlock } from '../src/sampler/chain-blocks.js'
import { mlpOf } from './mlp.js'

/** The energy of the grid: W1 at scale 1/√D (bench/mlp.ts). */
export const gridMlp = (D: number, H: number): energy.Energy => mlpOf(D, H, 1 / Math.sqrt(D))

/**
 * FLOPs of the products of one ∇ₓE evaluation over C chains: forward x·W1, h1·W2, h2·w3 and backward
 * through w3, W2ᵀ, W1ᵀ, each 2·C·(rows·columns of its weight): 4·C·(D·H + H² + H). Elementwise work is not
 * counted.
 */
export const productFlops = (D: number, H: number, C: number): number => 4 * C * (D * H + H * H + H)

/** Initial positions shared with the peer: x[i] = 0.5·sin(0.37·i). */
export const initOf = (C: number, D: number): Float64Array => Float64Array.from({ length: C * D }, (_v, i) => 0.5 * Math.sin(0.37 * i))

/**
 * A run's working set in float32 bytes (issue 18, item 4), from the gradient tape of one block of chains:
 * the tape's buffer slots for the block (parameters included; the executor reuses buffers by liveness, so
 * an upper bound), the packed panels (one per product: W and Wᵀ both), and the chains' state (position,
 * momentum, gradient). The block is the sampler's default chain block.
 */
export const workingSet = (e: energy.Energy, chains: number) => {
  const block = defaultChainBlock(e, chains)
  const tape = gradientOnlyTape(e, block)
  const tapeBytes = 4 * tape.slots.reduce((s, k) => s + k, 0)
  const packedBytes = 4 * tape.instructions.filter((i) => i.op === 'matmul').reduce((s, i) => s + i.argShapes[1][0] * i.argShapes[1][1], 0)
  const D = e.shape[0]
  return { block, tapeBytes, packedBytes, stateBytes: 4 * 3 * chains * D }
}

/**
 * ULA steps/s of heatbath's native loop (float32), without the per-call costs (tapes compiled and loaded,
 * weights packed): a one-step call is timed, then calls of 1 + n steps (n for about `seconds`), and the
 * rate is n over the difference. The one-step call's time is reported as the cost of a call.
 */
export const ulaRate = async (e: energy.Energy, C: number, threads: number, seconds: number): Promise<{ rate: number; call: number }> => {
  const D = e.shape[0]
  const run = async (steps: number) => {
    const started = performance.now()
    await sampler.sample(e, sampler.ula({ stepSize: 1e-3 }), { chains: C, steps, seed: 1, init: initOf(C, D), backend: 'native', dtype: 'float32', threads })
    return (performance.now() - started) / 1000
  }
  const call = await run(1)
  // n grows until its steps take the turn, so that the call's costs and their noise are small beside the
  // difference (at a third of it, short runs came out 1.4× slower than a 300-step run).
  let n = 4
  for (;;) {
    const t = (await run(1 + n)) - call
    if (t >= seconds || n >= 1e6) return { rate: n / Math.max(t, 1e-9), call }
    n = Math.ceil(n * Math.min(10, seconds / Math.max(t, seconds / 30)))
  }
}

/** The median of finite values (NaN when none). */
export const median = (xs: readonly number[]): number => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b)
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** Bytes in binary units, briefly. */
export const bytes = (n: number): string => (n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${(n / 2 ** 10).toFixed(0)} KiB`)

/**
 * The two-core FP32 peak in GFLOP/s: one core's FMA throughput (best of three short probes: others can only
 * slow it) times the cores.
 */
export const twoCorePeak = (addon: NativeAddon): number =>
  (Math.max(...[0, 1, 2].map(() => {
    const r = addon.fmaPeak(2e7)
    return r.flops / r.seconds
  })) * addon.hardwareThreads()) / 1e9

/** Seconds per call: the median of calls over about `ms` milliseconds (at least three) after one warm-up call. */
export const perCall = (run: () => void, ms = 200): number => {
  run()
  const xs: number[] = []
  const end = performance.now() + ms
  while (performance.now() < end || xs.length < 3) {
    const t0 = performance.now()
    run()
    xs.push((performance.now() - t0) / 1000)
  }
  return median(xs)
}

/** A tape with its float32 feeds and the FLOPs of its products. */
export interface TimedTape {
  readonly tape: ir.Tape
  readonly feeds: Record<string, Float32Array>
  readonly flops: number
}

/** n deterministic values 0.5·sin(s·(i + 1)). */
export const filled = (n: number, s: number): Float32Array => Float32Array.from({ length: n }, (_v, i) => 0.5 * Math.sin(s * (i + 1)))

/** The four large products of a step chained with nothing between them (x·W1·W2·W2ᵀ·W1ᵀ): what they cost together. */
export const chainedProducts = (D: number, H: number, C: number): TimedTape => {
  const x = ir.input('a', [C, D])
  const [W1, W2] = [ir.param('W1', [D, H]), ir.param('W2', [H, H])]
  const y = ir.matmul(ir.matmul(ir.matmul(ir.matmul(x, W1), W2), ir.transpose(W2)), ir.transpose(W1))
  return { tape: ir.compile([y], [x, W1, W2]), feeds: { a: filled(C * D, 0.37), W1: filled(D * H, 0.11), W2: filled(H * H, 0.13) }, flops: 4 * C * (D * H + H * H) }
}

/**
 * The ∇ₓE tape of an energy over C chains, alone (no sampler around it); `flops` are its products' (the
 * grid's energy D→H: productFlops(D, H, C)).
 */
export const gradientTapeOf = (e: energy.Energy, C: number, flops: number): TimedTape => {
  const program = energy.program(e, C)
  const [dx] = ir.grad(ir.sum(program.energy), [program.x])
  const params = Object.fromEntries(Object.entries(energy.init(e)).map(([k, v]) => [k, Float32Array.from(v)]))
  return { tape: ir.compile([dx], [program.x, ...program.paramList]), feeds: { x: Float32Array.from(initOf(C, e.shape[0])), ...params }, flops }
}

/** Seconds a call of a tape run natively in float32 (per-call median). */
export const tapeSeconds = (p: TimedTape, threads: number, blockRows?: number): number =>
  perCall(() => ir.runTape(p.tape, p.feeds, { backend: 'native', dtype: 'float32', threads, blockRows }))

/** GFLOP/s of a tape run natively in float32 (per-call median). */
export const tapeRate = (p: TimedTape, threads: number, blockRows?: number): number => p.flops / tapeSeconds(p, threads, blockRows) / 1e9

/** A command-line flag's value (`--name value`), or the fallback. */
export const flag = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback
}

/** A flag of comma-separated numbers (`--d 2,64`). */
export const listFlag = (name: string, fallback: string): number[] => flag(name, fallback).split(',').map(Number)
