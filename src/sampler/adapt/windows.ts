/**
 * Stan's warmup schedule for the mass matrix: an initial fast interval (75 steps) where only the step size
 * adapts, slow windows (25 steps, then doubling) at whose ends the mass matrix is estimated from the
 * window's draws, and a final fast interval (50 steps) for the step size alone. The last slow window is
 * stretched to meet the final interval when the next doubling would not fit; for a warmup shorter than
 * 150 steps the intervals are 15% and 10% of it and one slow window takes the rest (Stan's scaling).
 *
 * @module
 */

/** A slow window: steps start … end − 1. */
export interface Window {
  readonly start: number
  readonly end: number
}

/** Stan's default interval lengths. */
export const windowDefaults = { initial: 75, final: 50, base: 25 } as const

/**
 * The slow windows of a warmup of `steps` steps (none below 20 steps, where Stan adapts no mass matrix).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { slowWindows } from './windows.js'
 * // 75 | 25, 50, 100, 200, 500 (stretched) | 50
 * assert.deepEqual(slowWindows(1000).map((w) => w.end - w.start), [25, 50, 100, 200, 500])
 * assert.deepEqual(slowWindows(100), [{ start: 15, end: 90 }])
 */
export const slowWindows = (steps: number): Window[] => {
  if (steps < 20) return []
  let { initial, final, base }: { initial: number; final: number; base: number } = windowDefaults
  if (initial + final + base > steps) {
    initial = Math.floor(0.15 * steps)
    final = Math.floor(0.1 * steps)
    base = steps - initial - final
  }
  const last = steps - final
  const out: Window[] = []
  let start = initial
  let size = base
  while (start < last) {
    // a window whose successor (twice as long) would pass the final interval takes the rest
    const end = start + size + 2 * size > last ? last : start + size
    out.push({ start, end })
    start = end
    size *= 2
  }
  return out
}
