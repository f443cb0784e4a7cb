/**
 * The Ising observables `heatbath ising` prints, with their Monte Carlo standard errors: |m| and e from
 * ising.summarize (their MCSE from the effective sample size), and the susceptibility, the specific heat
 * and Binder's U₄, which are functions of several means, by the jackknife over chains (independent
 * chains, each a block however long its autocorrelation).
 *
 * @module
 */
import * as ising from '../diagnostics/ising.js'

type Estimate = ising.Estimate

/** What `heatbath ising` reports at one temperature and size. */
export interface Observables {
  readonly absMagnetisation: Estimate
  readonly energy: Estimate
  readonly susceptibility: Estimate
  readonly specificHeat: Estimate
  readonly binder: Estimate
}

const average = (xs: ArrayLike<number>): number => {
  let s = 0
  for (let i = 0; i < xs.length; i++) s += xs[i]
  return s / xs.length
}

/** A chain's means of |m|, m², m⁴, e and e². */
const chainMoments = (m: Float64Array, e: Float64Array): number[] => [average(m.map(Math.abs)), average(m.map((v) => v * v)), average(m.map((v) => v ** 4)), average(e), average(e.map((v) => v * v))]

/** χ, C and U₄ from the means of |m|, m², m⁴, e, e² (as ising.summarize computes them). */
const derived = ([abs, m2, m4, e, e2]: readonly number[], N: number, T: number): number[] => [(N * (m2 - abs * abs)) / T, Math.max(0, (N * (e2 - e * e)) / (T * T)), 1 - m4 / (3 * m2 * m2)]

/**
 * The jackknife over chains of functions of the chains' means: each value from all chains, its standard
 * error √((n − 1)/n · Σ(θ₋ᵢ − θ̄)²) from the n leave-one-chain-out values.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { jackknife } from './ising-observables.js'
 * // The mean itself: the jackknife's error is the usual s/√n (values 1, 2, 3, 6: s = √(14/3)).
 * const [mean] = jackknife([[1], [2], [3], [6]], (m) => [m[0]])
 * assert.equal(mean.value, 3)
 * assert.ok(Math.abs(mean.mcse - Math.sqrt(14 / 3 / 4)) < 1e-12)
 */
export const jackknife = (perChain: readonly number[][], f: (means: number[]) => number[]): Estimate[] => {
  const n = perChain.length
  const k = perChain[0].length
  const meanOf = (skip: number): number[] => Array.from({ length: k }, (_v, j) => perChain.reduce((s, row, c) => (c === skip ? s : s + row[j]), 0) / (skip < 0 ? n : n - 1))
  const all = f(meanOf(-1))
  const leaveOut = perChain.map((_row, c) => f(meanOf(c)))
  return all.map((value, j) => {
    const bar = leaveOut.reduce((s, t) => s + t[j], 0) / n
    return { value, mcse: Math.sqrt(((n - 1) / n) * leaveOut.reduce((s, t) => s + (t[j] - bar) ** 2, 0)) }
  })
}

/** The observables of measured series (at least two chains). */
export const observables = (series: ising.IsingSeries): Observables => {
  const summary = ising.summarize(series)
  const perChain = series.magnetisation.map((m, c) => chainMoments(m, series.energy[c]))
  const [susceptibility, specificHeat, binder] = jackknife(perChain, (means) => derived(means, series.size, series.temperature))
  return { absMagnetisation: summary.absMagnetisation, energy: summary.energy, susceptibility, specificHeat, binder }
}
