/**
 * The benchmark MLP energy 2→128→128→1 (SiLU), with deterministic weights shared with the peer scripts
 * (bench/peers): w[i] = scale·sin(seed·(i + 1)). Both bench/mlp-gradient.ts and bench/sampler.ts use it.
 */
import { energy, ir } from '../src/index.js'

export const hidden = 128

/** Deterministic weights shared with the peers. */
export const weights = (n: number, seed: number, scale: number) => Array.from({ length: n }, (_v, i) => scale * Math.sin(seed * (i + 1)))

export const mlp = energy.define({
  name: 'mlp',
  shape: [2],
  params: {
    W1: { shape: [2, hidden], init: { kind: 'values', values: weights(2 * hidden, 1.1, 0.7) } },
    b1: { shape: [hidden], init: { kind: 'values', values: weights(hidden, 1.3, 0.1) } },
    W2: { shape: [hidden, hidden], init: { kind: 'values', values: weights(hidden * hidden, 0.7, 1 / Math.sqrt(hidden)) } },
    b2: { shape: [hidden], init: { kind: 'values', values: weights(hidden, 1.9, 0.1) } },
    w3: { shape: [hidden, 1], init: { kind: 'values', values: weights(hidden, 2.3, 1 / Math.sqrt(hidden)) } },
  },
  build: (x, p) => {
    const h1 = ir.silu(ir.add(ir.matmul(x, p.W1), p.b1))
    const h2 = ir.silu(ir.add(ir.matmul(h1, p.W2), p.b2))
    return ir.reshape(ir.matmul(h2, p.w3), [x.shape[0]])
  },
})

/**
 * Matmul FLOPs per chain of one ∇ₓE evaluation: forward x·W1, h1·W2, h2·w3 and the backward products
 * through w3, W2, W1 (the customary count; elementwise work not included).
 */
export const mlpFlops = 2 * (2 * hidden + hidden * hidden + hidden) * 2
