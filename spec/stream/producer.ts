/**
 * A producer 100× faster than its consumer, for the backpressure specs: it pushes `burst` values (default
 * 100) at each timer tick, while the consumer's step takes one tick.
 */
import { Observable } from 'rxjs'

/** One turn of the timer queue: what a fast producer waits between bursts, and a slow step takes. */
export const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1))

/** Pushes `n` values made by `make(i)`, `burst` at each tick, then completes; counts what it produced. */
export const fastProducer = <A>(n: number, make: (i: number) => A, burst = 100): Observable<A> & { produced: () => number } => {
  let produced = 0
  const o = new Observable<A>((subscriber) => {
    let stopped = false
    void (async () => {
      while (produced < n && !stopped) {
        for (let k = 0; k < burst && produced < n; k++) subscriber.next(make(produced++))
        await tick()
      }
      subscriber.complete()
    })()
    return () => {
      stopped = true
    }
  })
  return Object.assign(o, { produced: () => produced })
}

/** A slow step: one tick, then the value back. */
export const slowly = async <A>(value: A): Promise<A> => (await tick(), value)
