/**
 * `heatbath score [file]`: the energy of every record of a file or of stdin under a saved model (or a
 * catalogue energy), one line out per record, in order. Records are CSV rows of numbers (after a header
 * line, the columns whose names do not end in `__`, so a CSV of `heatbath sample` scores as it is) or JSON
 * lines (arrays of numbers). A bad record is reported on stderr with its line number and
 * scored as NaN (null in JSON); the others go on, and the exit status is 1 when any record was bad.
 *
 * @module
 */
import { createReadStream } from 'node:fs'
import { extname, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { Readable } from 'node:stream'
import * as t from 'io-ts'
import * as energy from '../../energy/index.js'
import * as ir from '../../ir/index.js'
import { decodeOrThrow } from '../../io/decode.js'
import { decodeFlags, fromText, oneOf, optional, PositiveInteger, Switch, Threads } from '../codecs.js'
import { exitStatus, type Io, jsonLine, type Subcommand, UsageError } from '../command.js'
import { fieldsOf, isSkipped, numberOf, shortList } from '../csv.js'
import { energiesOf } from '../energies.js'
import { withinMemory } from '../binary.js'
import { modelFlags, modelOf, withModelFlags } from '../model.js'

/** A record read: its line and its point, or why it is not one. */
type Parsed = { readonly line: number; readonly point: Float64Array } | { readonly line: number; readonly error: string }

const clip = (s: string): string => JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s)

const Row = (D: number) =>
  new t.Type<number[], unknown, unknown>(
    `an array of ${D} finite numbers`,
    (u): u is number[] => Array.isArray(u) && u.length === D && u.every(Number.isFinite),
    (u, c) => (Array.isArray(u) && u.length === D && u.every(Number.isFinite) ? t.success(u as number[]) : t.failure(u, c)),
    t.identity,
  )

/**
 * The point of one record of D numbers, or the reason it is not one. `header` names the fields of a CSV
 * row, which must be as many; those whose names do not end in `__` are the point. Without a header, all
 * of a row's fields are.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { recordOf } from './score.js'
 * assert.deepEqual(recordOf('1.5, -2', 2, 'csv'), Float64Array.of(1.5, -2))
 * const header = ['chain__', 'draw__', 'energy__', 'x0', 'x1']
 * assert.deepEqual(recordOf('1,7,0.3,1.5,-2', 2, 'csv', header), Float64Array.of(1.5, -2)) // a sample CSV's x0, x1
 * assert.equal(recordOf('1.5,x', 2, 'csv'), 'expected 2 finite numbers, got "1.5,x"')
 * assert.equal(recordOf('1,7,0.3,1.5,-2,9', 2, 'csv', header), 'expected 5 fields (the header\'s chain__, draw__, energy__, x0, x1), got 6 in "1,7,0.3,1.5,-2,9"')
 * assert.equal(recordOf('[1, 2, 3]', 2, 'jsonl'), 'expected an array of 2 finite numbers, got [1,2,3]')
 */
export const recordOf = (line: string, D: number, format: 'csv' | 'jsonl', header?: readonly string[]): Float64Array | string => {
  if (format === 'csv') {
    const r = fieldsOf(line)
    const fields = line.split(',').length
    if (header !== undefined && fields !== header.length) return `expected ${header.length} fields (the header's ${shortList(header)}), got ${fields} in ${clip(line.trim())}`
    const values = 'bad' in r ? [] : header === undefined ? r.values : r.values.filter((_x, k) => !header[k].endsWith('__'))
    return 'bad' in r || values.length !== D || !values.every(Number.isFinite) ? `expected ${D} finite numbers, got ${clip(line.trim())}` : Float64Array.from(values)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch {
    return `expected a JSON line, got ${clip(line.trim())}`
  }
  try {
    return Float64Array.from(decodeOrThrow(Row(D), parsed, 'record'))
  } catch (e) {
    return (e as Error).message.replace(/^record: /, '')
  }
}

/**
 * The records of a stream of lines. The first line of a CSV is a header when none of its fields is a
 * number; its columns ending in `__` (a sample CSV's chain__, draw__, energy__) are then left out.
 */
async function* recordsIn(lines: AsyncIterable<string>, D: number, format: 'csv' | 'jsonl'): AsyncGenerator<Parsed> {
  let line = 0
  let first = true
  let header: string[] | undefined
  for await (const text of lines) {
    line++
    if (isSkipped(text)) continue
    const names = first && format === 'csv' ? text.split(',').map((f) => f.trim()) : []
    first = false
    if (names.length > 0 && names.every((f) => numberOf(f) === undefined)) {
      header = names
      continue
    }
    const r = recordOf(text, D, format, header)
    yield typeof r === 'string' ? { line, error: r } : { line, point: r }
  }
}

const idle = Symbol('idle')

/**
 * Groups records into chunks of at most `size`, each one run of the tape: a chunk ends when it is full or
 * when no record is waiting, so that records arriving slowly (a live stream on stdin) are scored as they
 * come rather than when a chunk fills.
 */
async function* chunks<A>(items: AsyncIterable<A>, size: number): AsyncGenerator<A[]> {
  const it = items[Symbol.asyncIterator]()
  let chunk: A[] = []
  let pending = it.next()
  for (;;) {
    const waiting = chunk.length === 0 ? await pending : await Promise.race([pending, new Promise<typeof idle>((r) => setImmediate(() => r(idle)))])
    if (waiting === idle) {
      yield chunk
      chunk = []
      continue
    }
    if (waiting.done === true) break
    chunk.push(waiting.value)
    pending = it.next()
    if (chunk.length === size) {
      yield chunk
      chunk = []
    }
  }
  if (chunk.length > 0) yield chunk
}

const formatOf = (file: string | undefined, given: 'csv' | 'jsonl' | undefined): 'csv' | 'jsonl' => {
  if (given !== undefined) return given
  const ext = file === undefined ? '' : extname(file).toLowerCase()
  return ext === '.jsonl' || ext === '.ndjson' || ext === '.json' ? 'jsonl' : 'csv'
}

const linesOf = (file: string | undefined, io: Io): AsyncIterable<string> => {
  const input = file === undefined || file === '-' ? Readable.from(io.stdin) : createReadStream(resolve(io.cwd, file))
  return createInterface({ input, crlfDelay: Infinity })
}

const flagCodecs = {
  ...modelFlags,
  format: optional(oneOf(['csv', 'jsonl'] as const)),
  batch: fromText(PositiveInteger),
  backend: oneOf(['auto', 'native', 'reference'] as const),
  threads: fromText(Threads),
  json: Switch,
}

export const score: Subcommand = {
  name: 'score',
  summary: 'energies of records (CSV rows or JSON lines) from a file or stdin under a saved model, one line per record',
  configure: (c) =>
    withModelFlags(c)
      .argument('[file]', 'the records (default, or -: stdin)')
      .option('--format <kind>', 'csv or jsonl (default: from the file name, else csv)')
      .option('--batch <n>', 'records per evaluation', '4096')
      .option('--backend <name>', 'auto, native or reference', 'auto')
      .option('--threads <n>', 'threads of the native executor', '1')
      .option('--json', 'one JSON line per record: {"line", "energy"} or {"line", "error"}')
      .addHelpText('after', '\nExample:\n  heatbath score --model model.safetensors points.csv > energies.txt\n  tail -f sensors.jsonl | heatbath score --model model.safetensors --format jsonl --json\n'),
  run: async (args, raw, io) => {
    const f = decodeFlags(flagCodecs, raw)
    const file = args[0]
    const model = await modelOf(f, io.cwd)
    const D = ir.size(model.energy.shape)
    withinMemory(f.batch * D, f.batch, '--batch', `records of an evaluation (${D} numbers each)`)
    const params = model.params ?? energy.init(model.energy)
    const energiesAt = energiesOf(model.energy, { batch: f.batch, backend: f.backend, threads: f.threads })
    const source = file === undefined || file === '-' ? 'stdin' : file
    const format = formatOf(file === '-' ? undefined : file, f.format)
    let bad = 0
    try {
      for await (const chunk of chunks(recordsIn(linesOf(file, io), D, format), f.batch)) {
        const good = chunk.filter((r): r is Extract<Parsed, { point: Float64Array }> => 'point' in r)
        const points = new Float64Array(good.length * D)
        good.forEach((r, i) => points.set(r.point, i * D))
        const energies = energiesAt(points, params)
        let k = 0
        for (const r of chunk) {
          if ('error' in r) {
            bad++
            io.stderr.write(`heatbath score: ${source}:${r.line}: ${r.error}\n`)
            if (f.json) jsonLine(io.stdout, { line: r.line, error: r.error })
            else io.stdout.write('NaN\n')
          } else if (f.json) jsonLine(io.stdout, { line: r.line, energy: energies[k++] })
          else io.stdout.write(`${energies[k++]}\n`)
        }
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === undefined) throw e
      throw new UsageError(`[file]: expected a readable file of records, got ${JSON.stringify(file)} (${code})`)
    }
    if (bad > 0) io.stderr.write(`heatbath score: ${bad} bad record${bad === 1 ? '' : 's'} of ${source} (scored NaN)\n`)
    return bad > 0 ? exitStatus.failed : exitStatus.ok
  },
}
