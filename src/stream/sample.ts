/**
 * The chains of a sampler as a stream of snapshots.
 *
 * @module
 */
import { Observable } from 'rxjs'
import type { Energy } from '../energy/energy.js'
import { checkRun, execute, type Kernel, type SampleOptions, type SampleSnapshot } from '../sampler/index.js'

/**
 * Runs `kernel` on `energy` when subscribed and emits a snapshot every `options.thin` steps and at the
 * last step, then completes. Unsubscribing cancels the run: the work stops at the next block of steps
 * (within milliseconds) and nothing further is emitted. Each subscription is an independent run with
 * the same seed, hence the same snapshots.
 *
 * Lossless: every snapshot is handed to the subscriber synchronously, in order, before the run goes on;
 * a slow subscriber slows the sampler rather than losing snapshots, and nothing is buffered.
 *
 * Arguments are checked when `sample$` is called, so a bad one throws at once with an error naming it.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { lastValueFrom, toArray } from 'rxjs'
 * import { sample$ } from './sample.js'
 * import * as sampler from '../sampler/index.js'
 * import * as energy from '../energy/index.js'
 * import * as ir from '../ir/index.js'
 * const quadratic = energy.define({ shape: [2], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
 * const run$ = sample$(quadratic, sampler.mala({ stepSize: 0.5 }), { chains: 64, steps: 100, seed: 1, thin: 25 })
 * const snapshots = await lastValueFrom(run$.pipe(toArray()))
 * assert.deepEqual(snapshots.map((s) => s.step), [25, 50, 75, 100])
 * assert.ok(snapshots.every((s) => s.statistics.acceptanceRate > 0 && s.statistics.acceptanceRate <= 1))
 * // another subscription is another run with the same seed: the same snapshots
 * assert.deepEqual(await lastValueFrom(run$.pipe(toArray())), snapshots)
 */
export const sample$ = (energy: Energy, kernel: Kernel, options: SampleOptions): Observable<SampleSnapshot> => {
  const run = checkRun(energy, kernel, options)
  return new Observable<SampleSnapshot>((subscriber) => {
    const controller = new AbortController()
    execute(run, { signal: controller.signal, onSnapshot: (s) => subscriber.next(s) }).then(
      () => subscriber.complete(),
      (error: unknown) => {
        if (!controller.signal.aborted) subscriber.error(error)
      },
    )
    return () => controller.abort()
  })
}
