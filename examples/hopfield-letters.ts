/**
 * An associative memory of letters: five 10 × 10 letters stored in a Hopfield network by Storkey's rule,
 * each cued with 30% of its pixels flipped, and retrieved by zero-temperature asynchronous updates: the
 * cue rolls downhill into the memory it is nearest.
 *
 * Run: npm run example examples/hopfield-letters.ts
 */
import { data, hopfield } from '../src/index.js'
import { uniforms } from '../src/rng/index.js'
import { letter, letterNames } from '../src/cli/letters.js'

// The ten-by-ten letters `heatbath hopfield` stores.
const letters = [...letterNames]
const patterns = letters.map(letter)
const N = 100

// 30 of the 100 pixels of each letter flipped, chosen by sorting seeded uniforms.
const cues = patterns.flatMap((p, m) => {
  const order = Array.from(uniforms(7, m, 0, N), (u, i) => [u, i] as const).sort((a, b) => a[0] - b[0])
  const cue = [...p]
  for (const [, i] of order.slice(0, 30)) cue[i] *= -1
  return cue
})

const e = hopfield.store(patterns, { rule: 'storkey' })
/** The retrieval, as printed. */
export const retrieval = await hopfield.retrieve(e, cues, { seed: 1 })
const r = retrieval
const picture = (values: ArrayLike<number>) => data.textImages(values, { width: 10, height: 10, low: -1, columns: 5 })

console.log('stored:')
console.log(picture(patterns.flat()))
console.log('\ncues (30% of the pixels flipped):')
console.log(picture(cues))
console.log('\nretrieved:')
console.log(picture(r.states))
console.log('')
letters.forEach((k, m) => {
  const own = r.overlaps[m * letters.length + m]
  console.log(`${k}: overlap with ${k} ${own.toFixed(2)} (cue ${(1 - (2 * 30) / N).toFixed(2)}), ${r.sweeps[m]} sweeps, ${r.endings[m]}`)
})
