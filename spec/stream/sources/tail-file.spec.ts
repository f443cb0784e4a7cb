/**
 * `stream.tailFile`: lines appended to a growing file, a half-written line held until its newline; a
 * rotation (rename + new file) and a truncation (copytruncate) followed; resuming after a position in the
 * same file, in a file since rotated, or in one gone; a file waited for; unsubscribing closes the file.
 */
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs'
import t, { type Test } from 'tap'
import { records as codecs } from '../../../src/io/index.js'
import { type FilePosition, type SourceRecord, type TailEvent, tailFile } from '../../../src/stream/index.js'
import { tick } from '../producer.js'

const tmp = (t: Test): string => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-tail-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Waits, a tick at a time, until `done()` (at most 5 s). */
const until = async (done: () => boolean, what: string): Promise<void> => {
  for (let waited = 0; !done(); waited++) {
    if (waited > 5000) throw new Error(`waited 5 s for ${what}`)
    await tick()
  }
}

/** Subscribes and keeps what comes: the values (as arrays), the records and the events. */
const follow = (t: Test, path: string, o: { from?: FilePosition; header?: boolean; format?: 'jsonl' | 'csv' } = {}) => {
  const got: number[][] = []
  const records: SourceRecord<Float64Array, FilePosition>[] = []
  const events: TailEvent[] = []
  const format = o.format ?? 'jsonl'
  const codec = o.header === true ? codecs.row(['x']) : codecs.vector(1)
  const subscription = tailFile(path, { format, header: o.header, codec, from: o.from, pollMs: 5, onEvent: (e) => events.push(e) }).subscribe({
    next: (r) => {
      records.push(r)
      got.push(Array.from(r.value))
    },
    error: (e: unknown) => t.fail(String(e)),
  })
  t.teardown(() => subscription.unsubscribe())
  return { got, records, events, subscription }
}

const flat = (got: number[][]) => got.map((v) => v[0])

t.test('lines appended are read as they come; a half-written line waits for its newline', async (t) => {
  const path = join(tmp(t), 'a.jsonl')
  writeFileSync(path, '[1]\n[2]\n')
  const { got, records } = follow(t, path)
  await until(() => got.length === 2, 'the first two')
  appendFileSync(path, '[3]\n[4')
  await until(() => got.length === 3, 'the third')
  for (let i = 0; i < 20; i++) await tick()
  t.same(flat(got), [1, 2, 3], 'the fourth is not complete yet')
  appendFileSync(path, '0]\n')
  await until(() => got.length === 4, 'the fourth')
  t.same(flat(got), [1, 2, 3, 40])
  t.same(records.map((r) => [r.position.line, r.position.offset, r.position.end]), [[1, 0, 4], [2, 4, 8], [3, 8, 12], [4, 12, 17]])
  t.ok(records.every((r) => r.position.file.ino === records[0].position.file.ino && r.position.file.ino !== ''), 'the file named by its inode')
})

t.test('rotation: the old file is read to its end, then the new one from its start', async (t) => {
  const dir = tmp(t)
  const path = join(dir, 'a.jsonl')
  writeFileSync(path, '[1]\n')
  const { got, events, records } = follow(t, path)
  await until(() => got.length === 1, 'the first')
  // The writer's last lines go to the old file after the rename, as a logger that has not reopened yet.
  renameSync(path, join(dir, 'a.jsonl.1'))
  appendFileSync(join(dir, 'a.jsonl.1'), '[2]\n')
  writeFileSync(path, '[3]\n')
  appendFileSync(path, '[4]\n')
  await until(() => got.length === 4, 'four records')
  t.same(flat(got), [1, 2, 3, 4])
  t.same(events.map((e) => e.kind), ['rotated'])
  t.not(records[2].position.file.ino, records[0].position.file.ino, 'a new file, a new identity')
  t.same(records[2].position.line, 1, 'lines counted from 1 in the new file')
})

t.test('truncation (copytruncate): reading starts again at the start of the file', async (t) => {
  const path = join(tmp(t), 'a.jsonl')
  writeFileSync(path, '[1]\n[2]\n[3]\n')
  const { got, events } = follow(t, path)
  await until(() => got.length === 3, 'three')
  truncateSync(path, 0)
  await until(() => events.length === 1, 'the truncation seen')
  appendFileSync(path, '[4]\n')
  await until(() => got.length === 4, 'the fourth')
  t.same(flat(got), [1, 2, 3, 4])
  t.match(events, [{ kind: 'truncated', at: 12 }])
})

t.test('resuming after a position: in the same file; in the file a rotation renamed; from the start when it is gone', async (t) => {
  const dir = tmp(t)
  const path = join(dir, 'a.jsonl')
  writeFileSync(path, '[1]\n[2]\n[3]\n')
  const records = await lastValueFrom(tailFile(path, { format: 'jsonl', codec: codecs.vector(1), pollMs: 5 }).pipe(take(3), toArray()))
  const second = records[1].position

  const same = follow(t, path, { from: second })
  await until(() => same.got.length === 1, 'the third')
  t.same(flat(same.got), [3])
  t.match(same.events, [{ kind: 'resumed', at: 8, rotated: false }])
  same.subscription.unsubscribe()

  renameSync(path, join(dir, 'a.jsonl.1'))
  writeFileSync(path, '[4]\n')
  const rotated = follow(t, path, { from: second })
  await until(() => rotated.got.length === 2, 'the third, then the new file')
  t.same(flat(rotated.got), [3, 4])
  t.same(rotated.events.map((e) => e.kind), ['resumed', 'rotated'])
  t.equal(rotated.records[0].position.line, 3, 'the old file\'s line numbers go on')
  rotated.subscription.unsubscribe()

  unlinkSync(join(dir, 'a.jsonl.1'))
  const lost = follow(t, path, { from: second })
  await until(() => lost.got.length === 1, 'the new file from its start')
  for (let i = 0; i < 20; i++) await tick()
  t.same(flat(lost.got), [4], 'once: the file at the path is not taken for a rotation and read again')
  t.same(lost.events.map((e) => e.kind), ['lost'])
})

t.test('resuming in a CSV file with a header reads the header again, so that rows are named', async (t) => {
  const path = join(tmp(t), 'a.csv')
  writeFileSync(path, 'x\n1\n2\n3\n')
  const first = await firstValueFrom(tailFile(path, { format: 'csv', header: true, codec: codecs.row(['x']), pollMs: 5 }))
  t.same(first.position.line, 2)
  const { got } = follow(t, path, { from: first.position, format: 'csv', header: true })
  await until(() => got.length === 2, 'two rows')
  t.same(flat(got), [2, 3])
})

t.test('a file that does not exist yet is waited for; unsubscribing ends the wait and closes the file', async (t) => {
  const path = join(tmp(t), 'later.jsonl')
  const { got, events, subscription } = follow(t, path)
  await until(() => events.length === 1, 'the wait reported')
  t.same(events, [{ kind: 'waiting', path }])
  writeFileSync(path, '[7]\n')
  await until(() => got.length === 1, 'the record')
  subscription.unsubscribe()
  // An open handle or a pending poll would keep the process alive: tap would time the file out.
  t.same(flat(got), [7])
})

t.test('bad arguments and a bad resume position are named', async (t) => {
  t.throws(() => tailFile(3 as never, { format: 'jsonl' }), { name: 'TypeError', message: /^stream\.tailFile: path: expected a string, got 3/ })
  t.throws(() => tailFile('x', { format: 'jsonl', pollMs: 0 }), { name: 'RangeError', message: /^stream\.tailFile: options\.pollMs/ })
  t.throws(() => tailFile('x', { format: 'jsonl', from: { file: { dev: '1' }, line: 1, offset: 0, end: 4 } as never }), { name: 'TypeError', message: /^stream\.tailFile: options\.from\.file\.ino: expected a string/ })
  t.throws(() => tailFile('x', { format: 'jsonl', from: { file: { dev: '1', ino: '2' }, line: 1, offset: -1, end: 4 } }), { name: 'RangeError', message: /^stream\.tailFile: options\.from\.offset: expected an integer ≥ 0, got -1/ })
})
