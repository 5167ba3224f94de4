import { spawn } from 'node:child_process';

/**
 * Debian's osmium-tool (https://osmcode.org/osmium-tool/), run as child processes: it reads the PBF,
 * clips it, keeps the tags a base map needs and assembles areas (multipolygons) far better than
 * anything written here would. Everything it says on stderr is kept for the error message.
 */

export class OsmiumError extends Error {}

const OSMIUM = process.env.OSMIUM_PATH ?? 'osmium';

/** The installed osmium's version, or null when it cannot be run. */
export async function osmiumVersion(): Promise<string | null> {
  try {
    const { stdout } = await runOsmium(['--version']);
    return /osmium version (\S+)/.exec(stdout)?.[1] ?? stdout.split('\n')[0] ?? '';
  } catch {
    return null;
  }
}

function describeFailure(args: readonly string[], code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  const said = stderr.trim().split('\n').filter(Boolean).slice(-5).join(' / ');
  return `osmium ${args[0]} failed (${signal ? `signal ${signal}` : `exit ${code}`})${said ? `: ${said}` : ''}`;
}

/** Runs osmium to the end; rejects with what it said when it fails. */
export function runOsmium(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(OSMIUM, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(new OsmiumError(error.code === 'ENOENT' ? 'osmium is not installed (Debian/Ubuntu: apt-get install osmium-tool)' : `osmium cannot be started: ${error.message}`)),
    );
    child.on('close', (code, signal) => (code === 0 ? resolve({ stdout, stderr }) : reject(new OsmiumError(describeFailure(args, code, signal, stderr)))));
  });
}
