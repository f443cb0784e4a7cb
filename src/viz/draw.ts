/**
 * Lines and marks, without anti-aliasing: every pixel a line or point paints is exactly its colour, so a
 * test can find a value's pixel by its colour.
 *
 * @module
 */
import { type Image, plot, type Rect, type Rgb } from './image.js'

/** A square pen of `width` pixels centred on (x, y). */
const dab = (image: Image, x: number, y: number, colour: Rgb, width: number, clip: Rect): void => {
  const o = Math.floor((width - 1) / 2)
  for (let dy = 0; dy < width; dy++) for (let dx = 0; dx < width; dx++) plot(image, x - o + dx, y - o + dy, colour, clip)
}

/** A straight line between two pixels, both ends included (Bresenham), clipped to `clip`. */
export const line = (image: Image, from: readonly [number, number], to: readonly [number, number], colour: Rgb, width: number, clip: Rect): void => {
  let [x, y] = from
  const [x1, y1] = to
  const dx = Math.abs(x1 - x)
  const dy = -Math.abs(y1 - y)
  const sx = x < x1 ? 1 : -1
  const sy = y < y1 ? 1 : -1
  let err = dx + dy
  for (;;) {
    dab(image, x, y, colour, width, clip)
    if (x === x1 && y === y1) return
    const e2 = 2 * err
    if (e2 >= dy) {
      err += dy
      x += sx
    }
    if (e2 <= dx) {
      err += dx
      y += sy
    }
  }
}

/** A filled disc of `radius` pixels around (x, y) (radius 0 is the one pixel). */
export const disc = (image: Image, x: number, y: number, radius: number, colour: Rgb, clip: Rect): void => {
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) if (dx * dx + dy * dy <= radius * radius + radius) plot(image, x + dx, y + dy, colour, clip)
  }
}

/** A dashed horizontal line on row y across `clip`: 4 pixels on, 3 off. */
export const dashed = (image: Image, y: number, colour: Rgb, clip: Rect): void => {
  for (let x = clip.x; x < clip.x + clip.width; x++) if ((x - clip.x) % 7 < 4) plot(image, x, y, colour, clip)
}

/** A one-pixel box just outside a rectangle. */
export const outline = (image: Image, r: Rect, colour: Rgb, clip: Rect): void => {
  const [x0, y0, x1, y1] = [r.x - 1, r.y - 1, r.x + r.width, r.y + r.height]
  line(image, [x0, y0], [x1, y0], colour, 1, clip)
  line(image, [x1, y0], [x1, y1], colour, 1, clip)
  line(image, [x1, y1], [x0, y1], colour, 1, clip)
  line(image, [x0, y1], [x0, y0], colour, 1, clip)
}
