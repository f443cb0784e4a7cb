/**
 * NUTS keeps its bits: short runs under the identity, a diagonal and a dense metric give the draws and
 * statistics recorded in spec/fixtures/nuts-bits/digests.json (written at commit baa9fdf, before the trees
 * kept each point's velocity M⁻¹p), on the reference and on the native backend in float64 and float32.
 */
import { readFileSync } from 'node:fs'
import t from 'tap'
import { samplerAddon } from '../../src/sampler/native.js'
import { nutsDigests } from './nuts-bits.js'

const pinned = JSON.parse(readFileSync(new URL('../fixtures/nuts-bits/digests.json', import.meta.url), 'utf8')) as { reference: Record<string, string>; native: Record<string, string> }

t.test('the reference NUTS gives the pinned bits under every metric', async (t) => {
  t.strictSame(await nutsDigests('reference'), pinned.reference)
})

t.test('the native NUTS gives the pinned bits under every metric, in float64 and float32', { skip: samplerAddon().addon === undefined ? 'needs the native addon' : false }, async (t) => {
  t.strictSame(await nutsDigests('native'), pinned.native)
})
