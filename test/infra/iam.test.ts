/**
 * Least privilege per function group (issue 10 item 9): each group's role may touch only the
 * tables, indexes and actions its entry in functions/routes.ts declares (`tables`), and the
 * declaration covers what the group's code uses (every index and table its bundle references).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { Template } from 'aws-cdk-lib/assertions';
import { DYNAMO_WRITE_ACTIONS, tableAccessOf } from '../../lib/api';
import { entryOf, functionGroups, type FunctionGroup, type FunctionGroupDef } from '../../functions/routes';
import { tableList } from '../../functions/tables';
import { buildStack } from './app';

const root = join(__dirname, '..', '..');
const groups = Object.entries(functionGroups) as Array<[FunctionGroup, FunctionGroupDef]>;
let template: Template;
beforeAll(() => {
  template = buildStack({ stage: 'dev' }, { bundle: false }).template;
});

interface Statement {
  Action: string | string[];
  Resource: unknown;
}
/**
 * DynamoDB statements of a group's API function role, with the tables and indexes they name.
 * CDK merges statements with the same actions, so each resource is mapped to its own table.
 */
function dynamoStatements(group: string) {
  const tableIds = new Map(
    Object.entries(template.findResources('AWS::DynamoDB::Table')).map(([logicalId]) => [
      logicalId,
      tableList.find((t) => logicalId.startsWith(`Data${t.id}`))!.id,
    ]),
  );
  return Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(`ApiFn${group}Role`))
    .flatMap(([, p]) => (p.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement)
    .map((s) => ({ actions: [s.Action].flat(), resources: [s.Resource].flat().map((r) => JSON.stringify(r)) }))
    .filter((s) => s.actions.some((a) => a.startsWith('dynamodb:')))
    .map((s) => {
      const named = s.resources.map((r) => ({
        table: [...tableIds].find(([logicalId]) => r.includes(`"${logicalId}"`))?.[1],
        index: /\/index\/(\w+)/.exec(r)?.[1],
      }));
      return {
        actions: s.actions,
        tables: [...new Set(named.flatMap((n) => (n.table ? [n.table] : [])))],
        indexesOf: (table: string) => named.filter((n) => n.table === table && n.index).map((n) => n.index!),
      };
    });
}

describe('least-privilege table access per function group', () => {
  it('declares table access for every group', () => {
    for (const [group, def] of groups) expect({ group, declared: def.tables !== undefined }).toEqual({ group, declared: true });
  });

  it.each(groups.map(([g]) => g))('grants group %s only its declared tables, indexes and actions', (group) => {
    const declared = tableAccessOf(functionGroups[group]);
    // The certificates group also issues certificates (lib/certificates.ts grantIssuance: main + its indexes).
    const statements = dynamoStatements(group);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      for (const t of s.tables) {
        expect({ group, table: t, declared: t in declared }).toEqual({ group, table: t, declared: true });
        if (!declared[t]!.actions.includes('write'))
          expect(s.actions.filter((a) => DYNAMO_WRITE_ACTIONS.includes(a) || /Put|Update|Delete|BatchWrite/.test(a))).toEqual([]);
        for (const i of s.indexesOf(t))
          expect({ table: t, index: i, declared: (declared[t]!.indexes ?? []).includes(i) }).toEqual({ table: t, index: i, declared: true });
      }
    }
    // Only the stream consumer writes statistics.
    expect(statements.filter((s) => s.tables.includes('stats') && s.actions.some((a) => /Put|Update|Delete|BatchWrite/.test(a)))).toEqual([]);
  });

  it.each(groups.map(([g]) => g))('declares for group %s every index and table its code references', (group) => {
    const out = buildSync({
      entryPoints: [join(root, entryOf(group))],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'silent',
      external: ['pdfkit', 'fontkit', '@fontsource/*'],
    });
    const declared = tableAccessOf(functionGroups[group]);
    const sources = Object.keys(out.metafile!.inputs).filter(
      (f) => /(^|\/)functions\//.test(f) && !f.includes('node_modules') && !f.endsWith('tables.ts') && !f.endsWith('routes.ts') && !f.includes('/local/'),
    );
    for (const f of sources) {
      const src = readFileSync(join(root, f.replace(/^.*?(functions\/)/, '$1')), 'utf8');
      for (const m of src.matchAll(/['"](gsi\d)['"]/g))
        expect({ group, file: f, index: m[1], declared: (declared.main?.indexes ?? []).includes(m[1]!) }).toEqual({
          group,
          file: f,
          index: m[1],
          declared: true,
        });
      if (/tableName\(['"]stats['"]\)/.test(src) && group === 'statistics') expect(declared.stats?.actions).toContain('read');
    }
  });
});
