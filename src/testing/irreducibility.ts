/**
 * `checkIrreducibility` on finite state spaces: every state reaches every other (the transition graph is
 * strongly connected) and the chain is aperiodic, so that it converges to its stationary law from any
 * start. The graph is the exact matrix's where the kernel's definition is known, else the moves seen in
 * one-step runs from every state.
 *
 * @module
 */
import * as check from '../check/index.js'
import type { Energy } from '../energy/index.js'
import type { Kernel } from '../sampler/index.js'
import { checkedKernel, kernelName, runAtNames, runAtOf, seedOf, type RunAt } from './chains.js'
import { exactTransitions, hasExactTransitions } from './exact-transitions.js'
import { transitionCounts } from './finite.js'
import { finiteSpace, stateName, type FiniteSpace } from './finite-space.js'
import { boundReport, combined, type Report } from './report.js'

/** Options of {@link checkIrreducibility}. */
export interface IrreducibilityOptions extends RunAt {
  /** Chains run one step from each state for a kernel without an exact matrix (default 1000). */
  readonly replicas?: number
  /** The seed of the chains (default 0). */
  readonly seed?: number
}

/** A directed graph on states 0 … n − 1 by its successor lists. */
export type Graph = readonly (readonly number[])[]

/** Breadth-first distances from `from` (−1: not reached). */
const distances = (graph: Graph, from: number): Int32Array => {
  const d = new Int32Array(graph.length).fill(-1)
  d[from] = 0
  const queue = [from]
  for (let q = 0; q < queue.length; q++) {
    for (const v of graph[queue[q]]) {
      if (d[v] < 0) {
        d[v] = d[queue[q]] + 1
        queue.push(v)
      }
    }
  }
  return d
}

const reversed = (graph: Graph): number[][] => {
  const out: number[][] = graph.map(() => [])
  graph.forEach((next, u) => next.forEach((v) => out[v].push(u)))
  return out
}

const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b))

/**
 * The states that state 0 does not reach, those that do not reach it, and the period: the gcd over the
 * edges u → v among the states of 0's strongly connected class of d(u) + 1 − d(v), d the distance from
 * state 0 (every cycle's length is a multiple of it, and it is the gcd of those lengths).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { graphStructure } from './irreducibility.js'
 * // 0 → 1 → 2 → 0: one class, period 3; with a loop at 2 it is aperiodic
 * assert.deepEqual(graphStructure([[1], [2], [0]]), { unreached: [], unreaching: [], period: 3 })
 * assert.deepEqual(graphStructure([[1], [2], [0, 2]]).period, 1)
 * // 0 → 1 ⟲: state 1 never comes back, and no cycle passes through 0 (period 0)
 * assert.deepEqual(graphStructure([[1], [1]]), { unreached: [], unreaching: [1], period: 0 })
 */
export const graphStructure = (graph: Graph): { readonly unreached: number[]; readonly unreaching: number[]; readonly period: number } => {
  const forward = distances(graph, 0)
  const backward = distances(reversed(graph), 0)
  const unreached = [...forward.keys()].filter((k) => forward[k] < 0)
  const unreaching = [...backward.keys()].filter((k) => backward[k] < 0)
  let period = 0
  graph.forEach((next, u) => {
    if (forward[u] < 0 || backward[u] < 0) return
    for (const v of next) if (forward[v] >= 0 && backward[v] >= 0) period = gcd(period, forward[u] + 1 - forward[v])
  })
  return { unreached, unreaching, period }
}

// The states of a list, at most 8 of them named.
const named = (space: FiniteSpace, states: readonly number[]): string =>
  `${states.slice(0, 8).map((k) => stateName(space, k)).join(', ')}${states.length > 8 ? ` and ${states.length - 8} more` : ''}`

/**
 * Checks that `kernel` is irreducible and aperiodic on the finite space of a discrete energy of at most
 * 10 units: its transition graph is strongly connected (the report names the states not reached from
 * the first, or not reaching it) and the gcd of its cycle lengths is 1. For a kernel of the package's
 * discrete blocks the graph is its exact matrix's; for a user's own block it is the moves seen in
 * `replicas` one-step chains from every state. A move seen is certain, so a pass is too; a failure of an
 * estimated graph may be a move too rare to be seen, a move of probability q being missed by all
 * replicas with probability (1 − q)^replicas.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as energy from '../energy/index.js'
 * import * as sampler from '../sampler/index.js'
 * import { checkIrreducibility } from './irreducibility.js'
 * const e = energy.boltzmann({ weights: [[0, 0.8, 0], [0.8, 0, -0.5], [0, -0.5, 0]], bias: [0.3, -0.2, 0.1] })
 * assert.equal((await checkIrreducibility(e, sampler.heatBath({ temperature: 1.5 }))).passed, true)
 * // zero-temperature descent never climbs: the states above a minimum are not reached from it
 * assert.equal((await checkIrreducibility(e, sampler.descent())).passed, false)
 */
export const checkIrreducibility = async (energy: Energy, kernel: Kernel, options: IrreducibilityOptions = {}): Promise<Report> => {
  const name = 'checkIrreducibility'
  const o = check.options<IrreducibilityOptions>(options ?? {}, `${name}: options`, ['replicas', 'seed', ...runAtNames])
  const k = checkedKernel(kernel, `${name}: kernel`)
  const replicas = check.integer(o.replicas ?? 1000, `${name}: replicas`, { min: 1 })
  const seed = seedOf(o.seed, `${name}: seed`)
  const space = finiteSpace(energy, o.params ?? {}, `${name}: energy`)
  const n = space.size
  const exact = hasExactTransitions(k)
  const weights = exact ? exactTransitions(space, k) : await transitionCounts(energy, k, space, { ...runAtOf(o), replicas, seed })
  const graph = Array.from({ length: n }, (_v, u) => [...Array(n).keys()].filter((v) => weights[u * n + v] > 0))
  const sizes = exact ? { seed } : { seed, replicas, ...(o.backend === undefined ? {} : { backend: o.backend }) }
  const of = exact ? `the exact matrix of '${kernelName(k)}'` : `the moves seen in ${replicas} one-step chains from each state`
  const { unreached, unreaching, period } = graphStructure(graph)
  const from = stateName(space, 0)
  const missing = new Set([...unreached, ...unreaching]).size
  const list = (states: readonly number[]) => (states.length === 0 ? 'none' : named(space, states))
  const apart = missing === 0 ? '' : ` (not reached from ${from}: ${list(unreached)}; not reaching it: ${list(unreaching)})`
  return combined(
    `${name}(${kernelName(k)})`,
    [
      boundReport(`${name}: strongly connected, by ${of}${apart}`, { statistic: missing, bound: 0, what: `states outside the class of ${from}` }, sizes),
      // period 0: no cycle through the first state at all
      boundReport(`${name}: aperiodic, by ${of}`, { statistic: Math.abs(period - 1), bound: 0, what: `period ${period} (the gcd of the cycle lengths through ${from}) less 1, in size` }, sizes),
    ],
    sizes,
  )
}
