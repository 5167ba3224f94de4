import fs from 'node:fs/promises';
import path from 'node:path';
import { ensureHeritageTilesets } from '@bandoso/gis-data/heritage';

/** The generated tilesets of this process: where they are and their versions, by site code. */
export interface GeneratedTilesets {
  dir: string;
  sites: Record<string, { version: string; folder: string }>;
}

let built: Promise<GeneratedTilesets> | undefined;

/**
 * Builds the generated heritage tilesets unless they are up to date (the generator's own check),
 * once per process: the sample data loader, the app and every test server of a worker share it.
 * A failure is not kept, so a later call tries again. `log` hears the build's progress (first caller's).
 */
export function generatedTilesets(log?: (line: string) => void): Promise<GeneratedTilesets> {
  const building = (built ??= ensureHeritageTilesets(log ? { log } : {}).catch((error: unknown) => {
    built = undefined;
    throw error;
  }));
  return building;
}

const stamps = new Map<string, { mtimeMs: number; version: string | undefined }>();

/**
 * The version a generated tileset folder holds now (its build stamp), or undefined. A build run while
 * the server runs (`npm run heritage:build`) replaces the folder in place: its files then belong to
 * another version, and must not be served under the old version's address, which is cached for a year.
 */
export async function builtVersion(folder: string): Promise<string | undefined> {
  const file = path.join(folder, '.stamp');
  try {
    const { mtimeMs } = await fs.stat(file);
    const known = stamps.get(folder);
    if (known?.mtimeMs === mtimeMs) return known.version;
    const stamp = JSON.parse(await fs.readFile(file, 'utf8')) as { version?: unknown };
    const version = typeof stamp.version === 'string' ? stamp.version : undefined;
    stamps.set(folder, { mtimeMs, version });
    return version;
  } catch {
    return undefined;
  }
}
