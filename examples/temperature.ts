/**
 * Temperature: p(x) ∝ exp(−E(x)/T) on the double well E(x) = x⁴ − 2x² (minima at ±1, barrier 1 at 0).
 * As T → 0 the density sharpens into the two minima; as T grows it flattens toward uniform on the
 * bounds. Printed per T: the entropy of p on [−3, 3] (uniform would be log 6 ≈ 1.792), the probability
 * of each well's core |x ∓ 1| < 0.25, and of the barrier region |x| < 0.25.
 *
 * Run: npm run example examples/temperature.ts
 */
import { pipe } from 'fp-ts/lib/function.js'
import { energy, grid } from '../src/index.js'

const bounds: [number, number][] = [[-3, 3]]
const near = (c: number) => ([x]: readonly number[]) => Math.abs(x - c) < 0.25

console.log('   T   entropy   P(left well)  P(right well)  P(barrier)')
for (const T of [0.01, 0.05, 0.2, 1, 5, 50, 1000]) {
  const p = grid.tabulate(pipe(energy.doubleWell(), energy.temper(T)), { bounds, n: 1000 })
  const row = [T.toString().padStart(6), grid.entropy(p).toFixed(3).padStart(9)]
  for (const c of [-1, 1, 0]) row.push(grid.mass(p, near(c)).toFixed(4).padStart(13))
  console.log(row.join(' '))
}
console.log(`uniform on [−3, 3]: entropy ${Math.log(6).toFixed(3)}, each region ${(0.5 / 6).toFixed(4)}`)
