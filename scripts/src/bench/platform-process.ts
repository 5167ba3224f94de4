import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../api/src/testing/free-port.ts';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface PlatformProcess {
  baseUrl: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * The platform as users run it (`api/src/main.ts`), in its own process, against an existing
 * database: benchmarks measure it over HTTP from another process, so the client's work does not
 * share the server's event loop and core.
 */
export async function startPlatformProcess(
  databaseUrl: string,
  environment: Record<string, string> = {},
  /** Extra Node.js options, e.g. `--cpu-prof` to profile the platform under load. */
  nodeOptions: string[] = [],
): Promise<PlatformProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', 'api/src/main.ts'], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SEED_SAMPLE_DATA: 'false',
      DEADLINE_CHECK_INTERVAL_S: '0',
      REPORT_SUBMISSIONS_PER_HOUR: '100000',
      ...environment,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the platform exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 120_000) {
      child.kill('SIGKILL');
      throw new Error('the platform did not answer /api/health within 120 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    baseUrl,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
