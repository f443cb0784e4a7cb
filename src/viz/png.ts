/**
 * Images as PNG bytes (8-bit RGBA, by pngjs). Writing them to a file is the caller's: `io.writeAtomically`
 * does it without ever leaving half a file.
 *
 * @module
 */
import { PNG } from 'pngjs'
import { checkImage, type Image } from './image.js'

/**
 * Encodes an image as PNG.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { viz } from 'heatbath'
 * const bytes = viz.png(viz.render(viz.patterns([[1, 0, 0, 1]]), { width: 60, height: 60 }))
 * assert.deepEqual(Array.from(bytes.subarray(1, 4)), [0x50, 0x4e, 0x47]) // 'PNG'
 */
export const png = (image: Image): Uint8Array => {
  const checked = checkImage(image, 'viz.png: image')
  const out = new PNG({ width: checked.width, height: checked.height })
  out.data = Buffer.from(checked.data.buffer, checked.data.byteOffset, checked.data.byteLength)
  return PNG.sync.write(out)
}
