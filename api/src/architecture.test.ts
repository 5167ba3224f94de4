import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from './testing/index.ts';

/**
 * The house rules of docs/design.md, checked: a change that breaks one fails here with the file and
 * the rule, instead of being found in a review months later.
 */

const apiSource = path.join(repositoryRoot, 'api/src');

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const relative = (file: string) => path.relative(repositoryRoot, file);

/** Tests and what only tests use: free to build data however they need. */
const isTestSupport = (file: string) => /\.test\.ts$|[-.]test-(kit|support)\.ts$/.test(file) || relative(file).startsWith('api/src/testing/');

/** Static imports and re-exports: `import … from '…'`, `export … from '…'`. */
function importsOf(source: string): string[] {
  return [...source.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gms)].map((match) => match[1]!);
}

/** The module folder (`api/src/modules/<name>/`) a file belongs to, if any. */
function moduleOf(file: string): string | undefined {
  return /api\/src\/modules\/([^/]+)\//.exec(relative(file))?.[1];
}

const files = sourceFiles(apiSource).filter((file) => !isTestSupport(file));

describe('the house rules', () => {
  it('builds queries only in repositories (and the database layer): no Kysely builder or sql elsewhere', () => {
    const offenders = files
      .filter((file) => !file.endsWith('.repository.ts') && !relative(file).startsWith('api/src/db/'))
      .filter((file) => {
        const source = fs.readFileSync(file, 'utf8');
        const importsSql = /import\s*\{[^}]*\bsql\b[^}]*\}\s*from\s*'kysely'/.test(source);
        const buildsQueries = /\.(selectFrom|insertInto|updateTable|deleteFrom|mergeInto|selectNoFrom)\(/.test(source);
        return importsSql || buildsQueries;
      })
      .map(relative);
    expect(offenders).toEqual([]);
  });

  it('keeps each module’s repository its own: other modules call its service', () => {
    const offenders: string[] = [];
    for (const file of files) {
      const owner = moduleOf(file);
      for (const target of importsOf(fs.readFileSync(file, 'utf8'))) {
        if (!target.startsWith('.') || !target.endsWith('.repository.ts')) continue;
        const resolved = path.resolve(path.dirname(file), target);
        if (moduleOf(resolved) !== owner) offenders.push(`${relative(file)} → ${relative(resolved)}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('keeps the configuration free of domain modules', () => {
    const offenders = sourceFiles(path.join(apiSource, 'config'))
      .filter((file) => !isTestSupport(file))
      .flatMap((file) => importsOf(fs.readFileSync(file, 'utf8')).filter((target) => path.resolve(path.dirname(file), target).includes(`${path.sep}modules${path.sep}`)).map((target) => `${relative(file)} → ${target}`));
    expect(offenders).toEqual([]);
  });

  it('keeps services free of HTTP: no express, no request or response', () => {
    const offenders = files.filter((file) => file.endsWith('.service.ts') && importsOf(fs.readFileSync(file, 'utf8')).some((target) => target === 'express' || target === 'node:http')).map(relative);
    expect(offenders).toEqual([]);
  });

  it('has no import cycles, counting type-only imports (ESLint checks the others as you type)', () => {
    const roots = ['api/src', 'tiles/src', 'gis-data/src', 'map-client/src'].map((folder) => path.join(repositoryRoot, folder));
    const graph = new Map<string, string[]>();
    for (const file of roots.flatMap(sourceFiles).filter((file) => !isTestSupport(file))) {
      const targets = importsOf(fs.readFileSync(file, 'utf8'))
        .filter((target) => target.startsWith('.'))
        .map((target) => path.resolve(path.dirname(file), target));
      graph.set(file, targets);
    }
    expect(findCycles(graph).map((cycle) => cycle.map(relative).join(' → '))).toEqual([]);
  });

  it('finds what it checks (the rules above are not vacuous)', () => {
    expect(findCycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c', 'a']]);
    expect(files.filter((file) => file.endsWith('.repository.ts')).length).toBeGreaterThan(10);
    expect(files.filter((file) => file.endsWith('.service.ts')).length).toBeGreaterThan(10);
    expect(importsOf("import { sql } from 'kysely';\nexport { a } from './x.repository.ts';")).toEqual(['kysely', './x.repository.ts']);
  });
});

/** Every cycle of a directed graph, once each (as found from its first node in iteration order). */
function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next) && graph.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}
