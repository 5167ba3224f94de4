/**
 * Every file a 3D Tiles tileset needs, found by walking it (for "save for offline"). Pure: the
 * caller fetches; unit-tested in map-client/test/heritage-tileset-walk.test.ts.
 */

interface TileJson {
  content?: { uri?: string; url?: string };
  contents?: { uri?: string; url?: string }[];
  children?: TileJson[];
  implicitTiling?: unknown;
}

export interface TilesetLinks {
  /** Tile contents (glb, gltf, b3dm…), absolute URLs. */
  contents: string[];
  /** Contents that are themselves tilesets (external tilesets), absolute URLs: walk them too. */
  tilesets: string[];
  /** Why the walk could not be complete (implicit tiling: its tiles are not listed in the JSON). */
  problems: string[];
}

/** The content and external tileset URLs of a parsed tileset.json, resolved against its own URL. */
export function tilesetLinks(tileset: unknown, tilesetUrl: string): TilesetLinks {
  const links: TilesetLinks = { contents: [], tilesets: [], problems: [] };
  const root = (tileset as { root?: TileJson } | null)?.root;
  if (!root || typeof root !== 'object') {
    links.problems.push(`${tilesetUrl}: no root tile`);
    return links;
  }
  const seen = new Set<string>();
  const add = (reference: { uri?: string; url?: string } | undefined) => {
    const uri = reference?.uri ?? reference?.url;
    if (typeof uri !== 'string' || uri === '' || uri.startsWith('data:')) return;
    const absolute = new URL(uri, tilesetUrl).href;
    if (seen.has(absolute)) return;
    seen.add(absolute);
    (/\.json$/i.test(new URL(absolute).pathname) ? links.tilesets : links.contents).push(absolute);
  };
  const stack: TileJson[] = [root];
  while (stack.length) {
    const tile = stack.pop()!;
    if (tile.implicitTiling) links.problems.push(`${tilesetUrl}: implicit tiling is not supported for offline use`);
    add(tile.content);
    for (const content of tile.contents ?? []) add(content);
    for (const child of tile.children ?? []) stack.push(child);
  }
  return links;
}

/**
 * External files a glTF content refers to (buffers, images), absolute URLs. A GLB usually embeds
 * everything and answers []; a .gltf lists its .bin and textures.
 */
export function gltfLinks(bytes: Uint8Array, contentUrl: string): string[] {
  const json = gltfJson(bytes);
  if (!json) return [];
  const uris = [...(json.buffers ?? []), ...(json.images ?? [])].map((item) => item?.uri).filter((uri): uri is string => typeof uri === 'string' && !uri.startsWith('data:'));
  return [...new Set(uris.map((uri) => new URL(uri, contentUrl).href))];
}

function gltfJson(bytes: Uint8Array): { buffers?: { uri?: string }[]; images?: { uri?: string }[] } | undefined {
  try {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // GLB: magic "glTF", version, length, then the first chunk (JSON).
    if (bytes.byteLength >= 20 && view.getUint32(0, true) === 0x46546c67) {
      const chunkLength = view.getUint32(12, true);
      const chunkType = view.getUint32(16, true);
      if (chunkType !== 0x4e4f534a) return undefined;
      return JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + chunkLength))) as ReturnType<typeof gltfJson>;
    }
    const text = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.byteLength, 16)));
    if (text.trimStart().startsWith('{')) return JSON.parse(new TextDecoder().decode(bytes)) as ReturnType<typeof gltfJson>;
  } catch {
    return undefined;
  }
  return undefined;
}
