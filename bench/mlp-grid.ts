/**
 * The MLP energy D→H→H→1 (SiLU) of the products grid (issue 18), with deterministic weights shared with
 * bench/peers/torch_products.py: w[i] = scale·sin(seed·(i + 1)), scale 1/√fan-in for the matrices. Used by
 * bench/products.ts (the grid) and bench/products-parts.ts (where a step's time goes).
 */
import { type energy, sampler } from '../src/index.js'
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
