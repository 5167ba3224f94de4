/**
 * Rules a 3D Tiles tileset must pass before we serve it (generated or imported):
 *
 * - `tileset.json` at the root of the folder, valid JSON, asset.version '1.1' (or '1.0');
 * - every tile has a bounding volume (box / sphere / region) and a geometricError that is not larger
 *   than its parent's; the root says how it refines;
 * - every content URI is relative, stays inside the folder (no '..', no absolute path or URL) and
 *   names a file of the folder; external tilesets (content that is a tileset JSON) are followed;
 * - every glTF / GLB content (also the glTF inside legacy b3dm) passes Khronos's glTF validator with
 *   0 errors, and its vertices lie inside the tile's bounding volume (and the content's own, if it
 *   has one) within a small tolerance;
 * - size limits: the first level (tileset.json + the first contents on each branch) and the whole
 *   folder.
 *
 * Messages say which file and what to fix, Vietnamese first, then English.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { validateBytes } from 'gltf-validator';
import { ecefToGeodetic, identity, type Mat4, multiply, transformPoint, type Vec3, Y_UP_TO_Z_UP } from './geodesy.ts';
import { isGlb, parseGltf, scenePositions } from './gltf-read.ts';

export interface TilesetCheckOptions {
  /** Limit for tileset.json + the first contents on each branch (default 300 KB). */
  maxFirstLevelBytes?: number;
  /** Limit for every file of the folder together (default 3 MB). */
  maxTotalBytes?: number;
}

export interface TilesetStats {
  /** Bytes of every file in the folder. */
  totalBytes: number;
  /** Bytes needed for a first picture: tileset.json and the shallowest contents on each branch. */
  firstLevelBytes: number;
  /** Tiles, external tilesets included. */
  tiles: number;
  /** Levels of the tile tree (a root alone is 1). */
  depth: number;
  /** Content references (a content reused by several tiles counts each time). */
  contents: number;
}

export interface TilesetCheck {
  errors: string[];
  warnings: string[];
  stats: TilesetStats;
}

export const DEFAULT_MAX_FIRST_LEVEL_BYTES = 300 * 1024;
export const DEFAULT_MAX_TOTAL_BYTES = 3 * 1024 * 1024;

/** At most this many validator messages are quoted per content. */
const QUOTED_MESSAGES = 3;

interface BoundingVolume {
  box?: number[];
  sphere?: number[];
  region?: number[];
}
interface TileJson {
  boundingVolume?: BoundingVolume;
  geometricError?: number;
  refine?: string;
  transform?: number[];
  content?: ContentJson;
  contents?: ContentJson[];
  children?: TileJson[];
  implicitTiling?: unknown;
}
interface ContentJson {
  uri?: string;
  url?: string;
  boundingVolume?: BoundingVolume;
}
interface TilesetJson {
  asset?: { version?: string };
  geometricError?: number;
  root?: TileJson;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

/** Normalised relative path of a content URI, or an error text when it is not allowed. */
export function resolveContentUri(baseDir: string, uri: string): { path: string } | { error: string } {
  if (uri.trim() === '') return { error: 'URI rỗng — empty URI' };
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('/') || uri.startsWith('\\')) {
    return { error: `'${uri}' là đường dẫn tuyệt đối hoặc URL; hãy dùng đường dẫn tương đối trong thư mục — '${uri}' is an absolute path or URL; use a path relative to the tileset folder` };
  }
  const withoutQuery = uri.replace(/[?#].*$/s, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(withoutQuery);
  } catch {
    return { error: `'${uri}' không giải mã được (percent-encoding sai) — '${uri}' has broken percent-encoding` };
  }
  if (decoded.includes('\\')) return { error: `'${uri}' chứa dấu '\\'; hãy dùng '/' — '${uri}' contains a backslash; use '/'` };
  if (decoded.split('/').includes('..')) {
    return { error: `'${uri}' chứa '..'; mọi tệp phải nằm trong thư mục tileset — '${uri}' contains '..'; keep every file inside the tileset folder and refer to it as e.g. 'tiles/0.glb'` };
  }
  const joined = path.posix.normalize(path.posix.join(baseDir, decoded));
  if (joined.startsWith('../') || joined === '..' || path.posix.isAbsolute(joined)) return { error: `'${uri}' trỏ ra ngoài thư mục — '${uri}' points outside the tileset folder` };
  return { path: joined };
}

/** Upper 3×3 inverse + translation of an affine matrix (column-major). */
function invertAffine(m: Mat4): Mat4 | undefined {
  const [a, b, c, d, e, f, g, h, i] = [m[0]!, m[1]!, m[2]!, m[4]!, m[5]!, m[6]!, m[8]!, m[9]!, m[10]!];
  const det = a * (e * i - f * h) - d * (b * i - c * h) + g * (b * f - c * e);
  if (Math.abs(det) < 1e-15) return undefined;
  // inverse of the 3×3 (column-major): rows of the inverse are the cross products of the columns / det
  const r0 = [(e * i - f * h) / det, (f * g - d * i) / det, (d * h - e * g) / det];
  const r1 = [(c * h - b * i) / det, (a * i - c * g) / det, (b * g - a * h) / det];
  const r2 = [(b * f - c * e) / det, (c * d - a * f) / det, (a * e - b * d) / det];
  const inv: Mat4 = [r0[0]!, r1[0]!, r2[0]!, 0, r0[1]!, r1[1]!, r2[1]!, 0, r0[2]!, r1[2]!, r2[2]!, 0, 0, 0, 0, 1];
  const t = transformPoint(inv, [m[12]!, m[13]!, m[14]!]);
  inv[12] = -t[0];
  inv[13] = -t[1];
  inv[14] = -t[2];
  return inv;
}

/** How far (m; radians for a region's lon/lat) the points lie outside a volume; 0 when inside. */
function volumeOverflow(volume: BoundingVolume, points: ArrayLike<number>, toWorld: Mat4): { outside: number; worst: number; unit: string } | { invalid: string } {
  let outside = 0;
  let worst = 0;
  if (volume.box) {
    const box = volume.box;
    if (box.length !== 12 || box.some((v) => typeof v !== 'number' || !Number.isFinite(v))) return { invalid: 'box phải có 12 số (tâm + 3 nửa trục) — box must be 12 numbers (centre + 3 half-axes)' };
    const center: Vec3 = [box[0]!, box[1]!, box[2]!];
    const axes = [0, 1, 2].map((k) => [box[3 + k * 3]!, box[4 + k * 3]!, box[5 + k * 3]!] as Vec3);
    const lengths = axes.map((a) => Math.hypot(...a));
    // A flat box (one zero half-axis): its direction is the normal of the other two.
    const zero = lengths.filter((l) => l < 1e-9).length;
    if (zero > 1) return { invalid: 'box có hơn một nửa trục bằng 0 — box has more than one zero half-axis' };
    const dirs = axes.map((a, k) => {
      if (lengths[k]! >= 1e-9) return [a[0] / lengths[k]!, a[1] / lengths[k]!, a[2] / lengths[k]!] as Vec3;
      const [p, q] = axes.filter((_, j) => j !== k) as [Vec3, Vec3];
      const n: Vec3 = [p[1] * q[2] - p[2] * q[1], p[2] * q[0] - p[0] * q[2], p[0] * q[1] - p[1] * q[0]];
      const l = Math.hypot(...n) || 1;
      return [n[0] / l, n[1] / l, n[2] / l] as Vec3;
    });
    for (let i = 0; i < points.length; i += 3) {
      const d: Vec3 = [points[i]! - center[0], points[i + 1]! - center[1], points[i + 2]! - center[2]];
      let over = 0;
      for (let k = 0; k < 3; k++) {
        const dir = dirs[k]!;
        const along = Math.abs(d[0] * dir[0] + d[1] * dir[1] + d[2] * dir[2]);
        const tolerance = 0.02 + 1e-3 * lengths[k]!;
        over = Math.max(over, along - lengths[k]! - tolerance);
      }
      if (over > 0) {
        outside++;
        worst = Math.max(worst, over);
      }
    }
    return { outside, worst, unit: 'm' };
  }
  if (volume.sphere) {
    const s = volume.sphere;
    if (s.length !== 4 || s.some((v) => typeof v !== 'number' || !Number.isFinite(v)) || s[3]! < 0) return { invalid: 'sphere phải có 4 số (tâm + bán kính ≥ 0) — sphere must be 4 numbers (centre + radius ≥ 0)' };
    const tolerance = 0.02 + 1e-3 * s[3]!;
    for (let i = 0; i < points.length; i += 3) {
      const over = Math.hypot(points[i]! - s[0]!, points[i + 1]! - s[1]!, points[i + 2]! - s[2]!) - s[3]! - tolerance;
      if (over > 0) {
        outside++;
        worst = Math.max(worst, over);
      }
    }
    return { outside, worst, unit: 'm' };
  }
  if (volume.region) {
    const r = volume.region;
    if (r.length !== 6 || r.some((v) => typeof v !== 'number' || !Number.isFinite(v))) return { invalid: 'region phải có 6 số (tây, nam, đông, bắc theo radian, độ cao min, max) — region must be 6 numbers (west, south, east, north in radians, min and max height)' };
    const [west, south, east, north, minH, maxH] = r as [number, number, number, number, number, number];
    const angleTolerance = 2e-8; // ≈ 0.13 m
    for (let i = 0; i < points.length; i += 3) {
      const world = transformPoint(toWorld, [points[i]!, points[i + 1]!, points[i + 2]!]);
      const [lonDeg, latDeg, height] = ecefToGeodetic(world);
      const [lon, lat] = [(lonDeg * Math.PI) / 180, (latDeg * Math.PI) / 180];
      const lonInside = west <= east ? lon >= west - angleTolerance && lon <= east + angleTolerance : lon >= west - angleTolerance || lon <= east + angleTolerance;
      const over = Math.max(
        lonInside ? 0 : Math.min(Math.abs(lon - west), Math.abs(lon - east)) * 6_378_137,
        (south - angleTolerance - lat) * 6_378_137,
        (lat - north - angleTolerance) * 6_378_137,
        minH - 0.05 - height,
        height - maxH - 0.05,
      );
      if (over > 0) {
        outside++;
        worst = Math.max(worst, over);
      }
    }
    return { outside, worst, unit: 'm' };
  }
  return { invalid: 'boundingVolume cần box, sphere hoặc region — boundingVolume needs a box, sphere or region' };
}

/** The validator reads a view's whole underlying buffer: give it bytes that own theirs. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

/** Validator report → our error lines (with the first few messages and their JSON pointers). */
async function validateGltf(file: string, bytes: Uint8Array, files: Map<string, Uint8Array>, errors: string[], warnings: string[]): Promise<boolean> {
  const baseDir = path.posix.dirname(file);
  let report;
  try {
    report = await validateBytes(ownBuffer(bytes), {
      uri: file,
      writeTimestamp: false,
      maxIssues: 200,
      externalResourceFunction: (uri: string) => {
        const resolved = resolveContentUri(baseDir, uri);
        const data = 'path' in resolved ? files.get(resolved.path) : undefined;
        return data ? Promise.resolve(ownBuffer(data)) : Promise.reject(new Error(`missing ${uri}`));
      },
    });
  } catch (error) {
    errors.push(`${file}: không đọc được glTF (${String(error)}) — not a readable glTF/GLB; export it again as glTF 2.0`);
    return false;
  }
  const messages = report.issues.messages;
  if (report.issues.numErrors > 0) {
    const quoted = messages
      .filter((m) => m.severity === 0)
      .slice(0, QUOTED_MESSAGES)
      .map((m) => `${m.code} ${m.message}${m.pointer ? ` at ${m.pointer}` : ''}`)
      .join('; ');
    errors.push(`${file}: gltf-validator báo ${report.issues.numErrors} lỗi; hãy sửa rồi xuất lại — gltf-validator found ${report.issues.numErrors} error(s); fix and export again: ${quoted}`);
    return false;
  }
  if (report.issues.numWarnings > 0) {
    const first = messages.find((m) => m.severity === 1);
    warnings.push(`${file}: gltf-validator: ${report.issues.numWarnings} warning(s)${first ? `, e.g. ${first.code} ${first.message}${first.pointer ? ` at ${first.pointer}` : ''}` : ''}`);
  }
  return true;
}

/** Extracts the GLB of a legacy b3dm and its RTC_CENTER. */
function unwrapB3dm(bytes: Uint8Array): { glb: Uint8Array; rtcCenter: Vec3 | undefined } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 28) throw new Error('b3dm header is truncated');
  const [ftJson, ftBin, btJson, btBin] = [12, 16, 20, 24].map((offset) => view.getUint32(offset, true)) as [number, number, number, number];
  const start = 28 + ftJson + ftBin + btJson + btBin;
  if (start > bytes.byteLength) throw new Error('b3dm tables run past the end of the file');
  let rtcCenter: Vec3 | undefined;
  if (ftJson > 0) {
    const table = JSON.parse(new TextDecoder().decode(bytes.subarray(28, 28 + ftJson)).trim() || '{}') as { RTC_CENTER?: number[] };
    if (Array.isArray(table.RTC_CENTER) && table.RTC_CENTER.length === 3) rtcCenter = table.RTC_CENTER as Vec3;
  }
  return { glb: bytes.subarray(start), rtcCenter };
}

const MAGIC = (bytes: Uint8Array) => new TextDecoder().decode(bytes.subarray(0, 4));

/** Checks a tileset given as relative POSIX path → bytes ('tileset.json' at the root). */
export async function checkTileset(files: Map<string, Uint8Array>, options: TilesetCheckOptions = {}): Promise<TilesetCheck> {
  const maxFirstLevel = options.maxFirstLevelBytes ?? DEFAULT_MAX_FIRST_LEVEL_BYTES;
  const maxTotal = options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
  const errors: string[] = [];
  const warnings: string[] = [];
  const stats: TilesetStats = { totalBytes: 0, firstLevelBytes: 0, tiles: 0, depth: 0, contents: 0 };
  for (const bytes of files.values()) stats.totalBytes += bytes.byteLength;

  const referenced = new Set<string>();
  const validated = new Map<string, Promise<{ ok: boolean; positions?: number[]; approximate?: boolean; rtcCenter?: Vec3 | undefined }>>();
  const openedTilesets = new Set<string>();
  const firstLevel = new Set<string>();

  /** Reads (once) a glTF content's validity and its vertices in the tile frame (z-up). */
  const loadGltf = (file: string, bytes: Uint8Array) => {
    let entry = validated.get(file);
    if (!entry) {
      entry = (async () => {
        let glb = bytes;
        let rtcCenter: Vec3 | undefined;
        if (MAGIC(bytes) === 'b3dm') {
          try {
            ({ glb, rtcCenter } = unwrapB3dm(bytes));
          } catch (error) {
            errors.push(`${file}: tệp b3dm hỏng (${(error as Error).message}) — broken b3dm (${(error as Error).message}); export it again`);
            return { ok: false };
          }
          warnings.push(`${file}: b3dm là định dạng cũ của 3D Tiles 1.0 — b3dm is a legacy 3D Tiles 1.0 format; prefer glTF/GLB content`);
        }
        const ok = await validateGltf(file, glb, files, errors, warnings);
        if (!ok) return { ok };
        try {
          const baseDir = path.posix.dirname(file);
          const parsed = parseGltf(glb, (uri) => {
            const resolved = resolveContentUri(baseDir, uri);
            return 'path' in resolved ? files.get(resolved.path) : undefined;
          });
          const { positions, approximate } = scenePositions(parsed);
          const tile: number[] = new Array<number>(positions.length);
          for (let i = 0; i < positions.length; i += 3) {
            let p = transformPoint(Y_UP_TO_Z_UP, [positions[i]!, positions[i + 1]!, positions[i + 2]!]);
            if (rtcCenter) p = [p[0] + rtcCenter[0], p[1] + rtcCenter[1], p[2] + rtcCenter[2]];
            tile[i] = p[0];
            tile[i + 1] = p[1];
            tile[i + 2] = p[2];
          }
          if (approximate) warnings.push(`${file}: hình học nén (Draco/meshopt); chỉ kiểm tra hộp min/max — compressed geometry; only its POSITION min/max box was checked against the bounding volume`);
          return { ok, positions: tile, approximate, rtcCenter };
        } catch (error) {
          warnings.push(`${file}: không đọc được đỉnh để kiểm tra khối bao (${(error as Error).message}) — could not read vertices to check the bounding volume`);
          return { ok };
        }
      })();
      validated.set(file, entry);
    }
    return entry;
  };

  interface Frame {
    where: string;
    volume: BoundingVolume;
    transform: Mat4;
  }

  const checkContainment = (file: string, where: string, positions: number[], volume: BoundingVolume, transform: Mat4, what: { vi: string; en: string }, asError: boolean, ancestorTransform?: Mat4) => {
    let points: ArrayLike<number> = positions;
    if (ancestorTransform) {
      const inverse = invertAffine(ancestorTransform);
      if (!inverse) return;
      const toAncestor = multiply(inverse, transform);
      const moved = new Array<number>(positions.length);
      for (let i = 0; i < positions.length; i += 3) {
        const p = transformPoint(toAncestor, [positions[i]!, positions[i + 1]!, positions[i + 2]!]);
        moved[i] = p[0];
        moved[i + 1] = p[1];
        moved[i + 2] = p[2];
      }
      points = moved;
    }
    const result = volumeOverflow(volume, points, ancestorTransform ?? transform);
    if ('invalid' in result) return; // reported where the volume is declared
    if (result.outside > 0) {
      const text = `${file} (${where}): ${result.outside} / ${positions.length / 3} đỉnh nằm ngoài ${what.vi}, xa nhất ${result.worst.toFixed(2)} m; hãy tính khối bao từ các đỉnh (sau khi xoay glTF y-up → z-up) — ${result.outside} of ${positions.length / 3} vertices lie outside ${what.en} by up to ${result.worst.toFixed(2)} m; compute the bounding volume from the content's vertices (after the glTF y-up → z-up rotation)`;
      (asError ? errors : warnings).push(text);
    }
  };

  const walkTileset = async (file: string, json: TilesetJson, parentTransform: Mat4, parentError: number, depth: number, ancestors: Frame[], firstLevelOpen: boolean): Promise<void> => {
    const baseDir = path.posix.dirname(file);
    const version = json.asset?.version;
    if (version !== '1.1' && version !== '1.0') {
      errors.push(`${file}: asset.version là ${JSON.stringify(version)}, cần '1.1' (hoặc '1.0') — asset.version is ${JSON.stringify(version)}; 3D Tiles needs '1.1' (or '1.0')`);
    }
    if (typeof json.geometricError !== 'number' || !(json.geometricError >= 0)) {
      errors.push(`${file}: thiếu geometricError của tileset — the tileset's geometricError must be a number ≥ 0`);
    }
    if (!json.root || typeof json.root !== 'object') {
      errors.push(`${file}: thiếu root — the tileset has no root tile`);
      return;
    }
    if (typeof json.geometricError === 'number' && typeof json.root.geometricError === 'number' && json.root.geometricError > json.geometricError) {
      warnings.push(`${file}: root.geometricError (${json.root.geometricError}) lớn hơn geometricError của tileset (${json.geometricError}) — the root's geometricError is larger than the tileset's`);
    }
    const topError = Math.min(parentError, typeof json.geometricError === 'number' ? json.geometricError : Infinity);
    await walkTile(file, baseDir, json.root, 'root', parentTransform, topError, depth, ancestors, firstLevelOpen, true);
  };

  const walkTile = async (file: string, baseDir: string, tile: TileJson, where: string, parentTransform: Mat4, parentError: number, depth: number, ancestors: Frame[], firstLevelOpen: boolean, isRoot: boolean): Promise<void> => {
    stats.tiles++;
    stats.depth = Math.max(stats.depth, depth);
    const at = `${file} ${where}`;
    if (tile.implicitTiling) errors.push(`${at}: chưa hỗ trợ implicit tiling — implicit tiling is not supported; export an explicit tile tree`);
    const ge = tile.geometricError;
    if (typeof ge !== 'number' || !Number.isFinite(ge) || ge < 0) {
      errors.push(`${at}: geometricError phải là số ≥ 0 — geometricError must be a number ≥ 0`);
    } else if (ge > parentError + 1e-9) {
      errors.push(`${at}: geometricError ${ge} lớn hơn của tile cha (${parentError}); sai số phải giảm dần theo độ sâu — geometricError ${ge} is larger than its parent's ${parentError}; it must decrease with depth`);
    }
    if (tile.refine !== undefined && tile.refine !== 'ADD' && tile.refine !== 'REPLACE') errors.push(`${at}: refine phải là 'ADD' hoặc 'REPLACE' — refine must be 'ADD' or 'REPLACE', not ${JSON.stringify(tile.refine)}`);
    if (isRoot && depth === 1 && tile.refine === undefined) errors.push(`${at}: tile gốc cần refine ('ADD' hoặc 'REPLACE') — the root tile needs refine ('ADD' or 'REPLACE')`);
    let transform = parentTransform;
    if (tile.transform !== undefined) {
      if (!Array.isArray(tile.transform) || tile.transform.length !== 16 || tile.transform.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
        errors.push(`${at}: transform phải là ma trận 4×4 (16 số, theo cột) — transform must be 16 numbers (a column-major 4×4 matrix)`);
      } else {
        transform = multiply(parentTransform, tile.transform);
      }
    }
    const volume = tile.boundingVolume;
    let volumeOk = false;
    if (!volume || typeof volume !== 'object') {
      errors.push(`${at}: thiếu boundingVolume — the tile has no boundingVolume`);
    } else {
      const probe = volumeOverflow(volume, [], transform);
      if ('invalid' in probe) errors.push(`${at}: ${probe.invalid}`);
      else volumeOk = true;
    }
    const contents = tile.contents ?? (tile.content ? [tile.content] : []);
    if (tile.content && tile.contents) errors.push(`${at}: chỉ dùng content hoặc contents, không cả hai — use either content or contents, not both`);
    const ownError = typeof ge === 'number' && Number.isFinite(ge) ? ge : parentError;
    const frame: Frame | undefined = volumeOk && volume ? { where: at, volume, transform } : undefined;
    for (const [index, content] of contents.entries()) {
      const label = contents.length > 1 ? `${where}.contents[${index}]` : `${where}.content`;
      const uri = content.uri ?? content.url;
      if (content.uri === undefined && content.url !== undefined) warnings.push(`${file} ${label}: 'url' là tên cũ; dùng 'uri' — 'url' is the pre-1.0 name; use 'uri'`);
      if (typeof uri !== 'string') {
        errors.push(`${file} ${label}: thiếu uri — the content has no uri`);
        continue;
      }
      const resolved = resolveContentUri(baseDir, uri);
      if ('error' in resolved) {
        errors.push(`${file} ${label}: ${resolved.error}`);
        continue;
      }
      const target = resolved.path;
      const bytes = files.get(target);
      if (!bytes) {
        errors.push(`${file} ${label}: thiếu tệp '${target}' trong thư mục; hãy thêm tệp hoặc sửa uri — '${target}' is missing from the folder; add the file or fix the uri`);
        continue;
      }
      referenced.add(target);
      stats.contents++;
      if (firstLevelOpen) firstLevel.add(target);
      const magic = MAGIC(bytes);
      const text = bytes[0] === 0x7b ? new TextDecoder().decode(bytes) : undefined;
      let parsedJson: { asset?: { version?: string }; root?: unknown } | undefined;
      if (text !== undefined) {
        try {
          parsedJson = JSON.parse(text) as typeof parsedJson;
        } catch {
          errors.push(`${target}: không phải JSON hợp lệ — is not valid JSON`);
          continue;
        }
      }
      if (parsedJson && parsedJson.root !== undefined) {
        // an external tileset
        if (openedTilesets.has(target)) {
          errors.push(`${file} ${label}: '${target}' tạo vòng lặp tileset — '${target}' makes the external tilesets loop`);
          continue;
        }
        openedTilesets.add(target);
        await walkTileset(target, parsedJson as TilesetJson, transform, ownError, depth + 1, frame ? [...ancestors, frame] : ancestors, firstLevelOpen);
        openedTilesets.delete(target);
        continue;
      }
      if (!isGlb(bytes) && magic !== 'b3dm' && !(parsedJson && parsedJson.asset?.version === '2.0')) {
        const kind = ['i3dm', 'pnts', 'cmpt', 'subt'].includes(magic) ? `định dạng cũ '${magic}' — legacy '${magic}' content` : 'không phải glTF — not glTF';
        errors.push(`${target}: ${kind}; chỉ nhận glTF/GLB (hoặc b3dm), có thể chuyển bằng 3d-tiles-tools upgrade — only glTF/GLB (or b3dm) content is accepted; convert it (e.g. 3d-tiles-tools upgrade)`);
        continue;
      }
      const loaded = await loadGltf(target, bytes);
      if (!loaded.positions) continue;
      if (frame) checkContainment(target, label, loaded.positions, frame.volume, transform, { vi: 'boundingVolume của tile', en: 'the tile’s boundingVolume' }, true);
      if (content.boundingVolume) {
        const probe = volumeOverflow(content.boundingVolume, [], transform);
        if ('invalid' in probe) errors.push(`${file} ${label}.boundingVolume: ${probe.invalid}`);
        else checkContainment(target, `${label}.boundingVolume`, loaded.positions, content.boundingVolume, transform, { vi: 'boundingVolume của content', en: 'the content’s boundingVolume' }, true);
      }
      for (const ancestor of ancestors) {
        checkContainment(target, label, loaded.positions, ancestor.volume, transform, { vi: `khối bao của tile cha ${ancestor.where}`, en: `the bounding volume of its ancestor ${ancestor.where}` }, false, ancestor.transform);
      }
    }
    const children = tile.children ?? [];
    if (!Array.isArray(children)) {
      errors.push(`${at}: children phải là mảng — children must be an array`);
      return;
    }
    for (const [index, child] of children.entries()) {
      await walkTile(file, baseDir, child, `${where}.children[${index}]`, transform, ownError, depth + 1, frame ? [...ancestors, frame] : ancestors, firstLevelOpen && contents.length === 0, false);
    }
  };

  const rootBytes = files.get('tileset.json');
  if (!rootBytes) {
    errors.push(`Thiếu tileset.json ở gốc thư mục — tileset.json is missing at the root of the folder (the folder or zip must contain tileset.json at its top level)`);
    return { errors, warnings, stats };
  }
  let root: TilesetJson;
  try {
    root = JSON.parse(new TextDecoder().decode(rootBytes)) as TilesetJson;
  } catch (error) {
    errors.push(`tileset.json: không phải JSON hợp lệ (${(error as Error).message}) — is not valid JSON`);
    return { errors, warnings, stats };
  }
  if (!root || typeof root !== 'object') {
    errors.push('tileset.json: phải là một đối tượng JSON — must be a JSON object');
    return { errors, warnings, stats };
  }
  openedTilesets.add('tileset.json');
  await walkTileset('tileset.json', root, identity(), Infinity, 1, [], true);

  stats.firstLevelBytes = rootBytes.byteLength + [...firstLevel].reduce((sum, file) => sum + (files.get(file)?.byteLength ?? 0), 0);
  if (stats.firstLevelBytes > maxFirstLevel) {
    errors.push(`Cấp đầu (tileset.json + nội dung tile đầu tiên) ${kb(stats.firstLevelBytes)}, vượt giới hạn ${kb(maxFirstLevel)}; hãy giản lược nội dung tile gốc và để chi tiết ở tile con — the first level (tileset.json + the first contents) is ${kb(stats.firstLevelBytes)}, over the ${kb(maxFirstLevel)} limit; simplify the root content and move detail to child tiles`);
  }
  if (stats.totalBytes > maxTotal) {
    errors.push(`Toàn bộ tileset ${kb(stats.totalBytes)}, vượt giới hạn ${kb(maxTotal)}; hãy giảm số đỉnh hoặc kích thước texture — the whole tileset is ${kb(stats.totalBytes)}, over the ${kb(maxTotal)} limit; reduce vertices or texture sizes`);
  }
  const unused = [...files.keys()].filter((file) => !referenced.has(file) && !openedTilesets.has(file) && file !== 'tileset.json' && !isGltfResource(file));
  if (unused.length > 0) warnings.push(`${unused.length} tệp không được dùng — ${unused.length} file(s) are not referenced: ${unused.slice(0, 5).join(', ')}${unused.length > 5 ? ', …' : ''}`);
  return { errors, warnings, stats };
}

/** Buffers and images of .gltf contents are referenced from the glTF, not the tileset. */
function isGltfResource(file: string): boolean {
  return /\.(bin|png|jpe?g|webp|ktx2)$/i.test(file);
}

/** A version of the tileset's bytes: sha256 over the sorted paths and their bytes, 16 hex digits. */
export function tilesetVersion(files: Map<string, Uint8Array>): string {
  const hash = createHash('sha256');
  for (const file of [...files.keys()].sort()) {
    const bytes = files.get(file)!;
    hash.update(`${file}\0${bytes.byteLength}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Every regular file under `dir`, keyed by its relative POSIX path. Names starting with '.' (and
 * macOS's __MACOSX folders) are skipped, and so are symbolic links (a tileset may not point outside its folder).
 */
export async function readTilesetFolder(dir: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(path.join(dir, relative), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === '__MACOSX') continue;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      const info = await lstat(path.join(dir, child));
      if (info.isDirectory()) await walk(child);
      else if (info.isFile()) files.set(child, new Uint8Array(await readFile(path.join(dir, child))));
    }
  };
  await walk('');
  return files;
}
