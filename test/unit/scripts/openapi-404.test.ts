import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { routes, type RouteDef } from '../../../functions/routes';

const doc = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'openapi.json'), 'utf8'));
const op = (r: RouteDef) => doc.paths[r.path][r.method.toLowerCase()];

describe('openapi.json lists the 404 of every operation that can answer it', () => {
  it.each((routes as readonly RouteDef[]).filter((r) => /\{\w+\}/.test(r.path)).map((r) => [r.id, r]))('%s (path parameter)', (_id, r) => {
    expect(op(r as RouteDef).responses['404']).toBeDefined();
  });
  it.each([
    'schedule',
    'reschedule',
    'cancel',
    'appointmentSlip',
    'deleteBeneficiary',
    'vaccinatorFindByReference',
    'vaccinate',
    'correctDose',
    'certificateDownload',
    'vaccinatorRegister',
    'vaccinatorConsentOtp',
  ])('%s', (id) => {
    expect(op((routes as readonly RouteDef[]).find((r) => r.id === id)!).responses['404']).toBeDefined();
  });
});
