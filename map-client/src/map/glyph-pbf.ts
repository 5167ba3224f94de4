import { PbfReader, PbfWriter } from 'pbf';

/**
 * The glyph PBF format MapLibre reads (`/fonts/{fontstack}/{range}.pbf`): one font stack with the SDF
 * bitmaps of the code points of a 256-wide range. Used by the glyph build, the glyph tests and the
 * server's empty-range answer; the map itself lets MapLibre decode them.
 *
 *   message glyphs    { repeated fontstack stacks = 1; }
 *   message fontstack { string name = 1; string range = 2; repeated glyph glyphs = 3; }
 *   message glyph     { uint32 id = 1; bytes bitmap = 2; uint32 width = 3; uint32 height = 4;
 *                       sint32 left = 5; sint32 top = 6; uint32 advance = 7; }
 */
export interface Glyph {
  id: number;
  bitmap: Uint8Array | undefined;
  width: number;
  height: number;
  left: number;
  top: number;
  advance: number;
}

export interface GlyphRange {
  name: string;
  range: string;
  glyphs: Glyph[];
}

export function decodeGlyphRange(bytes: Uint8Array): GlyphRange {
  const pbf = new PbfReader(bytes);
  const result: GlyphRange = { name: '', range: '', glyphs: [] };
  pbf.readFields((tag) => {
    if (tag !== 1) return;
    pbf.readMessage((stackTag) => {
      if (stackTag === 1) result.name = pbf.readString();
      else if (stackTag === 2) result.range = pbf.readString();
      else if (stackTag === 3) result.glyphs.push(readGlyph(pbf));
    }, undefined);
  }, undefined);
  return result;
}

function readGlyph(pbf: PbfReader): Glyph {
  const glyph: Glyph = { id: 0, bitmap: undefined, width: 0, height: 0, left: 0, top: 0, advance: 0 };
  pbf.readMessage((tag) => {
    switch (tag) {
      case 1: glyph.id = pbf.readVarint(); break;
      case 2: glyph.bitmap = pbf.readBytes(); break;
      case 3: glyph.width = pbf.readVarint(); break;
      case 4: glyph.height = pbf.readVarint(); break;
      case 5: glyph.left = pbf.readSVarint(); break;
      case 6: glyph.top = pbf.readSVarint(); break;
      case 7: glyph.advance = pbf.readVarint(); break;
    }
  }, undefined);
  return glyph;
}

export function encodeGlyphRange(range: GlyphRange): Uint8Array {
  const pbf = new PbfWriter();
  pbf.writeMessage(1, (stack: GlyphRange, out: PbfWriter) => {
    out.writeStringField(1, stack.name);
    out.writeStringField(2, stack.range);
    for (const glyph of stack.glyphs) {
      out.writeMessage(3, (value: Glyph, writer: PbfWriter) => {
        writer.writeVarintField(1, value.id);
        if (value.bitmap && value.bitmap.length > 0) writer.writeBytesField(2, value.bitmap);
        writer.writeVarintField(3, value.width);
        writer.writeVarintField(4, value.height);
        writer.writeSVarintField(5, value.left);
        writer.writeSVarintField(6, value.top);
        writer.writeVarintField(7, value.advance);
      }, glyph);
    }
  }, range);
  return pbf.finish();
}
