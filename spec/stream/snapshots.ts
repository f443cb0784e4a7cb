// Builds snapshot streams for the operator tests.
import { from, lastValueFrom, toArray, type Observable, type OperatorFunction } from 'rxjs'
import type { ChainSnapshot } from '../../src/diagnostics/index.js'

/** A snapshot of `chains` one-dimensional chains at the given positions; energies x²/2 unless given. */
export const snapshot = (step: number, positions: number[], extra: Partial<ChainSnapshot> = {}): ChainSnapshot => ({
  step,
  chains: positions.length,
  dimension: 1,
  positions: Float64Array.from(positions),
  energies: Float64Array.from(positions, (x) => (x * x) / 2),
  ...extra,
})

/** Runs an operator over snapshots and collects what it emits. */
export const run = <R>(snapshots: ChainSnapshot[], operator: OperatorFunction<ChainSnapshot, R>): Promise<R[]> =>
  lastValueFrom((from(snapshots) as Observable<ChainSnapshot>).pipe(operator, toArray()))
