import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as contracts from './index.ts';
import {
  closedReportStatuses,
  deadlineRunningStatuses,
  openReportStatuses,
  reportStatuses,
  reportStatusNames,
  staffActionNames,
  staffTransitions,
} from './report-status.ts';

const sourceDirectory = path.dirname(fileURLToPath(import.meta.url));
const repositoryRoot = path.resolve(sourceDirectory, '../../..');
const sources = fs.readdirSync(sourceDirectory).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));

/** Static imports and re-exports of a source: `import … from '…'`, `export … from '…'`. */
function importsOf(source: string): Array<{ names: string; typeOnly: boolean; from: string }> {
  return [...source.matchAll(/^(import|export)\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)'/gms)].map((match) => ({ names: match[3]!, typeOnly: match[2] !== undefined, from: match[4]! }));
}

/** The files the map client bundles as code (the rest it may import only as types). */
const plainModules = ['report-status.ts', 'vocabulary.ts'];

describe('@bandoso/contracts', () => {
  it('imports nothing but zod and itself (no Node built-in, no server code), and its plain modules not even zod', () => {
    const offenders = sources.flatMap((file) =>
      importsOf(fs.readFileSync(path.join(sourceDirectory, file), 'utf8'))
        .filter(({ from }) => !(from === 'zod' && !plainModules.includes(file)) && !/^\.\/[\w.-]+\.ts$/.test(from))
        .map(({ from }) => `${file} → ${from}`),
    );
    expect(offenders).toEqual([]);
    for (const file of plainModules) expect(importsOf(fs.readFileSync(path.join(sourceDirectory, file), 'utf8')), file).toEqual([]);
  });

  it('reaches the map client as types, and as values only from its plain modules (the client bundles no zod)', () => {
    const plainValues = new Set(
      plainModules.flatMap((file) => [...fs.readFileSync(path.join(sourceDirectory, file), 'utf8').matchAll(/^export (?:const|function) (\w+)/gm)].map((match) => match[1]!)),
    );
    const clientFiles = (folder: string): string[] =>
      fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? clientFiles(path.join(folder, entry.name)) : entry.name.endsWith('.ts') ? [path.join(folder, entry.name)] : []));
    const offenders: string[] = [];
    for (const file of clientFiles(path.join(repositoryRoot, 'map-client/src'))) {
      for (const { names, typeOnly, from } of importsOf(fs.readFileSync(file, 'utf8'))) {
        if (from !== '@bandoso/contracts' || typeOnly) continue;
        const values = names
          .replace(/[{}]/g, '')
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name && !name.startsWith('type '))
          .map((name) => name.split(/\s+as\s+/)[0]!);
        for (const name of values) if (!plainValues.has(name)) offenders.push(`${path.relative(repositoryRoot, file)}: ${name}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(plainValues).toContain('openReportStatuses');
  });

  it('splits the statuses into open and closed, and the deadline clock runs on the open ones but waiting for the citizen', () => {
    expect([...openReportStatuses, ...closedReportStatuses].sort()).toEqual([...reportStatuses].sort());
    expect(closedReportStatuses).toEqual(['resolved', 'rejected', 'duplicate']);
    expect(deadlineRunningStatuses).toEqual(openReportStatuses.filter((status) => status !== 'waiting_for_citizen'));
    expect(Object.keys(reportStatusNames).sort()).toEqual([...reportStatuses].sort());
  });

  it('has one transition per staff action, between known statuses; no action leaves a closed report but a note', () => {
    expect(Object.keys(staffTransitions).sort()).toEqual([...staffActionNames].sort());
    for (const [action, { from, to }] of Object.entries(staffTransitions)) {
      for (const status of [...from, ...(to ? [to] : [])]) expect(reportStatuses, action).toContain(status);
      if (action !== 'add_note') expect(from.filter((status) => closedReportStatuses.includes(status)), action).toEqual([]);
    }
  });

  it('exports every schema under a name that says what it is', () => {
    const schemas = Object.entries(contracts).filter(([, value]) => typeof value === 'object' && value !== null && 'safeParse' in value);
    expect(schemas.length).toBeGreaterThan(20);
    for (const [name] of schemas) expect(name).toMatch(/Schema$/);
  });
});
