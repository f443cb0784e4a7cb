/**
 * The image value every picture becomes: RGBA pixels, row-major from the top-left corner, and the small
 * painting operations the renderers share. Painting writes into an image the renderer itself created, so
 * the functions of the viz namespace stay pure: each returns a fresh image.
 *
 * @module
 */
import { integer, rangeError, typeError } from '../check/index.js'

/** A colour as red, green, blue in 0…255. */
export type Rgb = readonly [number, number, number]

/** RGBA pixels, 4 bytes each, row-major from the top-left corner. */
export interface Image {
  readonly width: number
  readonly height: number
  readonly data: Uint8Array
}

/** A rectangle of pixels: columns [x, x + width), rows [y, y + height). */
export interface Rect {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/** The largest width or height of an image: 8192 pixels keep an image under 256 MiB. */
export const maxSide = 8192

/** Checks a width or height in pixels. */
export const side = (v: unknown, where: string): number => integer(v, where, { min: 1, max: maxSide })

/** A new image filled with one colour. */
export const blank = (width: number, height: number, colour: Rgb): Image => {
  const data = new Uint8Array(width * height * 4)
  for (let k = 0; k < data.length; k += 4) {
    data[k] = colour[0]
    data[k + 1] = colour[1]
    data[k + 2] = colour[2]
    data[k + 3] = 255
  }
  return { width, height, data }
}

/** Paints one pixel; pixels outside the image (or outside `clip`) are left alone. */
export const plot = (image: Image, x: number, y: number, colour: Rgb, clip?: Rect): void => {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return
  if (clip !== undefined && (x < clip.x || y < clip.y || x >= clip.x + clip.width || y >= clip.y + clip.height)) return
  const k = (y * image.width + x) * 4
  image.data[k] = colour[0]
  image.data[k + 1] = colour[1]
  image.data[k + 2] = colour[2]
  image.data[k + 3] = 255
}

/** Fills a rectangle (clipped to the image). */
export const fill = (image: Image, r: Rect, colour: Rgb): void => {
  for (let y = r.y; y < r.y + r.height; y++) for (let x = r.x; x < r.x + r.width; x++) plot(image, x, y, colour)
}

/**
 * The colour of one pixel as [red, green, blue, alpha]: what a test or a caller reads back.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { viz } from 'heatbath'
 * const image = viz.render(viz.patterns([[1, 0, 0, 1]], { width: 2 }), { width: 40, height: 40 })
 * assert.equal(viz.pixel(image, 0, 0).length, 4)
 */
export const pixel = (image: Image, x: number, y: number): [number, number, number, number] => {
  if (typeof image !== 'object' || image === null || !(image.data instanceof Uint8Array)) throw typeError('viz.pixel: image', 'an image (from viz.render)', image)
  integer(x, 'viz.pixel: x', { min: 0, max: image.width - 1 })
  integer(y, 'viz.pixel: y', { min: 0, max: image.height - 1 })
  const k = (y * image.width + x) * 4
  return [image.data[k], image.data[k + 1], image.data[k + 2], image.data[k + 3]]
}

/** Checks that an image's pixels match its size (a hand-made or truncated one would encode garbage). */
export const checkImage = (v: unknown, where: string): Image => {
  if (typeof v !== 'object' || v === null || !((v as Image).data instanceof Uint8Array)) throw typeError(where, 'an image { width, height, data } (from viz.render)', v)
  const image = v as Image
  side(image.width, `${where}.width`)
  side(image.height, `${where}.height`)
  if (image.data.length !== image.width * image.height * 4) throw rangeError(`${where}.data`, `${image.width}·${image.height}·4 = ${image.width * image.height * 4} bytes`, image.data)
  return image
}
