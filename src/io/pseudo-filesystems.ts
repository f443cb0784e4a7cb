/**
 * Kernel pseudo-filesystems: directories that look like any other but hold the kernel's own objects
 * (processes, devices, control groups), not files a program writes. A checkpoint or output directory on
 * one can never work, and finding out by trying is worse than slow: Node's `mkdir(…, { recursive: true })`
 * never returns under /proc (procfs answers ENOENT at every level and the recursion tries again), so a
 * run would hang at its first checkpoint. They are told apart without writing, by the filesystem type
 * `statfs` reports (Linux's magic numbers, linux/magic.h).
 *
 * @module
 */
import { statfs } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { string } from '../check/index.js'

// Each holds only what the kernel puts there: creating a file fails, or (cgroup, configfs, debugfs)
// creating a directory makes a kernel object.
const pseudo: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'procfs'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x6165676c, 'pstore'],
  [0xcafe4a11, 'bpf'],
  [0x62656570, 'configfs'],
  [0x1cd1, 'devpts'],
  [0x19800202, 'mqueue'],
  [0xde5e81e4, 'efivarfs'],
  [0x42494e4d, 'binfmt_misc'],
])

/**
 * The name of the kernel pseudo-filesystem that `path` would be made on (the filesystem of its nearest
 * ancestor that exists), or undefined when it is an ordinary one, or off Linux, whose numbers these are.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { tmpdir } from 'node:os'
 * import { join } from 'node:path'
 * import { pseudoFilesystem } from './pseudo-filesystems.js'
 * assert.equal(await pseudoFilesystem(join(tmpdir(), 'no', 'such', 'run')), undefined)
 * if (process.platform === 'linux') assert.equal(await pseudoFilesystem('/proc/x/y'), 'procfs')
 */
export const pseudoFilesystem = async (path: string): Promise<string | undefined> => {
  string(path, 'io.pseudoFilesystem: path')
  if (process.platform !== 'linux') return undefined
  for (let at = resolve(path); ; at = dirname(at)) {
    // A path that does not exist (ENOENT) or runs through a file (ENOTDIR) would be made in an ancestor.
    const found = await statfs(at).catch(() => undefined)
    if (found !== undefined) return pseudo.get(found.type)
    if (dirname(at) === at) return undefined
  }
}

/** The RangeError of a directory on a pseudo-filesystem: `where: expected …, got "path" on procfs (…)`. */
export const onPseudoFilesystem = (where: string, expected: string, path: string, filesystem: string): RangeError =>
  new RangeError(`${where}: expected ${expected} on a filesystem that holds files, got ${JSON.stringify(path)} on ${filesystem} (the kernel's own objects, not storage)`)
