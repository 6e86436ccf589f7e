import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApi, render } from '../../../scripts/openapi';
import { routes } from '../../../functions/routes';

describe('docs/openapi.json', () => {
  it('matches the route table and handler schemas (run `npm run openapi` after changing either)', async () => {
    const doc = await buildOpenApi();
    expect(readFileSync(join(__dirname, '../../../docs/openapi.json'), 'utf8')).toBe(render(doc));
  });

  it('documents every route with its method', async () => {
    const doc = (await buildOpenApi()) as { paths: Record<string, Record<string, { operationId: string }>> };
    for (const r of routes) expect(doc.paths[r.path]?.[r.method.toLowerCase()]?.operationId).toBe(r.id);
  });
});
