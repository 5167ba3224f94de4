import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../api/src/testing/free-port.ts';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** One line of the platform's JSON log (pino). */
export interface LogLine {
  level: number;
  msg: string;
  time: number;
  [field: string]: unknown;
}

export interface PlatformChild {
  readonly baseUrl: string;
  readonly pid: number;
  /** Resolves when the process ends, with its exit code (null when a signal ended it) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** Every JSON log line so far (standard output). */
  log(): LogLine[];
  /** Standard error so far (anything not written through the logger: crashes). */
  stderr(): string;
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The platform as operators run it: `node --import tsx api/src/main.ts` (what `npm start` and the
 * Docker image run), in its own process, so that a drill sees what an operator would: whether it
 * survives, what it logs, how it exits. Resolves once /api/health answers 200 (or `waitForHealthy`
 * is false: once the process runs).
 */
export async function startPlatformChild(databaseUrl: string, environment: Record<string, string> = {}, options: { waitForHealthy?: boolean } = {}): Promise<PlatformChild> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATA_DIR;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], {
    cwd: repositoryRoot,
    env: {
      ...env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DEADLINE_CHECK_INTERVAL_S: '0',
      RETENTION_INTERVAL_S: '0',
      REPORT_SUBMISSIONS_PER_HOUR: '100000',
      ...environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  let partial = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const complete = partial.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) {
      try {
        lines.push(JSON.parse(line) as LogLine);
      } catch {
        lines.push({ level: 30, msg: line, time: Date.now() });
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let alive = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      alive = false;
      resolve({ code, signal });
    }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const platform: PlatformChild = {
    baseUrl,
    pid: child.pid!,
    exited,
    alive: () => alive,
    log: () => lines,
    stderr: () => stderr,
    signal: (signal) => child.kill(signal),
    async stop() {
      if (alive) child.kill('SIGTERM');
      return exited;
    },
  };
  if (options.waitForHealthy === false) return platform;
  const started = Date.now();
  for (;;) {
    if (!alive) throw new Error(`the platform exited before it was ready:\n${stderr}\n${lines.map((line) => line.msg).join('\n')}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) return platform;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 180_000) {
      child.kill('SIGKILL');
      throw new Error('the platform did not answer /api/health within 180 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
