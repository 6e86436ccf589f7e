import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkJava } from '../../../../dev/local/dynamodb-local';

describe('npm start without a suitable Java', () => {
  it('says Java is missing and how to install it', () => {
    const r = checkJava({ PATH: mkdtempSync(join(tmpdir(), 'no-java-')) });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(/Java was not found/);
      expect(r.message).toContain('apt-get install -y openjdk-17-jre-headless');
      expect(r.message).toContain('AWS_ENDPOINT_URL_DYNAMODB');
    }
  });

  it('refuses a Java older than 17 and accepts 17+', () => {
    const dir = mkdtempSync(join(tmpdir(), 'old-java-'));
    const fake = (version: string) => {
      writeFileSync(join(dir, 'java'), `#!/bin/sh\necho 'openjdk version "${version}" 2021-01-19' >&2\n`);
      chmodSync(join(dir, 'java'), 0o755);
    };
    const env = { PATH: `${dir}:/usr/bin:/bin` };
    fake('1.8.0_292');
    expect(checkJava(env)).toEqual({ ok: false, message: expect.stringContaining('needs Java 17+') });
    fake('11.0.2');
    expect(checkJava(env).ok).toBe(false);
    fake('17.0.15');
    expect(checkJava(env)).toEqual({ ok: true, version: 17 });
    fake('21.0.1');
    expect(checkJava(env)).toEqual({ ok: true, version: 21 });
  });
});
