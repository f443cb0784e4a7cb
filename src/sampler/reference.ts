/**
 * The reference runner: interprets a flattened sampler program over every chain in float64, with the
 * energy and its gradient from the reference executor and draws from the Philox streams. Simple on
 * purpose; the native loop is tested against it.
 *
 * @module
 */
import * as rng from '../rng/index.js'
import type { Instruction, SamplerProgram } from './program.js'
import { scheduleAt } from './schedule.js'
import type { NoiseScale } from './kernel.js'

/** Computes E(x) and ∇E(x) of every chain: x is [chains × D], energy [chains], gradient [chains × D]. */
export type Evaluate = (x: Float64Array, energy: Float64Array, gradient: Float64Array) => void

/** Computes ∇E(x) of every chain alone: x and gradient [chains × D]. */
export type EvaluateGradient = (x: Float64Array, gradient: Float64Array) => void

/**
 * The state of every chain, row-major, mutated in place by the runner.
 *
 * A chain whose position, energy or gradient becomes non-finite outside a Metropolis proposal is marked
 * not `alive` and frozen: no block changes it again, and statistics leave it out. Programs without a
 * Metropolis test, given a gradient evaluator, compute E only at refresh() (the snapshots), so an energy
 * that alone became non-finite is seen there; position and gradient are checked after every evaluation.
 */
export interface ChainState<F extends Float64Array | Float32Array = Float64Array | Float32Array> {
  readonly chains: number
  readonly dimension: number
  readonly position: F
  readonly momentum: F
  readonly energy: F
  readonly gradient: F
  readonly alive: Uint8Array
  /** Metropolis decisions and acceptances of each chain since the counters were last reset. */
  readonly proposed: Float64Array
  readonly accepted: Float64Array
}

/**
 * A fresh state: positions copied from `init`, momenta zero, every chain alive.
 *
 * @example
 * import { initialState } from './reference.js'
 * initialState(2, 1, new Float64Array([0.5, -0.5])).position // Float64Array [0.5, -0.5]
 */
export const initialState = (chains: number, dimension: number, init: Float64Array): ChainState<Float64Array> => ({
  chains,
  dimension,
  position: Float64Array.from(init),
  momentum: new Float64Array(chains * dimension),
  energy: new Float64Array(chains),
  gradient: new Float64Array(chains * dimension),
  alive: new Uint8Array(chains).fill(1),
  proposed: new Float64Array(chains),
  accepted: new Float64Array(chains),
})

/** σ of a noise block at a step. */
export const noiseScaleAt = (s: NoiseScale, step: number): number =>
  s.kind === 'scale' ? scheduleAt(s.scale, step) : Math.sqrt(2 * scheduleAt(s.stepSize, step) * scheduleAt(s.temperature, step))

const clipped = (g: number, clip: number | null): number => (clip === null ? g : g > clip ? clip : g < -clip ? -clip : g)

/** A runner over one state: `steps(from, to)` runs steps from … to − 1; `refresh()` makes E and ∇E current. */
export interface Runner {
  readonly state: ChainState<Float64Array>
  readonly steps: (from: number, to: number) => void
  readonly refresh: () => void
}

/**
 * The reference runner of `program` on `state`, with E and ∇E from `evaluate` and draws under `seed`.
 *
 * @example
 * import { flatten } from './program.js'
 * import { ula } from './builtins.js'
 * import { initialState, referenceRunner } from './reference.js'
 * // E = x²/2, so ∇E = x
 * const evaluate = (x: Float64Array, e: Float64Array, g: Float64Array) => x.forEach((v, i) => { e[i] = v * v / 2; g[i] = v })
 * const runner = referenceRunner(flatten(ula({ stepSize: 0.1 }), 1), evaluate, initialState(4, 1, new Float64Array(4)), 7)
 * runner.steps(0, 10)
 */
export const referenceRunner = (program: SamplerProgram, evaluate: Evaluate, state: ChainState<Float64Array>, seed: number, evaluateGradient?: EvaluateGradient): Runner => {
  const { chains, dimension: D, position: x, momentum: p, energy: E, gradient: g, alive } = state
  const x0 = new Float64Array(chains * D)
  const p0 = new Float64Array(chains * D)
  const g0 = new Float64Array(chains * D)
  const E0 = new Float64Array(chains)
  const logForward = new Float64Array(chains)
  const z = new Float64Array(D + 1)
  // Between snapshots a program without a Metropolis test needs only ∇E: with evaluateGradient it
  // evaluates that alone, and E (with ∇E) only when the caller asks for a full refresh.
  const gradientOnly = evaluateGradient !== undefined && !program.metropolis
  let fresh = false // ∇E belongs to x
  let energyFresh = false // E belongs to x
  let inProposal = false

  // The energy is judged only when it belongs to x.
  const finiteChain = (c: number): boolean => {
    if (energyFresh && !Number.isFinite(E[c])) return false
    for (let j = c * D; j < (c + 1) * D; j++) if (!Number.isFinite(x[j]) || !Number.isFinite(g[j])) return false
    return true
  }
  const check = (): void => {
    if (inProposal) return
    for (let c = 0; c < chains; c++) if (alive[c] && !finiteChain(c)) alive[c] = 0
  }
  const refresh = (): void => {
    if (fresh) return
    if (gradientOnly && evaluateGradient !== undefined) evaluateGradient(x, g)
    else evaluate(x, E, g)
    fresh = true
    energyFresh = !gradientOnly
    check()
  }
  const refreshAll = (): void => {
    if (fresh && energyFresh) return
    evaluate(x, E, g)
    fresh = energyFresh = true
    check()
  }
  // x has changed: E and ∇E no longer belong to it.
  const moved = (): void => {
    fresh = energyFresh = false
  }

  const execute = (ins: Instruction, t: number, base: number): void => {
    switch (ins.op) {
      case 'drift': {
        refresh()
        const h = scheduleAt(ins.stepSize, t)
        for (let c = 0; c < chains; c++) if (alive[c]) for (let j = c * D; j < (c + 1) * D; j++) x[j] -= h * clipped(g[j], ins.clip)
        moved()
        return
      }
      case 'noise': {
        const sigma = noiseScaleAt(ins.scale, t)
        for (let c = 0; c < chains; c++) {
          if (!alive[c]) continue
          rng.normals(seed, c, base + ins.draw, D, z)
          let squares = 0
          for (let j = 0; j < D; j++) {
            x[c * D + j] += sigma * z[j]
            squares += z[j] * z[j]
          }
          if (ins.record) logForward[c] = -0.5 * squares
        }
        moved()
        return
      }
      case 'clamp':
        for (let c = 0; c < chains; c++) if (alive[c]) for (let j = c * D; j < (c + 1) * D; j++) x[j] = x[j] < ins.low ? ins.low : x[j] > ins.high ? ins.high : x[j]
        moved()
        return
      case 'momentum': {
        const a = ins.friction === null ? 0 : Math.exp(-ins.friction * scheduleAt(ins.stepSize, t))
        const b = Math.sqrt(scheduleAt(ins.temperature, t) * (1 - a * a))
        for (let c = 0; c < chains; c++) {
          if (!alive[c]) continue
          rng.normals(seed, c, base + ins.draw, D, z)
          for (let j = 0; j < D; j++) p[c * D + j] = a * p[c * D + j] + b * z[j]
        }
        return
      }
      case 'kick': {
        refresh()
        const h = scheduleAt(ins.stepSize, t)
        for (let c = 0; c < chains; c++) if (alive[c]) for (let j = c * D; j < (c + 1) * D; j++) p[j] -= h * g[j]
        return
      }
      case 'move': {
        const h = scheduleAt(ins.stepSize, t)
        for (let c = 0; c < chains; c++) if (alive[c]) for (let j = c * D; j < (c + 1) * D; j++) x[j] += h * p[j]
        moved()
        return
      }
      case 'leapfrog': {
        refresh()
        const h = scheduleAt(ins.stepSize, t)
        const half = 0.5 * h
        for (let c = 0; c < chains; c++) {
          if (alive[c]) {
            for (let j = c * D; j < (c + 1) * D; j++) {
              p[j] -= half * g[j]
              x[j] += h * p[j]
            }
          }
        }
        moved()
        refresh()
        for (let c = 0; c < chains; c++) if (alive[c]) for (let j = c * D; j < (c + 1) * D; j++) p[j] -= half * g[j]
        return
      }
      case 'propose':
        refresh()
        x0.set(x)
        p0.set(p)
        g0.set(g)
        E0.set(E)
        logForward.fill(0)
        inProposal = true
        return
      case 'accept': {
        refresh()
        inProposal = false
        const T = scheduleAt(ins.temperature, t)
        const h = ins.drift === null ? 0 : scheduleAt(ins.drift.stepSize, t)
        const sigma = ins.noise === null ? 1 : noiseScaleAt(ins.noise, t)
        for (let c = 0; c < chains; c++) {
          if (!alive[c]) continue
          let logAlpha = -(E[c] - E0[c]) / T
          if (ins.correction === 'langevin') {
            // log q(x0 | x′) − log q(x′ | x0); the normalising constants are equal both ways.
            let squares = 0
            for (let j = c * D; j < (c + 1) * D; j++) {
              const r = x0[j] - (x[j] - h * clipped(g[j], ins.drift === null ? null : ins.drift.clip))
              squares += r * r
            }
            logAlpha += -squares / (2 * sigma * sigma) - logForward[c]
          } else if (ins.correction === 'hamiltonian') {
            let kinetic = 0
            for (let j = c * D; j < (c + 1) * D; j++) kinetic += 0.5 * (p[j] * p[j] - p0[j] * p0[j])
            logAlpha -= kinetic / T
          }
          const u = rng.uniform(seed, c, base + ins.draw)
          state.proposed[c] += 1
          // A NaN ratio (a non-finite proposal) compares false: rejected.
          if (rng.log(u) < logAlpha) {
            state.accepted[c] += 1
            if (!finiteChain(c)) alive[c] = 0
          } else {
            const flip = ins.correction === 'hamiltonian' ? -1 : 1
            E[c] = E0[c]
            for (let j = c * D; j < (c + 1) * D; j++) {
              x[j] = x0[j]
              g[j] = g0[j]
              p[j] = flip * p0[j]
            }
          }
        }
        return
      }
      case 'skip':
        return
    }
  }

  const steps = (from: number, to: number): void => {
    const code = program.instructions
    for (let t = from; t < to; t++) {
      const base = t * program.drawsPerStep
      for (let pc = 0; pc < code.length; pc++) {
        const ins = code[pc]
        if (ins.op === 'skip') {
          if ((t + 1) % ins.period !== 0) pc += ins.length
        } else execute(ins, t, base)
      }
    }
  }
  return { state, steps, refresh: refreshAll }
}
