/**
 * `heatbath hopfield`: stores memories in a Hopfield network (letters by default, random patterns with
 * `--patterns`, or the rows of a file with `--data`) by Hebb's or Storkey's rule, cues it with each memory
 * with a fraction of its spins flipped, and retrieves by zero-temperature asynchronous descent. Prints the
 * cues and the retrievals as text, with each retrieval's overlap with its memory, and draws memories, cues
 * and retrievals as PNG. `--capacity` measures the retrieval rate against the load α = P/N instead.
 *
 * @module
 */
import * as data from '../../data/index.js'
import * as hopfield from '../../hopfield/index.js'
import * as rng from '../../rng/index.js'
import * as viz from '../../viz/index.js'
import { imageWidth, numberList, readRows, withinMemory, writePicture } from '../binary.js'
import { decodeFlags, fromText, oneOf, optional, PositiveInteger, Probability, Seed, Switch, Text } from '../codecs.js'
import { exitStatus, input, type Io, jsonLine, type Subcommand, UsageError } from '../command.js'
import { letter, letterNames, letterSide } from '../letters.js'
import { outputPath } from '../model.js'
import { jsonMode } from '../progress.js'

const flagCodecs = {
  letters: Text,
  patterns: optional(fromText(PositiveInteger)),
  size: fromText(PositiveInteger),
  data: optional(Text),
  width: optional(fromText(PositiveInteger)),
  rule: oneOf(hopfield.rules),
  flip: fromText(Probability),
  seed: fromText(Seed),
  out: Text,
  capacity: Switch,
  loads: Text,
  json: Switch,
}
type Flags = ReturnType<typeof decodeFlags<typeof flagCodecs>>

/** Memories with their names and the width they are drawn at. */
interface Memories {
  readonly rows: readonly number[][]
  readonly names: readonly string[]
  readonly width: number
}

/** The spins of a random pattern: at least 2, and few enough for the N² couplings. */
const checkSize = (f: Flags): void => {
  if (f.size < 2) throw new UsageError(`--size: expected an integer ≥ 2 (spins of a pattern), got ${f.size}`)
  withinMemory(f.size ** 2, f.size, '--size', 'N² couplings')
}

const memoriesOf = async (f: Flags, io: Io): Promise<Memories> => {
  if (f.data !== undefined && f.patterns !== undefined) throw new UsageError(`--data, --patterns: expected one of them (a file of patterns, or random ones), got both`)
  if (f.data !== undefined) {
    const rows = (await readRows(f.data, io.cwd, '--data', 'spins')).map((r) => [...r])
    withinMemory(rows[0].length ** 2, rows[0].length, '--data', 'N² couplings (rows of N spins)')
    return { rows, names: rows.map((_r, k) => `row ${k + 1}`), width: imageWidth(rows[0].length, f.width, '--width') }
  }
  if (f.patterns !== undefined) {
    checkSize(f)
    withinMemory(f.patterns * f.size, f.patterns, '--patterns', 'P·N spins of the patterns')
    const u = rng.uniforms(f.seed, 0, 0, f.patterns * f.size)
    const rows = Array.from({ length: f.patterns }, (_p, m) => Array.from(u.subarray(m * f.size, (m + 1) * f.size), (v) => (v < 0.5 ? -1 : 1)))
    return { rows, names: rows.map((_r, k) => `pattern ${k + 1}`), width: imageWidth(f.size, f.width, '--width') }
  }
  const unknown = [...f.letters].find((c) => !letterNames.includes(c))
  if (unknown !== undefined) throw new UsageError(`--letters: expected letters among ${letterNames}, got ${JSON.stringify(f.letters)}`)
  return { rows: [...f.letters].map(letter), names: [...f.letters], width: letterSide }
}

/** Each memory with round(flip·N) distinct spins flipped, chosen by sorting uniforms of stream 1 + m. */
export const cuesOf = (rows: readonly number[][], flip: number, seed: number): Float64Array => {
  const N = rows[0].length
  const cues = new Float64Array(rows.length * N)
  rows.forEach((p, m) => {
    cues.set(p, m * N)
    const order = Array.from(rng.uniforms(seed, 1 + m, 0, N), (u, i) => [u, i] as const).sort((a, b) => a[0] - b[0])
    for (const [, i] of order.slice(0, Math.round(flip * N))) cues[m * N + i] *= -1
  })
  return cues
}

// viz.patterns draws +1 white; a memory's +1 is ink, drawn black on white paper.
const inked = (x: ArrayLike<number>, N: number): Float64Array[] => Array.from({ length: x.length / N }, (_v, k) => Float64Array.from({ length: N }, (_u, i) => -x[k * N + i]))

const retrieveMemories = async (f: Flags, io: Io, json: boolean): Promise<number> => {
  const out = await outputPath(f.out, io.cwd, '--out')
  const m = await memoriesOf(f, io)
  const e = input(f.data === undefined ? '' : '--data', () => hopfield.store(m.rows, { rule: f.rule }))
  const N = m.rows[0].length
  const cues = cuesOf(m.rows, f.flip, f.seed)
  const r = await hopfield.retrieve(e, cues, { seed: f.seed })
  const P = m.rows.length
  const results = m.names.map((name, k) => ({ memory: name, overlap: r.overlaps[k * P + k], cueOverlap: 1 - (2 * Math.round(f.flip * N)) / N, sweeps: r.sweeps[k], ending: r.endings[k] }))
  const picture = viz.layout(
    [viz.patterns(inked(m.rows.flat(), N), { width: m.width, columns: P, title: 'memories' }), viz.patterns(inked(cues, N), { width: m.width, columns: P, title: `cues (${Math.round(f.flip * 100)}% flipped)` }), viz.patterns(inked(r.states, N), { width: m.width, columns: P, title: 'retrieved' })],
    { columns: 1, title: `heatbath hopfield: ${P} memories of ${N} spins, ${f.rule}'s rule` },
  )
  await writePicture(out, picture, { width: Math.max(480, Math.min(1600, 90 * P)), height: 3 * 200 + 30 })
  if (json) {
    for (const line of results) jsonLine(io.stdout, { event: 'retrieval', ...line })
    jsonLine(io.stdout, { event: 'done', memories: P, spins: N, rule: f.rule, retrieved: results.filter((x) => x.overlap === 1).length, out: f.out })
    return exitStatus.ok
  }
  const text = (x: ArrayLike<number>) => data.textImages(x, { width: m.width, height: N / m.width, low: -1, columns: Math.min(P, 10) })
  io.stdout.write(`cues (${Math.round(f.flip * 100)}% of the spins flipped):\n${text(cues)}\n\nretrieved (${f.rule}'s rule):\n${text(r.states)}\n\n`)
  for (const x of results) io.stdout.write(`${x.memory}: overlap ${x.overlap.toFixed(2)} with its memory (the cue's ${x.cueOverlap.toFixed(2)}), ${x.ending} after ${x.sweeps} sweeps\n`)
  io.stdout.write(`wrote ${f.out}: memories, cues and retrievals\n`)
  return exitStatus.ok
}

const capacityCurve = async (f: Flags, io: Io, json: boolean): Promise<number> => {
  checkSize(f)
  const loads = numberList(f.loads, '--loads')
  const bad = loads.find((a) => !(a > 0 && Math.round(a * f.size) >= 1))
  if (bad !== undefined) throw new UsageError(`--loads: expected loads α > 0 with at least one pattern of ${f.size} spins (α ≥ ${(1 / f.size).toFixed(3)}), got ${bad}`)
  if (!json) io.stdout.write(`retrieval at load α = P/N, N = ${f.size}, ${f.rule}'s rule, cues with ${Math.round(f.flip * 100)}% flipped, retrieved when the overlap is > 0.9:\n    α      P   retrieved  mean overlap\n`)
  for (const alpha of loads) {
    const P = Math.round(alpha * f.size)
    const r = await hopfield.retrievalRate({ units: f.size, patterns: P, rule: f.rule, flipped: f.flip, seed: f.seed })
    if (json) jsonLine(io.stdout, { event: 'capacity', load: alpha, patterns: P, fraction: r.fraction, meanOverlap: r.meanOverlap })
    else io.stdout.write(`${alpha.toFixed(3).padStart(6)} ${String(P).padStart(5)} ${r.fraction.toFixed(3).padStart(11)} ${r.meanOverlap.toFixed(3).padStart(13)}\n`)
  }
  return exitStatus.ok
}

export const hopfieldCommand: Subcommand = {
  name: 'hopfield',
  summary: 'stores letters or random patterns in a Hopfield network, retrieves them from noisy cues, and draws them',
  configure: (c) =>
    c
      .option('--letters <text>', `letters to store, among ${letterNames}`, letterNames)
      .option('--patterns <P>', 'store P random patterns instead (of --size spins)')
      .option('--size <N>', 'spins of a random pattern (or of the capacity curve)', '100')
      .option('--data <file>', 'store the rows of a CSV file instead: spins ±1 (or bits 0/1), one pattern a row')
      .option('--width <w>', "cells a row of a pattern's picture (default: square, or as near as divides)")
      .option('--rule <name>', `the learning rule: ${hopfield.rules.join(', ')}`, 'storkey')
      .option('--flip <fraction>', 'the fraction of spins flipped in each cue', '0.25')
      .option('--seed <n>', 'the seed of the patterns, the cues and the update order', '1')
      .option('--out <file>', 'the picture of memories, cues and retrievals', 'hopfield.png')
      .option('--capacity', 'print the retrieval rate against the load α = P/N instead (random patterns of --size spins)')
      .option('--loads <list>', 'the loads of --capacity: a list a,b,… or a range from:to:step', '0.04:0.24:0.02')
      .option('--json', 'results as JSON lines (the default when stdout is not a terminal)')
      .addHelpText('after', '\nExample:\n  heatbath hopfield --letters HOTX --flip 0.3 --out letters.png\n  heatbath hopfield --capacity --size 200 --rule hebb\n'),
  run: async (_args, raw, io) => {
    const f = decodeFlags(flagCodecs, raw)
    const json = jsonMode(io, f.json)
    return f.capacity ? capacityCurve(f, io, json) : retrieveMemories(f, io, json)
  },
}
