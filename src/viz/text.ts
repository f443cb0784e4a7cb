/**
 * Text in the bitmap font of glyphs.ts, at an integer scale, left to right or rotated to read upwards
 * (the label of a y axis).
 *
 * @module
 */
import { glyph, glyphHeight, glyphWidth } from './glyphs.js'
import { fill, type Image, type Rgb } from './image.js'

/** One pixel of paper between glyphs. */
const advance = glyphWidth + 1

/** The width in pixels of a line of text at a scale (its length along the reading direction). */
export const textWidth = (text: string, scale = 1): number => {
  const n = Array.from(text).length
  return n === 0 ? 0 : (n * advance - 1) * scale
}

/** The height in pixels of a line of text at a scale, descenders included. */
export const textHeight = (scale = 1): number => glyphHeight * scale

/** Where text goes: its box's top-left corner, and whether it reads rightwards or upwards. */
export interface TextPlacement {
  readonly x: number
  readonly y: number
  readonly scale?: number
  readonly direction?: 'right' | 'up'
}

/**
 * Paints text. Reading upwards, the box is textHeight wide and textWidth tall, and the glyphs' tops
 * face left.
 */
export const drawText = (image: Image, text: string, colour: Rgb, at: TextPlacement): void => {
  const s = at.scale ?? 1
  const length = textWidth(text, s)
  Array.from(text).forEach((c, k) => {
    glyph(c).forEach((row, r) =>
      row.forEach((ink, col) => {
        if (!ink) return
        const along = (k * advance + col) * s
        const cell = at.direction === 'up' ? { x: at.x + r * s, y: at.y + length - along - s } : { x: at.x + along, y: at.y + r * s }
        fill(image, { ...cell, width: s, height: s }, colour)
      }),
    )
  })
}
