/**
 * What every command line of the platform shares (`npm run import`, `npm run create-user`): its
 * usage on a mistake, `--help`, and opening the configured database with a message that says what
 * to do when it cannot be opened. Exit status: 0 done, 1 refused, 2 wrong usage, 3 database busy or
 * unavailable.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig, type AppConfig } from '../config/config.ts';
import { openDatabase, waitForDatabase, type DatabaseHandle } from '../db/database.ts';
import { EmbeddedDatabaseLockedError } from '../db/embedded-lock.ts';
import { DatabaseUnavailableError } from '../db/postgres-errors.ts';

export interface Command {
  /** Prints the message, then the usage, and exits (2, wrong usage, unless told otherwise). */
  fail(message: string, status?: number): never;
  /** The command line; `--help` prints the usage and exits 0, an unknown option fails. */
  parse<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>>;
  /** The configuration from the environment, or exit 2 naming each bad variable. */
  config(): AppConfig;
  /** The configured database (DATABASE_URL, or the embedded one in DATA_DIR), or exit 3 saying why; `task` is what the user is doing ("run the import"). */
  openDatabase(task: string): Promise<{ config: AppConfig; database: DatabaseHandle }>;
}

export function command(usage: string): Command {
  function fail(message: string, status = 2): never {
    console.error(`${message}\n\n${usage}`);
    process.exit(status);
  }
  function loadConfiguration(): AppConfig {
    try {
      return loadConfig();
    } catch (error) {
      if (error instanceof ConfigError) fail(error.message);
      throw error;
    }
  }
  return {
    fail,
    parse(config) {
      let parsed;
      try {
        parsed = parseArgs(config);
      } catch (error) {
        fail((error as Error).message);
      }
      if ((parsed.values as { help?: boolean }).help) {
        console.log(usage);
        process.exit(0);
      }
      return parsed;
    },
    config: loadConfiguration,
    async openDatabase(task) {
      const config = loadConfiguration();
      try {
        // Commands do maintenance work (imports, migrations): statements get the import timeout.
        const statementTimeoutMs = config.database.kind === 'server' ? config.database.importStatementTimeoutMs : undefined;
        const database = await openDatabase(config.database, { command: config.command, ...(statementTimeoutMs === undefined ? {} : { statementTimeoutMs }) });
        // A server connects lazily: wait for it here (as npm start does, DATABASE_WAIT_S), so that a
        // server that is down is one sentence and exit 3, not a stack from the first query.
        if (config.database.kind === 'server') {
          try {
            await waitForDatabase(database, { maxWaitMs: config.database.waitMs });
          } catch (error) {
            await database.close();
            throw error;
          }
        }
        return { config, database };
      } catch (error) {
        if (error instanceof DatabaseUnavailableError) {
          console.error(`${error.message}\nNothing was changed; ${task} once it answers.`);
          process.exit(3);
        }
        if (error instanceof EmbeddedDatabaseLockedError) {
          console.error(`${error.message}\nWhile \`npm start\` is running, stop it (Ctrl+C), ${task}, then start it again.`);
          process.exit(3);
        }
        console.error(`Cannot open the database: ${(error as Error).message}`);
        process.exit(3);
      }
    },
  };
}
