/**
 * `heatbath watch --source …`: learns an energy online from a live stream and scores every record,
 * test-then-train (watcher.ts): one JSON line out per record with its position, score, threshold, flag and
 * the drift signalled at it. With `--checkpoint dir` the state (model, optimizer, replay buffer, memory,
 * threshold window, detector, the source's position) is written atomically every `--every` records and
 * at the end, and only then are the records it holds acknowledged to the source; a run started again
 * with the same flags goes on from it, after the last record it holds. SIGINT and SIGTERM finish the
 * record in hand, checkpoint, acknowledge and exit 0.
 *
 * @module
 */
import { appendFileSync } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import * as diagnostics from '../../diagnostics/index.js'
import * as energy from '../../energy/index.js'
import * as files from '../../io/index.js'
import * as ir from '../../ir/index.js'
import type * as stream from '../../stream/index.js'
import { queuedSteps } from '../../stream/bounded-concat-map.js'
import * as train from '../../train/index.js'
import { decodeOrThrow } from '../../io/decode.js'
import { decodeFlags, fromText, oneOf, optional, PositiveInteger, Positive, Probability, Seed, Text, Threads } from '../codecs.js'
import { exitStatus, input, inputAsync, type Io, jsonLine, type Subcommand, UsageError } from '../command.js'
import { Negatives, negativesOf, Objective, objectiveOf } from '../config.js'
import { withinMemory } from '../binary.js'
import { checkpointDir, modelFlags, modelOf, outputPath, withModelFlags } from '../model.js'
import { openSource, sourceSpec } from '../watch-source.js'
import { watcher, type Watched, type Watcher } from '../watcher.js'

const flagCodecs = {
  ...modelFlags,
  source: Text,
  format: oneOf(['jsonl', 'csv'] as const),
  columns: optional(Text),
  dimension: optional(fromText(PositiveInteger)),
  objective: Text,
  negatives: optional(Text),
  optimizer: oneOf(['sgd', 'adam', 'adamw'] as const),
  lr: fromText(Positive),
  batch: fromText(PositiveInteger),
  memory: oneOf(['window', 'reservoir'] as const),
  memorySize: fromText(PositiveInteger),
  updateEvery: optional(fromText(PositiveInteger)),
  warmUp: optional(fromText(PositiveInteger)),
  quantile: fromText(Probability),
  thresholdWindow: fromText(PositiveInteger),
  drift: oneOf(['adwin', 'pageHinkley', 'none'] as const),
  driftOptions: optional(Text),
  checkpoint: optional(Text),
  every: fromText(PositiveInteger),
  deadLetters: optional(Text),
  seed: fromText(Seed),
  backend: oneOf(['auto', 'native', 'reference'] as const),
  threads: fromText(Threads),
  pollMs: fromText(PositiveInteger),
  scoreBatch: fromText(PositiveInteger),
}
type Flags = ReturnType<typeof decodeFlags<typeof flagCodecs>>

const json = (text: string, flag: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    throw new UsageError(`${flag}: expected JSON, got ${JSON.stringify(text)}`)
  }
}

/** A flag's JSON decoded with io-ts; a bad one is a bad input naming the flag. */
const decodeOrThrowUsage = <A>(codec: Parameters<typeof decodeOrThrow<A>>[0], value: unknown, flag: string): A => input('', () => decodeOrThrow(codec, value, flag))

/** The drift detector the flags name, or null. */
const detectorOf = (f: Flags): diagnostics.DriftDetector<unknown> | null => {
  if (f.drift === 'none') return null
  const options = f.driftOptions === undefined ? {} : json(f.driftOptions, '--drift-options')
  const make = f.drift === 'adwin' ? diagnostics.adwin : diagnostics.pageHinkley
  return input('', () => make(options as object, `--drift-options (${f.drift})`)) as diagnostics.DriftDetector<unknown>
}

/** The online learner the flags describe. */
const learnerOf = (e: energy.Energy, params: energy.Params | undefined, f: Flags): train.OnlineLearner => {
  const objective = objectiveOf(decodeOrThrowUsage(Objective, json(f.objective, '--objective'), '--objective'), '--objective')
  const negatives = f.negatives === undefined ? {} : { negatives: negativesOf(decodeOrThrowUsage(Negatives, json(f.negatives, '--negatives'), '--negatives'), '--negatives') }
  const optimizer = train[f.optimizer]({ lr: f.lr })
  const memory = { kind: f.memory, size: f.memorySize }
  const more = { ...(f.updateEvery === undefined ? {} : { updateEvery: f.updateEvery }), ...(f.warmUp === undefined ? {} : { warmUp: f.warmUp }), ...(params === undefined ? {} : { params }) }
  return input('', () => withFlagNames(f, () => train.online(e, { objective, ...negatives, optimizer, batchSize: f.batch, memory, seed: f.seed, backend: f.backend, threads: f.threads, ...more })))
}

/**
 * Runs `f`, prefixing a refusal of train.online's options with the flag that set the option, so that
 * `--batch 2000` is not refused as `warmUp` alone (the warm-up defaults to the batch and is at most the
 * memory's size).
 */
const withFlagNames = <A>(flags: Flags, f: () => A): A => {
  const named: Readonly<Record<string, string>> = {
    warmUp: flags.warmUp === undefined ? '--batch (the default --warm-up, at most --memory-size)' : '--warm-up (at most --memory-size)',
    batchSize: '--batch',
    updateEvery: '--update-every',
    memory: '--memory-size',
  }
  try {
    return f()
  } catch (e) {
    const flag = e instanceof RangeError || e instanceof TypeError ? named[/^train\.online: (\w+)/.exec(e.message)?.[1] ?? ''] : undefined
    if (flag === undefined) throw e
    throw e instanceof TypeError ? new TypeError(`${flag}: ${e.message}`) : new RangeError(`${flag}: ${(e as Error).message}`)
  }
}

/** What a checkpoint of this watch must have been written with: every flag that shapes the state. */
const settingsOf = (f: Flags, D: number): energy.Json => ({
  command: 'watch',
  dimension: D,
  model: f.model ?? null,
  energy: f.energy ?? null,
  options: f.options ?? null,
  ...Object.fromEntries((['objective', 'negatives', 'optimizer', 'lr', 'batch', 'memory', 'memorySize', 'updateEvery', 'warmUp', 'quantile', 'thresholdWindow', 'drift', 'driftOptions', 'seed'] as const).map((k) => [k, f[k] ?? null])),
})

/** The checkpoint in `dir` when there is one, checked to be of the same watch. */
const resumable = async (dir: string, settings: energy.Json): Promise<files.Checkpoint | null> => {
  const present = await access(join(dir, 'checkpoint.json')).then(() => true, () => false)
  if (!present) return null
  const c = await inputAsync('--checkpoint', () => files.loadCheckpoint(dir))
  const saved = c.meta.options as Record<string, energy.Json>
  const differs = Object.entries(settings as Record<string, energy.Json>).find(([k, v]) => JSON.stringify(saved?.[k] ?? null) !== JSON.stringify(v))
  if (c.meta.source?.operators.watch === undefined || differs !== undefined) {
    const [k, v] = differs ?? ['command', 'watch']
    throw new UsageError(`--checkpoint: expected a checkpoint of this watch (${k} ${JSON.stringify(v)}), got one with ${k} ${JSON.stringify(saved?.[k] ?? null)} in ${JSON.stringify(dir)}`)
  }
  return c
}

/** Refuses a directory as the file to tail (a file not there yet is waited for). */
const tailable = async (path: string, cwd: string): Promise<void> => {
  if ((await stat(resolve(cwd, path)).catch(() => undefined))?.isDirectory() === true) throw new UsageError(`--source: expected a file to tail, got the directory ${JSON.stringify(path)}`)
}

/** Where a record was, for a message: its line in a file or on stdin, else its position as JSON (a Redis entry). */
const placeOf = (position: unknown): string =>
  typeof position === 'object' && position !== null && typeof (position as { line?: unknown }).line === 'number' ? `line ${(position as { line: number }).line}` : `at ${JSON.stringify(position)}`

/** The one-line live status on a terminal, redrawn at most four times a second. */
const statusLine = (io: Io) => {
  const started = performance.now()
  let drawn = 0
  return (records: number, dead: number, drifts: number, checkpoint: string, force = false): void => {
    const now = performance.now()
    if (io.stderr.isTTY !== true || (!force && now - drawn < 250)) return
    drawn = now
    const rate = records / Math.max((now - started) / 1000, 1e-3)
    io.stderr.write(`\r\x1b[Kwatch: ${records} records, ${rate.toFixed(0)}/s | dead letters ${dead} | drifts ${drifts} | checkpoint ${checkpoint}`)
  }
}

type Arrived = stream.SourceRecord<Float64Array, unknown>

/**
 * Runs records through `each` until the source ends or the signal comes; resolves when the record in hand
 * is done. Up to `queued` records wait while one is worked on, and `each` sees those behind its record
 * (to score them in one batch); the source is asked for records only as the queue has room.
 */
const pump = (source: stream.Source<Float64Array, unknown>, queued: number, each: (r: Arrived, behind: readonly Arrived[]) => Promise<void>, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    let inHand: Promise<void> = Promise.resolve()
    const stop = (): void => {
      subscription.unsubscribe()
      inHand.then(resolve, reject)
    }
    const waiting: Arrived[] = []
    const steps = queuedSteps<Arrived, Arrived, void>(
      { where: 'heatbath watch', noun: ['record', 'records'], admit: (r) => (waiting.push(r), r), step: (r) => (waiting.shift(), (inHand = each(r, waiting))) },
      { highWaterMark: queued, onOverflow: 'error' },
    )
    const subscription = source.pipe(steps).subscribe({
      error: (e: unknown) => (signal?.removeEventListener('abort', stop), reject(e)),
      complete: () => (signal?.removeEventListener('abort', stop), resolve()),
    })
    if (signal?.aborted === true) stop()
    else signal?.addEventListener('abort', stop, { once: true })
  })

export const watch: Subcommand = {
  name: 'watch',
  summary: 'learn an energy online from a live stream (a growing file, stdin, a Redis Stream) and score every record as JSON lines',
  configure: (c) =>
    withModelFlags(c)
      .requiredOption('--source <spec>', 'tail:<file> (a growing file), - (stdin) or redis://host:port/<stream>?group=<g>&consumer=<c>[&field=<f>]')
      .option('--format <kind>', 'jsonl (arrays of numbers) or csv', 'jsonl')
      .option('--columns <names>', 'comma-separated names: CSV with a header, or a Redis entry\'s fields (default x0, x1, …)')
      .option('--dimension <n>', "the records' dimension (checked against the energy's)")
      .option('--objective <json>', 'the objective, as in a train config', '{"kind": "scoreMatching", "form": "exact"}')
      .option('--negatives <json>', 'negatives, as in a train config (for the contrastive objective)')
      .option('--optimizer <kind>', 'sgd, adam or adamw', 'adam')
      .option('--lr <x>', 'learning rate', '0.01')
      .option('--batch <n>', 'records per update', '32')
      .option('--memory <kind>', 'window (the last records) or reservoir (a uniform sample)', 'window')
      .option('--memory-size <n>', 'records the memory holds', '1024')
      .option('--update-every <n>', 'records between updates (default: --batch)')
      .option('--warm-up <n>', 'records before the first update (default: --batch)')
      .option('--quantile <q>', 'flag a score above this quantile of recent scores', '0.99')
      .option('--threshold-window <n>', 'recent scores the threshold is the quantile of', '500')
      .option('--drift <kind>', 'adwin, pageHinkley or none', 'adwin')
      .option('--drift-options <json>', "the detector's options as JSON")
      .option('--checkpoint <dir>', 'checkpoint here and acknowledge after each; resume from it when present')
      .option('--every <n>', 'records between checkpoints', '1000')
      .option('--dead-letters <file>', 'append records that do not decode here, as JSON lines')
      .option('--seed <n>', 'seed of every random draw', '0')
      .option('--backend <name>', 'auto, native or reference', 'auto')
      .option('--threads <n>', 'threads of the native executor', '1')
      .option('--poll-ms <n>', 'how often a tailed file is polled', '100')
      .option('--score-batch <n>', 'most records scored in one batch: those waiting, up to the next update', '256')
      .addHelpText('after', '\nOne JSON line per record on stdout: {"position", "index", "score", "threshold", "flagged", "drift", "updated"}.\nWithout --checkpoint each record is acknowledged once scored and learnt.\n\nExample:\n  heatbath watch --source tail:sensors.jsonl --energy mlp --options \'{"widths": [4, 64, 1]}\' --checkpoint run/ > scores.jsonl\n'),
  run: async (_args, raw, io) => {
    const f = decodeFlags(flagCodecs, raw)
    const spec = sourceSpec(f.source)
    const model = await modelOf(f, io.cwd)
    const D = ir.size(model.energy.shape)
    if (f.dimension !== undefined && f.dimension !== D) throw new UsageError(`--dimension: expected the energy's ${D}, got ${f.dimension}`)
    const columns = f.columns?.split(',').map((s) => s.trim())
    if (columns !== undefined && columns.length !== D) throw new UsageError(`--columns: expected ${D} names (the energy's dimension), got ${columns.length}`)
    withinMemory(f.memorySize * D, f.memorySize, '--memory-size', `records of the memory (${D} numbers each)`)
    withinMemory(f.thresholdWindow, f.thresholdWindow, '--threshold-window', 'recent scores')
    if (spec.kind === 'tail') await tailable(spec.path, io.cwd)
    const learner = learnerOf(model.energy, model.params, f)
    const detector = detectorOf(f)
    const deadFile = f.deadLetters === undefined ? undefined : await outputPath(f.deadLetters, io.cwd, '--dead-letters')
    const dir = f.checkpoint === undefined ? undefined : await checkpointDir(f.checkpoint, io.cwd, '--checkpoint')
    const settings = settingsOf(f, D)
    const resumed = dir === undefined ? null : await resumable(dir, settings)
    const w: Watcher = watcher(learner, { window: f.thresholdWindow, quantile: f.quantile }, detector, resumed === null ? undefined : { state: resumed.state, carried: resumed.meta.source?.operators.watch ?? null }, f.scoreBatch)

    let dead = 0
    let firstDead: stream.DeadLetter<unknown> | undefined
    let checkpointed = resumed === null ? 'none' : `at ${w.seen()}`
    const status = statusLine(io)
    const deadLetter = (d: stream.DeadLetter<unknown>): void => {
      dead++
      firstDead ??= d
      if (deadFile !== undefined) appendFileSync(deadFile, `${JSON.stringify({ position: d.position, reason: d.reason, path: d.path, raw: d.raw })}\n`)
    }
    const from = spec.kind === 'stdin' ? undefined : resumed?.meta.source?.position
    const source = openSource(spec, { format: f.format, D, ...(columns === undefined ? {} : { columns }), pollMs: f.pollMs, deadLetter, ...(from === undefined ? {} : { from }), cwd: io.cwd, stdin: io.stdin })

    let last: stream.SourceRecord<Float64Array, unknown> | null = null
    let since = 0
    const save = async (): Promise<void> => {
      if (dir === undefined || last === null || since === 0) return
      const { state, carried } = w.snapshot()
      await files.saveCheckpoint(dir, state, { seed: f.seed, data: null, options: settings, source: { position: (last.checkpointPosition?.() ?? last.position) as energy.Json, records: w.seen(), operators: { watch: carried } } })
      await last.acknowledge()
      since = 0
      checkpointed = `at ${w.seen()} (${new Date().toISOString().slice(11, 19)})`
    }
    const each = async (r: Arrived, behind: readonly Arrived[]): Promise<void> => {
      const out: Watched = await w.step(r.value, (n) => behind.slice(0, n).map((b) => b.value))
      last = r
      since++
      jsonLine(io.stdout, { position: r.position, ...out })
      if (dir === undefined) await r.acknowledge()
      else if (since >= f.every) await save()
      status(w.seen(), dead, w.drifts(), checkpointed)
    }
    await pump(source, f.scoreBatch, each, io.signal)
    await save()
    status(w.seen(), dead, w.drifts(), checkpointed, true)
    if (io.stderr.isTTY === true) io.stderr.write('\n')
    else if (firstDead !== undefined) {
      const first = `${dead === 1 ? 'it' : 'the first'}: ${placeOf(firstDead.position)}: ${firstDead.reason}`
      io.stderr.write(`heatbath watch: ${dead} dead letter${dead === 1 ? '' : 's'} (records that did not decode; ${first}; ${deadFile === undefined ? '--dead-letters <file> keeps them' : `all in ${f.deadLetters}`})\n`)
    }
    return exitStatus.ok
  },
}
