// CI's check of the package as a user gets it (.ci/run, after the tests): `npm pack`, then `npm install` of
// the tarball into a scratch project with no compiler to run (make, cc, g++, node-gyp... first on PATH fail
// and leave a mark), timed; a sampler run from there on the native executor, checked against the exact
// moments; heatbath/testing with its peer fast-check; `npx heatbath --help`; `require('heatbath')` failing clearly; a second
// `npm install` and an `npm ci`, timed, which must build nothing either; and an install with scripts blocked,
// from which the sampler still runs natively. Any failure exits 1.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const tmp = mkdtempSync(join(tmpdir(), 'heatbath-pack-'))
const project = join(tmp, 'project')
const calls = join(tmp, 'compiler-calls')
const fail = (why) => {
  console.error(`check-install: ${why}`)
  process.exit(1)
}
const tail = (text, n = 15) => text.trim().split('\n').slice(-n).join('\n')

// Runs a command, fails with its output's end when it fails, and returns its output and duration.
const run = (what, command, args, options = {}) => {
  const start = performance.now()
  const r = spawnSync(command, args, { encoding: 'utf8', ...options })
  const seconds = (performance.now() - start) / 1000
  if (r.status !== 0) fail(`${what} exited with ${r.status}:\n${tail(`${r.stdout}\n${r.stderr}`)}`)
  return { out: `${r.stdout}\n${r.stderr}`, seconds }
}

// Stand-ins for every compiler and build tool an install could reach: each records its call and fails.
const noCompiler = () => {
  const bin = join(tmp, 'no-compiler')
  mkdirSync(bin)
  for (const tool of ['make', 'cc', 'gcc', 'c++', 'g++', 'clang', 'clang++', 'node-gyp']) {
    writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> '${calls}'\nexit 1\n`)
    chmodSync(join(bin, tool), 0o755)
  }
  // npm runs its own node-gyp through npm_config_node_gyp, not PATH
  writeFileSync(join(bin, 'node-gyp.cjs'), `require('fs').appendFileSync(${JSON.stringify(calls)}, 'node-gyp (npm_config_node_gyp)\\n'); process.exit(1)\n`)
  return { ...process.env, PATH: `${bin}:${process.env.PATH}`, npm_config_node_gyp: join(bin, 'node-gyp.cjs') }
}

// An install that compiled nothing: no stand-in was called and the package has no build/ directory.
const builtNothing = (what) => {
  if (existsSync(calls)) fail(`${what} ran a compiler: ${readFileSync(calls, 'utf8').trim()}`)
  if (existsSync(join(project, 'node_modules', 'heatbath', 'build'))) fail(`${what} left node_modules/heatbath/build`)
}

// MALA on the double well at T = 0.8 on the native executor (HEATBATH_BACKEND=native throws without it),
// its moments within 4 standard errors of the exact ones from the grid, as in README.
const sampling = `
import { energy, grid, sampler } from 'heatbath'
const T = 0.8, chains = 2000
const well = energy.doubleWell({ dim: 2 })
const run = await sampler.sample(well, sampler.mala({ stepSize: 0.05, temperature: T }), {
  chains, steps: 500, seed: 7, init: Array.from({ length: chains }, () => [1, 0]).flat(),
})
const exact = grid.tabulate(energy.temper(T)(well), { bounds: [[-3, 3], [-4, 4]], n: 400 })
for (const [name, f] of [['E[x0]', ([x]) => x], ['E[x0^2]', ([x]) => x * x], ['E[x1^2]', ([, y]) => y * y]]) {
  const v = Array.from({ length: chains }, (_, c) => f([run.positions[2 * c], run.positions[2 * c + 1]]))
  const mean = v.reduce((s, x) => s + x, 0) / chains
  const se = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (chains - 1) / chains)
  const want = grid.expectation(exact, f)
  if (!(Math.abs(mean - want) < 4 * se)) throw new Error(name + ': ' + mean + ' is not within 4 standard errors (' + se + ') of ' + want)
  console.log(name + ' ' + mean.toFixed(3) + ' ± ' + se.toFixed(3) + ', exact ' + want.toFixed(3))
}
`

// heatbath/testing from the tarball (its peer fast-check installed beside it by npm): a stationarity check
// of MALA and one fast-check arbitrary.
const testingKit = `
import fc from 'fast-check'
import { sampler } from 'heatbath'
import * as testing from 'heatbath/testing'
const target = testing.gaussianTarget({ mean: [1, -1], precision: [[2, 0.6], [0.6, 1]], temperature: 0.5 })
const report = testing.assertPassed(await testing.checkStationarity(target, sampler.mala({ stepSize: 0.3, temperature: 0.5 }), { seed: 1 }))
const [drawn] = fc.sample(testing.gaussianTargets(), { seed: 1, numRuns: 1 })
if (drawn.kind !== 'heatbath.target') throw new Error('testing.gaussianTargets drew ' + JSON.stringify(drawn))
console.log(report.message)
`

const packed = run('npm pack', 'npm', ['pack', '--pack-destination', tmp], { cwd: root })
const tarball = join(tmp, readdirSync(tmp).find((f) => f.endsWith('.tgz')) ?? fail('npm pack made no tarball'))
const listing = run('tar', 'tar', ['-tzf', tarball]).out
for (const f of ['package/dist/index.js', 'package/dist/testing/index.js', 'package/prebuilds/linux-x64/heatbath.glibc.node', 'package/cjs/esm-only.cjs']) {
  if (!listing.includes(f)) fail(`the tarball lacks ${f}`)
}
const size = `${Math.round(statSync(tarball).size / 1024)} KiB`
console.log(`check-install: npm pack ${packed.seconds.toFixed(1)} s, ${size}`)

mkdirSync(project)
writeFileSync(join(project, 'package.json'), '{ "name": "scratch", "private": true, "type": "module" }\n')
const env = noCompiler()
const npmInstall = ['install', '--foreground-scripts', '--no-audit', '--no-fund', '--prefer-offline']
const first = run('npm install <tarball>', 'npm', [...npmInstall, tarball], { cwd: project, env })
if (!first.out.includes('heatbath: using the prebuilt native addon')) fail(`the install did not use the prebuild:\n${tail(first.out)}`)
builtNothing('npm install <tarball>')
console.log(`check-install: npm install <tarball> ${first.seconds.toFixed(1)} s, no compiler run`)

writeFileSync(join(project, 'sampling.mjs'), sampling)
console.log(run('MALA from the scratch project', process.execPath, ['sampling.mjs'], { cwd: project, env: { ...env, HEATBATH_BACKEND: 'native' } }).out.trim())

writeFileSync(join(project, 'testing.mjs'), testingKit)
console.log(run('heatbath/testing from the scratch project', process.execPath, ['testing.mjs'], { cwd: project, env }).out.trim())

const required = spawnSync(process.execPath, ['-e', "require('heatbath')"], { cwd: project, encoding: 'utf8' })
if (required.status === 0 || !required.stderr.includes('heatbath is an ES module only')) fail(`require('heatbath') did not fail clearly:\n${tail(required.stderr)}`)

// The command, as a user runs it from the project that installed the package.
if (!/usage/i.test(run('npx heatbath --help', 'npx', ['--no-install', 'heatbath', '--help'], { cwd: project, env }).out)) fail('npx heatbath --help printed no usage')

const again = run('a second npm install', 'npm', npmInstall, { cwd: project, env })
builtNothing('a second npm install')
// npm ci installs afresh, running the install script again (before the prebuild, a full build each time)
const ci = run('npm ci', 'npm', ['ci', ...npmInstall.slice(1)], { cwd: project, env })
builtNothing('npm ci')
console.log(`check-install: a second npm install ${again.seconds.toFixed(1)} s, npm ci ${ci.seconds.toFixed(1)} s, no compiler run`)

// With install scripts blocked (--ignore-scripts, npm's allowScripts), the loader still finds the prebuild.
rmSync(join(project, 'node_modules'), { recursive: true })
run('npm ci --ignore-scripts', 'npm', ['ci', '--ignore-scripts', ...npmInstall.slice(2)], { cwd: project, env })
run('MALA with install scripts blocked', process.execPath, ['sampling.mjs'], { cwd: project, env: { ...env, HEATBATH_BACKEND: 'native' } })
console.log('check-install: with install scripts blocked, the prebuild still loads')
rmSync(tmp, { recursive: true, force: true })
