/**
 * npm run create-user -- --email EMAIL --role ROLE --name NAME [--office CODE] < password
 *
 * Creates a staff account on the configured database (DATABASE_URL, or the embedded one in
 * DATA_DIR): how a deployment gets its first administrator, who then manages the others through
 * /api/admin/users. The password is read from standard input (first line), never from the command
 * line, where it would stay in the shell history and in the process list.
 */
import { createInterface } from 'node:readline';
import { AppError } from '../errors/app-error.ts';
import { addUser } from '../modules/admin/admin.service.ts';
import { userBodySchema } from '../modules/admin/admin.schema.ts';
import { prepareDatabase } from '../prepare-database.ts';
import { command, type Command } from './command.ts';

const usage = `Usage: npm run create-user -- --email EMAIL --role ROLE --name NAME [--office CODE] < password-file
       printf '%s\\n' 'a long password' | npm run create-user -- --email admin@dienbien.gov.vn --role admin --name "Quản trị"

Roles: admin, ioc_operator, planner, officer (needs --office, e.g. UBND-03127), citizen.
The password (at least 10 characters) is the first line of standard input.

Exit status: 0 created, 1 refused (the message says why), 2 wrong usage, 3 database busy or unavailable.`;

const cli = command(usage);
// Annotated, so that TypeScript knows a call never returns (and narrows after it).
const fail: Command['fail'] = cli.fail;
const { values } = cli.parse({
  options: {
    email: { type: 'string' },
    role: { type: 'string' },
    name: { type: 'string' },
    office: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
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
/** The schema's fields, as this command names them. */
const optionOf: Record<string, string> = { email: '--email', displayName: '--name', role: '--role', officeCode: '--office', password: 'the password' };
const parsedAccount = userBodySchema.safeParse({
  email: values.email,
  displayName: values.name,
  role: values.role,
  password,
  ...(values.office ? { officeCode: values.office } : {}),
});
if (!parsedAccount.success) {
  const problems = parsedAccount.error.issues.map((issue) => `${optionOf[String(issue.path[0])] ?? issue.path.join('.')}: ${issue.message}`);
  fail(`Cannot create this account: ${problems.join('; ')}`, 1);
}
const account = parsedAccount.data;

const { config, database } = await cli.openDatabase('create the account');
try {
  // As `npm start` would prepare it: on a new database the account may belong to a sample office.
  await prepareDatabase(database, { seed: config.seedSampleData });
  await addUser(database.db, account);
  console.log(`Created ${account.role} ${account.email}${account.officeCode ? ` of ${account.officeCode}` : ''}.`);
} catch (error) {
  await database.close();
  if (error instanceof AppError) fail(`Cannot create this account: ${error.message}`, 1);
  throw error;
}
await database.close();
