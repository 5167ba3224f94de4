import { z } from 'zod';

/** `/fonts/{fontstack}/{start}-{end}.pbf`: MapLibre asks for 256 code points at a time. */
export const glyphRequestSchema = z.object({
  // MapLibre joins a layer's `text-font` list with commas; names are plain words and spaces.
  fontstack: z
    .string()
    .min(1)
    .max(300)
    .regex(/^[\p{L}\p{N} ,._-]+$/u, 'fontstack must be font names separated by commas'),
  file: z
    .string()
    .regex(/^\d{1,5}-\d{1,5}\.pbf$/, 'the file must be {start}-{end}.pbf, e.g. 0-255.pbf')
    .transform((file) => {
      const [start, end] = file.replace('.pbf', '').split('-').map(Number) as [number, number];
      return { start, end };
    })
    .refine(({ start, end }) => start % 256 === 0 && end === start + 255 && end <= 65535, {
      message: 'a glyph range starts at a multiple of 256 and spans 256 code points, e.g. 7680-7935.pbf',
    }),
});

export type GlyphRequest = z.infer<typeof glyphRequestSchema>;
