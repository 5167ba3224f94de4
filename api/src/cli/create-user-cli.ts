/**
 * npm run create-user -- --email EMAIL --role ROLE --name NAME [--office CODE] < password
 *
 * Creates a staff account on the configured database (DATABASE_URL, or the embedded one in
 * DATA_DIR): how a deployment gets its first administrator, who then manages the others through
 * /api/admin/users. The password is read from standard input (first line), never from the command
 * line, where it would stay in the shell history and in the process list.
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { ConfigError, loadConfig } from '../config/config.ts';
import { openDatabase } from '../db/database.ts';
import { EmbeddedDatabaseLockedError } from '../db/embedded-lock.ts';
import { AppError } from '../errors/app-error.ts';
import { parseInput } from '../http/validate-input.ts';
import { addUser } from '../modules/admin/admin.service.ts';
import { userBodySchema } from '../modules/admin/admin.schema.ts';
import { prepareDatabase } from '../platform.ts';

const usage = `Usage: npm run create-user -- --email EMAIL --role ROLE --name NAME [--office CODE] < password-file
       printf '%s\\n' 'a long password' | npm run create-user -- --email admin@dienbien.gov.vn --role admin --name "Quản trị"

Roles: admin, ioc_operator, planner, officer (needs --office, e.g. UBND-03127), citizen.
The password (at least 10 characters) is the first line of standard input.

Exit status: 0 created, 1 refused (the message says why), 2 wrong usage, 3 database busy or unavailable.`;

function fail(message: string, status = 2): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(status);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      office: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  fail((error as Error).message);
}
const { values } = parsed;
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (!values.email || !values.role || !values.name) fail('Give --email, --role and --name.');

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (at least 10 characters; it is shown as you type): ');
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

const password = await readPassword();
let account;
try {
  account = parseInput(
    userBodySchema,
    { email: values.email, displayName: values.name, role: values.role, password, ...(values.office ? { officeCode: values.office } : {}) },
    'body',
  );
} catch (error) {
  // The schema speaks of the API's field names; say them as this command's options.
  const message = (error as Error).message.replace(/^Invalid body: /, '').replace(/\bdisplayName\b/g, '--name').replace(/\bofficeCode\b/g, '--office');
  fail(`Cannot create this account: ${message}`, 1);
}

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}
let database;
try {
  database = await openDatabase(config.database);
} catch (error) {
  if (error instanceof EmbeddedDatabaseLockedError) {
    console.error(`${error.message}\nWhile \`npm start\` is running, stop it (Ctrl+C), create the account, then start it again.`);
    process.exit(3);
  }
  console.error(`Cannot open the database: ${(error as Error).message}`);
  process.exit(3);
}
try {
  await prepareDatabase(database, { seed: config.seedSampleData });
  await addUser(database.db, account);
  console.log(`Created ${account.role} ${account.email}${account.officeCode ? ` of ${account.officeCode}` : ''}.`);
} catch (error) {
  await database.close();
  if (error instanceof AppError) fail(`Cannot create this account: ${error.message}`, 1);
  throw error;
}
await database.close();
