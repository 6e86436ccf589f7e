/**
 * Builds docs/openapi.json from the route table and the zod schemas each handler parses with,
 * so the document cannot drift from the code (test/unit/scripts/openapi.test.ts fails when it does).
 *   npx tsx scripts/openapi.ts          write docs/openapi.json
 *   npx tsx scripts/openapi.ts --check  exit 1 when docs/openapi.json is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { entryOf, functionGroups, routes, type FunctionGroup, type RouteDef } from '../functions/routes';
import type { RouteHandler } from '../functions/platform/http/types';

const OUT = join(__dirname, '..', 'docs', 'openapi.json');

const toSchema = (schema: unknown): Record<string, unknown> | undefined => {
  if (!schema) return undefined;
  const json = z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
};

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

export async function buildOpenApi(): Promise<Record<string, unknown>> {
  const handlers = new Map<string, RouteHandler>();
  for (const group of Object.keys(functionGroups) as FunctionGroup[]) {
    const mod = (await import(join(__dirname, '..', entryOf(group)))) as { handler: { routeHandlers?: Record<string, RouteHandler> } };
    for (const [id, h] of Object.entries(mod.handler.routeHandlers ?? {})) handlers.set(id, h);
  }
  const paths: Record<string, Record<string, unknown>> = {};
  // Operations that look a record up by an id the caller names answer 404 when it is not there
  // (path parameters, and authenticated routes taking ids); the rest never do.
  const NEVER_404 = new Set([
    'findByPin',
    'findByDistrict',
    'calendarByPin',
    'calendarByDistrict',
    'calendarByCenter',
    'logout',
    'staffLogout',
    'listBeneficiaries',
    'registerBeneficiary',
    'vaccinatorFindByMobile',
    'vaccinatorConsentConfirm',
    'importCenters',
    'createCenter',
    'vaccinateBatch',
  ]);
  const mayAnswer404 = (r: RouteDef) => /\{\w+\}/.test(r.path) || (r.auth !== 'none' && !NEVER_404.has(r.id));
  const served = (routes as readonly RouteDef[]).flatMap((r) => [
    r,
    ...(r.alsoAt ?? []).map((path) => ({ ...r, path, id: `${r.id}At${path.replace(/[^A-Za-z0-9]/g, '')}` })),
  ]);
  for (const route of served) {
    const handlerId =
      (routes as readonly RouteDef[]).find((r) => r.group === route.group && (r.path === route.path || r.alsoAt?.includes(route.path)))?.id ?? route.id;
    const spec = handlers.get(handlerId)?.spec ?? {};
    const parameters: Array<Record<string, unknown>> = [];
    for (const m of route.path.matchAll(/\{(\w+)\}/g)) parameters.push({ name: m[1], in: 'path', required: true, schema: { type: 'string' } });
    const query = toSchema(spec.query) as { properties?: Record<string, unknown>; required?: string[] } | undefined;
    for (const [name, schema] of Object.entries(query?.properties ?? {})) {
      parameters.push({ name, in: 'query', required: query?.required?.includes(name) ?? false, schema });
    }
    if (route.group === 'booking' && route.id === 'schedule') {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
        description: 'Retries with the same key return the first result instead of booking again (kept 24 h).',
      });
    }
    const body = toSchema(spec.body);
    const security =
      route.auth === 'citizen' ? [{ citizenToken: [] }] : route.auth === 'staff' ? [{ staffToken: [] }] : route.apiKey ? [{ partnerApiKey: [] }] : [];
    const ok = route.binary
      ? { description: 'PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } }
      : { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } };
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: route.id,
      tags: [route.group],
      summary: functionGroups[route.group].purpose,
      ...(parameters.length ? { parameters } : {}),
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
      security,
      responses: {
        '200': ok,
        '400': errorResponse('Invalid input (errorCode says which rule)'),
        ...(route.auth !== 'none' ? { '401': errorResponse('Unauthenticated access! (missing, expired, revoked or tampered token)') } : {}),
        ...(route.auth === 'staff' || route.apiKey ? { '403': errorResponse('Not allowed for this caller') } : {}),
        ...(mayAnswer404(route)
          ? { '404': errorResponse('No such record (beneficiary, appointment, session, centre, event or certificate), or not yours') }
          : {}),
        '409': errorResponse('Conflict with current state (e.g. APPOIN0040 fully booked, APPOIN0022 already booked)'),
        '413': errorResponse('Body too large'),
        '429': { ...errorResponse('Too many requests: retry after the Retry-After header'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
      },
      ...(route.cacheSeconds ? { 'x-cache-seconds': route.cacheSeconds } : {}),
      ...(route.throttle ? { 'x-throttle': route.throttle } : {}),
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Open CoWIN API',
      version: '2.0.0',
      description:
        'CoWIN v2 compatible API (paths, fields and error bodies). Every route lives under /api. Errors: {"errorCode","error"}; every response carries x-correlation-id. Generated from functions/routes.ts by scripts/openapi.ts.',
    },
    servers: [{ url: 'http://127.0.0.1:3000', description: 'npm start' }],
    paths,
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['errorCode', 'error'],
          properties: { errorCode: { type: 'string', example: 'APPOIN0040' }, error: { type: 'string' } },
        },
      },
      securitySchemes: {
        citizenToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'From confirmOTP / validateMobileOtp; valid 900 s' },
        staffToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Staff identity (roles: vaccinator, center_admin, district_admin, ops)',
        },
        partnerApiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      },
    },
  };
}

export const render = (doc: unknown) => JSON.stringify(doc, null, 2) + '\n';

if (require.main === module) {
  buildOpenApi().then((doc) => {
    const text = render(doc);
    if (process.argv.includes('--check')) {
      const current = readFileSync(OUT, 'utf8');
      if (current !== text) {
        process.stderr.write('docs/openapi.json is stale: run `npm run openapi`\n');
        process.exit(1);
      }
      return;
    }
    writeFileSync(OUT, text);
    process.stdout.write(`wrote ${OUT} (${Object.keys(doc.paths as object).length} paths)\n`);
  });
}
