import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CERTIFICATE_FONT_PACKAGES, certificateFontFiles } from '../../../functions/certificates/domain/font-files';
import { functionGroups } from '../../../functions/routes';
import { copyNodeModulesCommand, PRUNED_MODULE_FILES } from '../../../lib/bundling';
import { CERTIFICATE_NODE_MODULES } from '../../../lib/certificates';

/**
 * The Lambda bundles ship the certificate fonts as node modules (esbuild cannot see font
 * files), pruned to the files the certificates read: the copy hook of lib/bundling.ts is run
 * for real, and a certificate is rendered in every language from the pruned copy alone.
 */
const root = join(__dirname, '../../..');
const size = (p: string): number => (statSync(p).isDirectory() ? readdirSync(p).reduce((sum, f) => sum + size(join(p, f)), 0) : statSync(p).size);

describe('certificate fonts in the Lambda bundles', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'cert-bundle-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('lists every font package in the API group and the worker', () => {
    for (const pkg of CERTIFICATE_FONT_PACKAGES) {
      expect(functionGroups.certificates.nodeModules).toContain(pkg);
      expect(CERTIFICATE_NODE_MODULES).toContain(pkg);
      expect(PRUNED_MODULE_FILES[pkg]).toEqual(certificateFontFiles()[pkg]);
    }
  });

  it("copies only the WOFF files read (a few MB, not the packages' 23 MB), and every certificate language renders from the copy", () => {
    execFileSync('sh', ['-c', copyNodeModulesCommand(root, out, CERTIFICATE_FONT_PACKAGES)], { stdio: 'pipe' });
    let fonts = 0;
    for (const [pkg, files] of Object.entries(certificateFontFiles())) {
      const listed = readdirSync(join(out, 'node_modules', pkg, 'files')).sort();
      expect(listed).toEqual([...files].map((f) => f.slice('files/'.length)).sort());
      expect(existsSync(join(out, 'node_modules', pkg, 'package.json'))).toBe(true);
      fonts += size(join(out, 'node_modules', pkg));
    }
    expect(fonts).toBeLessThan(2 * 2 ** 20);
    // A fresh process that can only find the fonts in the copy (CERTIFICATE_FONT_DIR).
    const script = [
      "const { renderCertificatePdf } = require('./functions/certificates/domain/pdf');",
      "const { CERTIFICATE_LANGUAGES } = require('./functions/certificates/domain/labels');",
      "const { qrMatrix } = require('./functions/certificates/domain/qr');",
      "const { buildCertificateRecord } = require('./functions/certificates/domain/record');",
      "const { twoDoseInput, ISSUED_AT } = require('./test/unit/certificates/fixtures');",
      "const record = buildCertificateRecord({ ...twoDoseInput(), certificateId: 'URN:UVCI:01:NL:187/37512422923#Z', issuedAt: ISSUED_AT });",
      "(async () => { for (const language of CERTIFICATE_LANGUAGES) await renderCertificatePdf(record, { qr: qrMatrix('HC1:X'), hc1: 'HC1:X', language }); console.log('ok'); })().catch((e) => { console.error(e); process.exit(1); });",
    ].join('\n');
    const env: NodeJS.ProcessEnv = { ...process.env, CERTIFICATE_FONT_DIR: join(out, 'node_modules') };
    delete env.CERTIFICATE_FONT_FILE;
    expect(execFileSync(join(root, 'node_modules/.bin/tsx'), ['-e', script], { cwd: root, env, encoding: 'utf8' }).trim()).toBe('ok');
  });
});
