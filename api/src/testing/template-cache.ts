import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Everything that decides what a freshly migrated and seeded database contains. */
const templateInputs = ['migrations/src', 'gis-data/sample', 'gis-data/src', 'api/src/modules/imports', 'api/src/modules/offices', 'api/src/db'];

/** A hash of the template's inputs: a cached template is reused only while they are unchanged. */
export function templateFingerprint(): string {
  const hash = createHash('sha256');
  for (const input of templateInputs) {
    for (const file of listFiles(path.join(repositoryRoot, input))) {
      if (file.endsWith('.test.ts')) continue;
      hash.update(path.relative(repositoryRoot, file));
      hash.update(fs.readFileSync(file));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

function listFiles(directory: string): string[] {
  if (!fs.existsSync(directory)) return [];
  return fs
    .readdirSync(directory, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(directory, entry.name);
      return entry.isDirectory() ? listFiles(full) : [full];
    });
}
