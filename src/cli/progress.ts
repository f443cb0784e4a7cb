/**
 * Progress of a long run: a bar on a terminal (cli-progress), and JSON lines when the output is not a
 * terminal or with `--json`, so that a run can be piped into another program.
 *
 * @module
 */
import cliProgress from 'cli-progress'
import { type Io, jsonLine } from './command.js'

/** What a run reports at a step. */
export interface ProgressFields {
  readonly loss: number
  readonly energyGap: number | null
  /** The latest grid KL, when the run measures one. */
  readonly kl?: number | null
}

/** A run's progress display. */
export interface Progress {
  /** Step `step` (counting from 0) is done. */
  readonly update: (step: number, fields: ProgressFields) => void
  /** Ends the display (the bar stays on screen as it was last drawn). */
  readonly stop: () => void
}

/** Whether a command reports in JSON lines: asked for, or its output is not a terminal. */
export const jsonMode = (io: Io, asked: boolean): boolean => asked || io.stdout.isTTY !== true

const fixed = (x: number | null | undefined, digits: number): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits))

/**
 * A progress display for steps `first` … `total − 1` (with the grid KL when `kl`): the bar on a terminal; in JSON mode a line
 * `{"event":"progress","step":…,"steps":…,"loss":…,"energyGap":…,"kl":…,"seconds":…}` every `every` steps
 * and at the last.
 */
export const progress = (io: Io, o: { readonly json: boolean; readonly total: number; readonly first?: number; readonly every: number; readonly kl?: boolean }): Progress => {
  const started = performance.now()
  const first = o.first ?? 0
  const rate = (step: number): number => (step + 1 - first) / ((performance.now() - started) / 1000)
  if (o.json) {
    return {
      update: (step, f) => {
        if ((step + 1) % o.every !== 0 && step !== o.total - 1) return
        jsonLine(io.stdout, { event: 'progress', step: step + 1, steps: o.total, loss: f.loss, energyGap: f.energyGap, ...(f.kl === undefined ? {} : { kl: f.kl }), seconds: (performance.now() - started) / 1000, iterationsPerSecond: rate(step) })
      },
      stop: () => undefined,
    }
  }
  const bar = new cliProgress.SingleBar(
    {
      format: ` {bar} {value}/{total} steps | loss {loss} | energy gap {gap}${o.kl === true ? ' | KL {kl}' : ''} | {rate} it/s | {eta_formatted} left`,
      stream: io.stdout as unknown as NodeJS.WritableStream,
      hideCursor: true,
      etaBuffer: 200,
    },
    cliProgress.Presets.shades_classic,
  )
  bar.start(o.total, first, { loss: '–', gap: '–', kl: '–', rate: '–' })
  return {
    update: (step, f) => bar.update(step + 1, { loss: fixed(f.loss, 3), gap: fixed(f.energyGap, 3), kl: fixed(f.kl, 3), rate: rate(step).toFixed(0) }),
    stop: () => bar.stop(),
  }
}
