/**
 * The Jacobian of a deterministic proposal on (x, p) by forward mode: its flattened instructions (kick,
 * move, leapfrog, drift, a noiseless momentum friction) are walked with a tangent for every coordinate of
 * (x, p), and a kick's tangent is the Hessian-vector product of the energy, a program of the IR built by
 * `ir.grad` twice. The result is exact to rounding, where central differences are good to about 1e-9.
 *
 * @module
 */
import { type Energy, program } from '../energy/index.js'
import * as ir from '../ir/index.js'
import { flatten, scheduleAt, targetOf, type Instruction, type Kernel } from '../sampler/index.js'
import { clipped } from '../sampler/blocks/drift.js'
import { paramValues } from '../energy/params.js'

/** Where the walk is: positions, momenta and their tangents, row-major [rows × D]. */
interface Walk {
  readonly x: Float64Array
  readonly p: Float64Array
  readonly dx: Float64Array
  readonly dp: Float64Array
}

/** ∇E(x) and the Hessian-vector product ∇²E(x)·v of a batch of rows, from one compiled tape. */
type GradientAndHvp = (x: Float64Array, v: Float64Array) => { readonly g: Float64Array; readonly hv: Float64Array }

const gradientAndHvp = (e: Energy, rows: number, params: Readonly<Record<string, Float64Array>>): GradientAndHvp => {
  const prog = program(e, rows)
  const v = ir.input('tangent', prog.x.shape)
  const [g] = ir.grad(ir.sum(prog.energy), [prog.x])
  const [hv] = ir.grad(ir.sum(ir.mul(g, v)), [prog.x])
  const tape = ir.compile([g, hv], [prog.x, v, ...prog.paramList])
  return (x, tangent) => {
    const [gv, hvv] = ir.runReference(tape, { ...params, x, tangent })
    return { g: gv, hv: hvv }
  }
}

// One instruction's step of the walk, or the reason it cannot be walked.
const stepOf = (ins: Instruction, t: number, w: Walk, at: GradientAndHvp): string | undefined => {
  const kick = (h: number) => {
    const { g, hv } = at(w.x, w.dx)
    for (let j = 0; j < w.p.length; j++) {
      w.p[j] -= h * g[j]
      w.dp[j] -= h * hv[j]
    }
  }
  const move = (h: number) => {
    for (let j = 0; j < w.x.length; j++) {
      w.x[j] += h * w.p[j]
      w.dx[j] += h * w.dp[j]
    }
  }
  switch (ins.op) {
    case 'kick':
      kick(scheduleAt(ins.stepSize, t))
      return undefined
    case 'move':
      move(scheduleAt(ins.stepSize, t))
      return undefined
    case 'leapfrog': {
      const h = scheduleAt(ins.stepSize, t)
      kick(h / 2)
      move(h)
      kick(h / 2)
      return undefined
    }
    case 'drift': {
      const h = scheduleAt(ins.stepSize, t)
      const { g, hv } = at(w.x, w.dx)
      for (let j = 0; j < w.x.length; j++) {
        // a clipped coordinate of the gradient is constant: its derivative is 0
        const inside = ins.clip === null || Math.abs(g[j]) < ins.clip
        w.x[j] -= h * clipped(g[j], ins.clip)
        w.dx[j] -= inside ? h * hv[j] : 0
      }
      return undefined
    }
    case 'momentum': {
      if (scheduleAt(ins.temperature, t) !== 0) return 'a momentum refresh with noise'
      const a = ins.friction === null ? 0 : Math.exp(-ins.friction * scheduleAt(ins.stepSize, t))
      for (let j = 0; j < w.p.length; j++) {
        w.p[j] *= a
        w.dp[j] *= a
      }
      return undefined
    }
    default:
      return `the instruction '${ins.op}'`
  }
}

/** The instructions {@link forwardJacobians} walks. */
export const walkedInstructions = ['kick', 'move', 'leapfrog', 'drift', 'momentum (without noise)'] as const

/** What the forward walk gives: each point's end (x, p) and its Jacobian ∂(x′, p′)/∂(x, p), [2D × 2D] row-major. */
export interface ForwardJacobians {
  readonly x: Float64Array
  readonly p: Float64Array
  readonly jacobians: readonly Float64Array[]
}

/**
 * The end points and Jacobians of one step (step index `t`) of a deterministic kernel from each start
 * (x, p) (row-major [points × D]), by forward mode; or, when the kernel holds an instruction the walk
 * does not know (a user's own, a reflection, noise), the reason, so the caller can fall back to finite
 * differences.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { forwardJacobians } from './jacobian.js'
 * import * as energy from '../energy/index.js'
 * import * as sampler from '../sampler/index.js'
 * // on E = x²/2 a leapfrog step of size h is linear: [[1 − h²/2, h], [−h(1 − h²/4), 1 − h²/2]], determinant 1
 * const e = energy.quadratic({ center: [0] })
 * const r = forwardJacobians(e, sampler.leapfrog({ stepSize: 0.5 }), {}, Float64Array.of(0.3), Float64Array.of(-1))
 * assert.ok(typeof r !== 'string')
 * assert.deepEqual(Array.from(r.jacobians[0]), [0.875, 0.5, -0.46875, 0.875])
 * assert.match(String(forwardJacobians(e, sampler.mala({ stepSize: 0.1 }), {}, Float64Array.of(0), Float64Array.of(0))), /^the instruction 'propose'$/)
 */
export const forwardJacobians = (e: Energy, kernel: Kernel, params: Readonly<Record<string, ArrayLike<number>>>, x: Float64Array, p: Float64Array, t = 0): ForwardJacobians | string => {
  const D = ir.size(e.shape)
  const n = 2 * D
  const points = x.length / D
  const { instructions } = flatten(kernel, D, targetOf(e))
  // Row (c, j): point c carrying the tangent of coordinate j of (x, p).
  const rows = points * n
  const w: Walk = { x: new Float64Array(rows * D), p: new Float64Array(rows * D), dx: new Float64Array(rows * D), dp: new Float64Array(rows * D) }
  for (let c = 0; c < points; c++) {
    for (let j = 0; j < n; j++) {
      const r = c * n + j
      w.x.set(x.subarray(c * D, (c + 1) * D), r * D)
      w.p.set(p.subarray(c * D, (c + 1) * D), r * D)
      if (j < D) w.dx[r * D + j] = 1
      else w.dp[r * D + j - D] = 1
    }
  }
  const at = gradientAndHvp(e, rows, paramValues(e, params, 'forwardJacobians: params'))
  for (const ins of instructions) {
    const unknown = stepOf(ins, t, w, at)
    if (unknown !== undefined) return unknown
  }
  const jacobians = Array.from({ length: points }, (_v, c) => {
    const J = new Float64Array(n * n)
    for (let j = 0; j < n; j++) {
      const r = (c * n + j) * D
      for (let i = 0; i < D; i++) {
        J[i * n + j] = w.dx[r + i]
        J[(D + i) * n + j] = w.dp[r + i]
      }
    }
    return J
  })
  const ends = (v: Float64Array) => Float64Array.from({ length: points * D }, (_v, k) => v[(Math.floor(k / D) * n) * D + (k % D)])
  return { x: ends(w.x), p: ends(w.p), jacobians }
}
