/**
 * The benchmark MLP energy 2→128→128→1 (SiLU), with deterministic weights shared with the peer scripts
 * (bench/peers): w[i] = scale·sin(seed·(i + 1)). Both bench/mlp-gradient.ts and bench/sampler.ts use it.
 */
import { energy, ir } from '../src/index.js'

export const hidden = 128

/** Deterministic weights shared with the peers. */
export const weights = (n: number, seed: number, scale: number) => Array.from({ length: n }, (_v, i) => scale * Math.sin(seed * (i + 1)))

/**
 * The MLP energy silu(silu(x·W1 + b1)·W2 + b2)·w3 on inputs of width D, hidden width H, its weights
 * deterministic (W1 at scale w1Scale, W2 and w3 at 1/√H).
 */
export const mlpOf = (D: number, H: number, w1Scale: number, name = `mlp-${D}-${H}`): energy.Energy =>
  energy.define({
    name,
    shape: [D],
    params: {
      W1: { shape: [D, H], init: { kind: 'values', values: weights(D * H, 1.1, w1Scale) } },
      b1: { shape: [H], init: { kind: 'values', values: weights(H, 1.3, 0.1) } },
      W2: { shape: [H, H], init: { kind: 'values', values: weights(H * H, 0.7, 1 / Math.sqrt(H)) } },
      b2: { shape: [H], init: { kind: 'values', values: weights(H, 1.9, 0.1) } },
      w3: { shape: [H, 1], init: { kind: 'values', values: weights(H, 2.3, 1 / Math.sqrt(H)) } },
    },
    build: (x, p) => {
      const h1 = ir.silu(ir.add(ir.matmul(x, p.W1), p.b1))
      const h2 = ir.silu(ir.add(ir.matmul(h1, p.W2), p.b2))
      return ir.reshape(ir.matmul(h2, p.w3), [x.shape[0]])
    },
  })

export const mlp = mlpOf(2, hidden, 0.7, 'mlp')

/**
 * Matmul FLOPs per chain of one ∇ₓE evaluation: forward x·W1, h1·W2, h2·w3 and the backward products
 * through w3, W2, W1 (the customary count; elementwise work not included).
 */
export const mlpFlops = 2 * (2 * hidden + hidden * hidden + hidden) * 2
