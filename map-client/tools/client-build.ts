import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const clientRoot = fileURLToPath(new URL('../', import.meta.url));
export const distDirectory = path.join(clientRoot, 'dist');
const fingerprintFile = '.build-fingerprint';

/**
 * Everything a build reads from this workspace, and the shared contracts it bundles
 * (@bandoso/contracts); a change in any of them makes the build stale.
 */
const buildInputs = ['index.html', 'tour.html', 'vite.config.ts', 'tools/precompress-plugin.ts', 'package.json', 'tsconfig.json', 'src', 'public', '../api/contracts/package.json', '../api/contracts/src'];

/** A hash of the build's inputs (and of the installed Vite/MapLibre versions, via the lockfile). */
export function clientSourceFingerprint(): string {
  const hash = createHash('sha256');
  for (const input of buildInputs) {
    for (const file of listFiles(path.join(clientRoot, input))) {
      if (/\.test\.ts$/.test(file)) continue;
      hash.update(path.relative(clientRoot, file));
      hash.update(fs.readFileSync(file));
    }
  }
  const lockfile = path.join(clientRoot, '..', 'package-lock.json');
  if (fs.existsSync(lockfile)) hash.update(fs.readFileSync(lockfile));
  return hash.digest('hex').slice(0, 20);
}

/** Why the current dist/ cannot be served as it is, or undefined when it is up to date. */
export function staleReason(fingerprint = clientSourceFingerprint()): string | undefined {
  if (!fs.existsSync(path.join(distDirectory, 'index.html'))) return 'map-client/dist is missing';
  const built = fs.existsSync(path.join(distDirectory, fingerprintFile)) ? fs.readFileSync(path.join(distDirectory, fingerprintFile), 'utf8').trim() : '';
  return built === fingerprint ? undefined : 'map-client sources changed since the last build';
}

/**
 * Builds the client with Vite into a temporary folder, then swaps it in: a server reading dist/
 * meanwhile sees the old build or the new one, never half of one, and two builds at once (npm start
 * and a test run) do not write into the same folder.
 */
export async function buildClient(options: { logLevel?: 'info' | 'warn' | 'error' | 'silent' } = {}): Promise<void> {
  const fingerprint = clientSourceFingerprint();
  const { build } = await import('vite');
  const temporary = path.join(clientRoot, `dist.tmp-${process.pid}-${Date.now()}`);
  // Vite derives import.meta.env.DEV from NODE_ENV, which vitest sets to "test": a build made from a
  // test run would otherwise be a development build (no service worker registration, among others).
  const nodeEnvironment = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ mode: 'production', root: clientRoot, configFile: path.join(clientRoot, 'vite.config.ts'), logLevel: options.logLevel ?? 'warn', build: { outDir: temporary, emptyOutDir: true } });
    fs.writeFileSync(path.join(temporary, fingerprintFile), `${fingerprint}\n`);
    const old = path.join(clientRoot, `dist.old-${process.pid}-${Date.now()}`);
    if (fs.existsSync(distDirectory)) fs.renameSync(distDirectory, old);
    fs.renameSync(temporary, distDirectory);
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    if (nodeEnvironment === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnvironment;
    fs.rmSync(temporary, { recursive: true, force: true });
  }
}

/** Builds only when dist/ is missing or stale; answers what it did. */
export async function ensureClientBuild(options: { logLevel?: 'info' | 'warn' | 'error' | 'silent' } = {}): Promise<{ built: boolean; reason?: string; ms: number }> {
  const started = performance.now();
  const reason = staleReason();
  if (!reason) return { built: false, ms: Math.round(performance.now() - started) };
  await buildClient(options);
  return { built: true, reason, ms: Math.round(performance.now() - started) };
}

function listFiles(target: string): string[] {
  if (!fs.existsSync(target)) return [];
  if (fs.statSync(target).isFile()) return [target];
  return fs
    .readdirSync(target, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => listFiles(path.join(target, entry.name)));
}
