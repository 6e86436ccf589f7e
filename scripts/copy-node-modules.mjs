#!/usr/bin/env node
/**
 * Copies packages and their runtime dependency closure from the project's node_modules (as
 * installed by `npm ci` from package-lock.json) into <outDir>/node_modules. Used as the
 * afterBundling hook for functions whose `nodeModules` cannot be bundled (pdfkit reads font
 * and data files at run time): unlike NodejsFunction's own nodeModules, it runs no
 * `npm install`, so `cdk synth` works offline and ships exactly the locked versions.
 *   node scripts/copy-node-modules.mjs <outDir> [--keep=<pkg>:<file>,<file>...] <pkg> [<pkg> ...]
 * --keep ships only those files of a package (paths inside it), plus its package.json and
 * licence (lib/bundling.ts PRUNED_MODULE_FILES: the certificate fonts). Prints the total size copied.
 */
import { cpSync, existsSync, readFileSync, statSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [outDir, ...args] = process.argv.slice(2);
const keep = new Map(
  args
    .filter((a) => a.startsWith('--keep='))
    .map((a) => {
      const [name, files] = a.slice('--keep='.length).split(':');
      return [name, new Set(files.split(',').filter(Boolean))];
    }),
);
const wanted = args.filter((a) => !a.startsWith('--'));
if (!outDir || wanted.length === 0) {
  console.error('usage: copy-node-modules.mjs <outDir> <pkg> [<pkg> ...]');
  process.exit(2);
}

/** Resolves a package directory the way Node does: nested node_modules first, then upwards. */
function findPackage(name, fromDir) {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  const top = join(root, 'node_modules', name);
  return existsSync(join(top, 'package.json')) ? top : undefined;
}

const seen = new Map(); // package dir -> path relative to root
const queue = wanted.map((name) => ({ name, from: root, optional: false }));
while (queue.length) {
  const { name, from, optional } = queue.shift();
  const dir = findPackage(name, from);
  if (!dir) {
    if (optional) continue;
    console.error(`copy-node-modules: ${name} is not installed (run npm ci)`);
    process.exit(1);
  }
  if (seen.has(dir)) continue;
  seen.set(dir, dir.slice(root.length + 1));
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys(pkg.dependencies ?? {})) queue.push({ name: dep, from: dir, optional: false });
  for (const dep of Object.keys(pkg.optionalDependencies ?? {})) queue.push({ name: dep, from: dir, optional: true });
}

const size = (p) => {
  const st = statSync(p);
  return st.isDirectory() ? readdirSync(p).reduce((sum, f) => sum + size(join(p, f)), 0) : st.size;
};
let bytes = 0;
for (const rel of seen.values()) {
  const dest = join(outDir, rel);
  // Nested node_modules of a copied package are copied as packages of their own (above).
  const pkgDir = join(root, rel);
  const name = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).name;
  const only = keep.get(name);
  const kept = (src) => {
    if (!only) return true;
    const inside = src.slice(pkgDir.length + 1);
    if (!inside || inside === 'package.json' || /^licen[cs]e/i.test(inside)) return true;
    if (statSync(src).isDirectory()) return [...only].some((f) => f.startsWith(`${inside}/`));
    return only.has(inside);
  };
  if (only)
    for (const f of only)
      if (!existsSync(join(pkgDir, f))) {
        console.error(`copy-node-modules: ${name} has no ${f}`);
        process.exit(1);
      }
  cpSync(pkgDir, dest, {
    recursive: true,
    dereference: true,
    filter: (src) => !src.slice(pkgDir.length).includes('/node_modules/') && !/\.(map|d\.ts|d\.mts|d\.cts)$/.test(src) && kept(src),
  });
  bytes += size(dest);
}
// Quiet under npm test (test/support/quiet.ts sets COPY_NODE_MODULES_QUIET): synth output is for `cdk synth`.
if (!process.env.COPY_NODE_MODULES_QUIET) console.log(`copied ${seen.size} packages (${Math.round(bytes / 1024)} KB) into ${outDir}/node_modules`);
