import { spawn } from 'node:child_process';
import { repositoryRoot } from './template-cache.ts';

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the project's TypeScript entry points as users do (node + tsx), from the repository root. */
export function runEntryPoint(
  entry: string,
  args: string[],
  environment: Record<string, string | undefined>,
  timeoutMs = 120_000,
  /** Written to the child's standard input (which is otherwise closed). */
  input?: string,
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
      cwd: repositoryRoot,
      env: cleanEnvironment(environment),
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The environment for a child: this one without database settings (the test says which it wants). */
export function cleanEnvironment(environment: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.DATABASE_URL;
  delete base.DATA_DIR;
  delete base.PORT;
  for (const [key, value] of Object.entries(environment)) {
    if (value === undefined) delete base[key];
    else base[key] = value;
  }
  return base;
}
