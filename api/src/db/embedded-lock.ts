import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Only one process may open the embedded database (PGlite keeps the whole cluster in its own memory
 * and writes it back to the folder). This lock file turns a second opener into a clear message
 * instead of a corrupted data folder. Written by hand: the lock libraries on npm do not record who
 * holds the lock, and naming the holder is the point of the message.
 */
export class EmbeddedDatabaseLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another process (pid ${holder.pid}: ${holder.command}, since ${holder.startedAt}). ` +
        'Only one process can open it at a time. Stop that process first (Ctrl+C in its terminal), ' +
        'or run both against a PostGIS server by setting DATABASE_URL.',
    );
    this.name = 'EmbeddedDatabaseLockedError';
  }
}

export interface LockHolder {
  pid: number;
  hostname: string;
  command: string;
  startedAt: string;
}

export interface EmbeddedLock {
  release(): void;
}

/** `command`: what this process is, as the holder's message to a second process names it (`npm start`). */
export function acquireEmbeddedLock(dataDir: string, command: string = processCommandLine()): EmbeddedLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'database.lock');
  const me: LockHolder = {
    pid: process.pid,
    hostname: os.hostname(),
    command,
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lockPath, JSON.stringify(me), { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          const current = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockHolder;
          if (current.pid === me.pid) fs.unlinkSync(lockPath);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.on('exit', release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(lockPath);
      if (holder && isAlive(holder)) throw new EmbeddedDatabaseLockedError(dataDir, holder);
      // The holder died without cleaning up (kill -9, power loss): the lock is stale.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${lockPath}; remove it if no other process uses ${dataDir}.`);
}

function readHolder(lockPath: string): LockHolder | undefined {
  try {
    return JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

function isAlive(holder: LockHolder): boolean {
  if (holder.hostname !== os.hostname()) return true; // cannot check another machine: assume it is alive
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The script and arguments this process runs, without folders. */
function processCommandLine(): string {
  return process.argv.slice(1).map((part) => path.basename(part)).join(' ');
}
