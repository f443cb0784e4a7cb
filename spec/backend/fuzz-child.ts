/**
 * Run by fuzz.spec.ts in a child process (so that a crash is seen as a failed test, not a dead runner):
 * calls every addon entry point with random wrong arguments and loads corrupted tapes. Every wrong call
 * must throw a JS error; a corrupted tape must either be refused or run without crashing. Prints one JSON
 * line with counts; exits 1 when a wrong call did not throw.
 */
import fc from 'fast-check'
import { nativeAddon, type NativeAddon } from '../../src/backend/addon.js'
import { encodeTape } from '../../src/backend/encode.js'
import * as ir from '../../src/ir/index.js'
import { sealTape } from '../../src/ir/tape.js'
import { arbitraryTree, build, leaves } from '../ir/arbitrary.js'
import { mlpProgram } from './programs.js'

const addon = nativeAddon().addon as NativeAddon
const { tape, feeds } = mlpProgram(40, 8)
const encoded = encodeTape(tape)
const handle = addon.load(tape.hash, encoded)
const shapes = addon.shapes(handle)
const size = (s: number[]) => s.reduce((a, b) => a * b, 1)
const goodFeeds = tape.feeds.map((f) => Float64Array.from(feeds[f.name]))
const goodOutputs = () => shapes.outputs.map((s) => new Float64Array(size(s)))

let threw = 0
let accepted = 0
const failures: string[] = []
const mustThrow = (what: string, f: () => unknown) => {
  try {
    const r = f()
    if (r instanceof Promise) r.catch(() => undefined)
    failures.push(what)
  } catch (e) {
    if (!(e instanceof Error) || e.message.length === 0) failures.push(`${what}: threw a non-error`)
    threw++
  }
}

// Hand-picked wrong arguments, one entry point at a time.
const c = new Int32Array(1)
const fixed: [string, () => unknown][] = [
  ['load()', () => (addon.load as (...a: unknown[]) => unknown)()],
  ['load(1, enc)', () => addon.load(1 as never, encoded)],
  ['load(short hash)', () => addon.load('abc', encoded)],
  ['load(hash, Float32Array)', () => addon.load(tape.hash, new Float32Array(10) as never)],
  ['load(hash, [])', () => addon.load(tape.hash, [] as never)],
  ['load(hash, empty)', () => addon.load(tape.hash, new Float64Array(0))],
  ['run(bad handle)', () => addon.run(1e8, 'float64', goodFeeds, goodOutputs(), 1, 0)],
  ['run(NaN handle)', () => addon.run(NaN, 'float64', goodFeeds, goodOutputs(), 1, 0)],
  ['run(-1)', () => addon.run(-1, 'float64', goodFeeds, goodOutputs(), 1, 0)],
  ['run(dtype)', () => addon.run(handle, 'int8' as never, goodFeeds, goodOutputs(), 1, 0)],
  ['run(float32 with float64 arrays)', () => addon.run(handle, 'float32', goodFeeds, goodOutputs(), 1, 0)],
  ['run(feeds missing)', () => addon.run(handle, 'float64', goodFeeds.slice(1), goodOutputs(), 1, 0)],
  ['run(feeds not array)', () => addon.run(handle, 'float64', {} as never, goodOutputs(), 1, 0)],
  ['run(feed too short)', () => addon.run(handle, 'float64', [goodFeeds[0].subarray(1), ...goodFeeds.slice(1)], goodOutputs(), 1, 0)],
  ['run(feed is plain array)', () => addon.run(handle, 'float64', [[1, 2] as never, ...goodFeeds.slice(1)], goodOutputs(), 1, 0)],
  ['run(outputs wrong)', () => addon.run(handle, 'float64', goodFeeds, [new Float64Array(1)], 1, 0)],
  ['run(threads NaN)', () => addon.run(handle, 'float64', goodFeeds, goodOutputs(), NaN, 0)],
  ['run(threads -1)', () => addon.run(handle, 'float64', goodFeeds, goodOutputs(), -1, 0)],
  ['run(threads 1e9)', () => addon.run(handle, 'float64', goodFeeds, goodOutputs(), 1e9, 0)],
  ['run(blockRows 0.5)', () => addon.run(handle, 'float64', goodFeeds, goodOutputs(), 1, 0.5)],
  ['run(extra arg)', () => (addon.run as (...a: unknown[]) => unknown)(handle, 'float64', goodFeeds, goodOutputs(), 1, 0, 1)],
  ['runAsync(no cancel)', () => (addon.runAsync as (...a: unknown[]) => unknown)(handle, 'float64', goodFeeds, goodOutputs(), 1, 0)],
  ['runAsync(cancel Float64Array)', () => addon.runAsync(handle, 'float64', goodFeeds, goodOutputs(), 1, 0, new Float64Array(1) as never)],
  ['runAsync(cancel empty)', () => addon.runAsync(handle, 'float64', goodFeeds, goodOutputs(), 1, 0, new Int32Array(0))],
  ['runAsync(bad feeds)', () => addon.runAsync(handle, 'float64', [], goodOutputs(), 1, 0, c)],
  ['shapes(bad)', () => addon.shapes(99999)],
  ['ops(1)', () => (addon.ops as (...a: unknown[]) => unknown)(1)],
  ['draws(NaN)', () => addon.draws('normal', NaN, 0, 0, new Float64Array(1))],
  ['draws(no out)', () => addon.draws('normal', 0, 0, 0, undefined as never)],
  ['philox(-1)', () => addon.philox(-1, 0, 0, 0, 0, 0)],
  ['philox(2^32)', () => addon.philox(2 ** 32, 0, 0, 0, 0, 0)],
  ['philox()', () => (addon.philox as (...a: unknown[]) => unknown)()],
  ['fmaPeak(0)', () => addon.fmaPeak(0)],
  ['fmaPeak(1e20)', () => addon.fmaPeak(1e20)],
  ['fmaPeak(1, 0)', () => addon.fmaPeak(1, 0)],
  ['fmaPeak(1, 1.5)', () => addon.fmaPeak(1, 1.5)],
]
for (const [what, f] of fixed) mustThrow(what, f)

// Random argument lists: each entry point with arguments of random types and values.
const anything = fc.oneof(
  fc.constantFrom(undefined, null, NaN, Infinity, -Infinity, -1, 0, 0.5, 2 ** 31, 2 ** 53, 1e300, '', 'float32', 'float64', 'normal', tape.hash),
  fc.double(),
  fc.string(),
  fc.integer(),
  fc.constant({}),
  fc.array(fc.double(), { maxLength: 5 }),
  fc.constantFrom(new Float64Array(3), new Float32Array(3), new Int32Array(1), new Uint8Array(4)),
)
const entries: [string, number, number][] = [
  ['load', 2, 2],
  ['shapes', 1, 1],
  ['ops', 0, 0],
  ['run', 6, 6],
  ['runAsync', 7, 7],
  ['draws', 5, 5],
  ['philox', 6, 6],
]
fc.assert(
  fc.property(fc.constantFrom(...entries), fc.array(anything, { maxLength: 8 }), ([name, lo, hi], args) => {
    const f = (addon as unknown as Record<string, (...a: unknown[]) => unknown>)[name]
    // A random list that happens to be valid for draws/philox/shapes may succeed; everything else must throw.
    try {
      const r = f(...args)
      if (r instanceof Promise) r.catch(() => undefined)
      accepted++
      if ((name === 'load' || name === 'run' || name === 'runAsync') && args.length >= lo && args.length <= hi) failures.push(`${name}(${args.map(String).join(', ')}) did not throw`)
    } catch {
      threw++
    }
  }),
  { numRuns: 3000, seed: 11 },
)

// Corrupted tapes: random entries replaced, cut short or extended. Refused, or run without crashing.
const strange = fc.oneof(fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, 1, 2, 3, 0.5, 27, 2 ** 31, 2 ** 31 + 1, 2 ** 53, 1e300, -0), fc.integer({ min: -3, max: 40 }))
let loaded = 0
fc.assert(
  fc.property(fc.array(fc.tuple(fc.nat(encoded.length - 1), strange), { minLength: 1, maxLength: 4 }), fc.integer({ min: -3, max: 3 }), (edits, resize) => {
    let bad = encoded.slice()
    for (const [at, v] of edits) bad[at] = v
    if (resize < 0) bad = bad.subarray(0, bad.length + resize)
    else if (resize > 0) bad = Float64Array.from([...bad, ...new Array(resize).fill(1)])
    let h: number
    try {
      h = addon.load('f'.repeat(64), bad)
    } catch {
      threw++
      return
    }
    loaded++
    const s = addon.shapes(h)
    if ([...s.feeds, ...s.outputs].some((x) => size(x) > 1e6)) return
    for (const dtype of ['float64', 'float32'] as const) {
      const make = (x: number[]) => (dtype === 'float32' ? new Float32Array(size(x)) : new Float64Array(size(x)))
      const fs = s.feeds.map((x, i) => {
        const a = make(x)
        a.set(goodFeeds[i]?.subarray(0, a.length) ?? [])
        return a
      })
      try {
        addon.run(h, dtype, fs, s.outputs.map(make), 2, 0)
      } catch {
        threw++
      }
    }
  }),
  { numRuns: 1500, seed: 13 },
)

// Structural mutations of random programs: one number of the tape's JSON (a slot, an argument, an extent,
// an attribute) changed. The C++ validator sees the raw encoding; whatever it accepts must run without
// crashing, and when the TypeScript validator accepts it too, both executors must agree.
let agreed = 0
const numericPaths = (v: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] => {
  if (typeof v === 'number') out.push(path)
  else if (Array.isArray(v)) v.forEach((e, i) => numericPaths(e, [...path, i], out))
  else if (typeof v === 'object' && v !== null) for (const [k, e] of Object.entries(v)) if (k !== 'value') numericPaths(e, [...path, k], out)
  return out
}
fc.assert(
  fc.property(arbitraryTree(3), fc.nat(), fc.constantFrom(-1, 0, 1, 2, 3, 4, 5, 12, 0.5, NaN, 2 ** 31), (tree, pick, value) => {
    const program = ir.compile([build(tree)], Object.values(leaves()))
    const body = JSON.parse(ir.serializeTape(program)) as Record<string, unknown>
    const paths = numericPaths({ slots: body.slots, feeds: body.feeds, instructions: body.instructions, outputs: body.outputs })
    const path = paths[pick % paths.length]
    let at: Record<string | number, unknown> = body
    for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>
    at[path[path.length - 1]] = value
    let encoded: Float64Array
    try {
      encoded = encodeTape(body as unknown as ir.Tape)
    } catch {
      return
    }
    let h: number
    try {
      h = addon.load('e'.repeat(64), encoded)
    } catch {
      threw++
      return
    }
    const s = addon.shapes(h)
    if ([...s.feeds, ...s.outputs].some((x) => size(x) > 1e5)) return
    const fs = s.feeds.map((x) => Float64Array.from({ length: size(x) }, (_v, i) => Math.sin(i + 1)))
    const outs = s.outputs.map((x) => new Float64Array(size(x)))
    addon.run(h, 'float64', fs, outs, 2, 1)
    let sealed: ir.Tape
    try {
      sealed = sealTape(ir.validateTape(body))
    } catch {
      return
    }
    const feedsByName = Object.fromEntries(sealed.feeds.map((f, i) => [f.name, fs[i]]))
    const want = ir.evaluate(sealed, feedsByName)
    if (!want.every((w, k) => w.every((v, i) => Object.is(v, outs[k][i]) || Math.abs(v - outs[k][i]) <= 1e-9 * (Math.abs(v) + 1)))) {
      failures.push(`mutated tape ${JSON.stringify(path)} = ${value}: native and reference disagree`)
    }
    agreed++
  }),
  { numRuns: 800, seed: 17 },
)

console.log(JSON.stringify({ threw, accepted, loaded, agreed, failures }))
process.exit(failures.length === 0 ? 0 : 1)
