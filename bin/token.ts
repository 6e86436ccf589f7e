/**
 * `npm run token -- --role ops [--center 1401] [--district 140] [--name "..."] [--ttl 3600]`
 * Mints a staff ID token (RS256) from the local development identity provider, whose key pair
 * lives in .local/staff-idp/ (LOCAL_DATA_DIR). Roles: ops | district_admin | center_admin | vaccinator. --center and
 * --district may repeat or take comma lists. Local only: a later issue replaces this with
 * Cognito in AWS; the role checks behind it are the real ones.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mintDevStaffToken } from '../functions/auth/staff-idp';
import type { StaffRole } from '../functions/platform/http/types';

const ROLES: StaffRole[] = ['ops', 'district_admin', 'center_admin', 'vaccinator'];

async function main(): Promise<void> {
  process.env.LOCAL_DATA_DIR ??= join(process.cwd(), '.local');
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      center: { type: 'string', multiple: true },
      district: { type: 'string', multiple: true },
      name: { type: 'string' },
      ttl: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const usage = 'usage: npm run token -- --role ops|district_admin|center_admin|vaccinator [--center 1401] [--district 140] [--name "A. Staff"] [--ttl 3600]';
  if (values.help) return void process.stdout.write(`${usage}\n`);
  const role = values.role as StaffRole | undefined;
  if (!role || !ROLES.includes(role)) throw new Error(usage);
  const ids = (list: string[] | undefined, what: string) =>
    (list ?? [])
      .flatMap((v) => v.split(','))
      .map((v) => {
        const n = Number(v.trim());
        if (!Number.isInteger(n) || n <= 0) throw new Error(`--${what} takes numeric ids, got ${v}`);
        return n;
      });
  const centers = ids(values.center, 'center');
  const districts = ids(values.district, 'district');
  if (role === 'district_admin' && districts.length === 0) throw new Error('a district_admin needs --district');
  if ((role === 'center_admin' || role === 'vaccinator') && centers.length === 0) throw new Error(`a ${role} needs --center`);
  const ttl = Number(values.ttl ?? 3600); // at most 1 h, like Cognito ID tokens
  // An RS256 ID token of the development identity provider (functions/auth/staff-idp.ts): the
  // same claims and the same verification as the Cognito pool's tokens in AWS.
  const token = await mintDevStaffToken(
    { sub: `local-${randomUUID()}`, name: values.name ?? `Local ${role}`, role, centers, districts },
    { nowSeconds: Math.floor(Date.now() / 1000), ttlSeconds: ttl },
  );
  process.stdout.write(`${token}\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
