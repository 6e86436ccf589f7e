// Dependency rules for Open CoWIN: `npm run lint:deps` (part of `npm run lint`).
//
// The layout they protect is README's "Layout" (and docs/architecture.md, which says why).
// A file's role is its name, the same in every context under functions/:
//   domain.ts | domain/*.ts   rules and types, pure
//   errors.ts                 the context's error codes
//   ports.ts                  the interfaces the context needs (stores, senders, signers)
//   [<feature>-]service.ts    use cases over ports
//   [<feature>-]dynamo-store.ts   DynamoDB adapters of ports.ts
//   [<feature>-]handler.ts    routes (HTTP), consumer.ts / worker.ts (streams, SQS)
//   [<feature>-]wiring.ts     the only place a context's objects are built (a feature's own
//                             when a lean function group must not load the rest: verify-wiring.ts)
// functions/platform/ serves every context and imports none.
//
// Two passes (package.json lint:deps): the whole tree, then the core alone (DEPCRUISE_CORE=1:
// every entry and wiring file left out). Composition files may tie contexts together (a
// handler of one context's routes builds another's store through that context's wiring),
// so folders may form circles only through them: in the core, folder circles are errors.
// Known violations are named in EXCEPTIONS (one `from` file → `to` file each); remove one
// when its import goes, never widen one to a folder.
const { readdirSync } = require('node:fs');

/** Contexts: every folder under functions/ but the platform. */
const CONTEXTS = readdirSync('functions', { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'platform')
  .map((d) => d.name);
const C = `(${CONTEXTS.join('|')})`;

/** Composition files: where objects are built and entry points (HTTP, stream, SQS, schedule). */
const COMPOSITION = `^functions/${C}/([a-z-]*handler|[a-z-]*wiring|consumer|worker)\\.ts$`;

/** Pure files: domain, errors and ports; services add use cases over ports (and may log). */
const DOMAIN = [
  `^functions/${C}/(domain\\.ts$|domain/|errors\\.ts$|ports\\.ts$)`,
  '^functions/platform/(dates|errors|map-limit|ports|signer|der|streams|mobile-envelope)\\.ts$',
];
const SERVICE = `^functions/${C}/[a-z-]*service\\.ts$`;
const PURE = [...DOMAIN, SERVICE];

/** What pure files never import: adapters, the environment, composition. */
const ADAPTERS = [
  '^functions/platform/(aws|dynamo)/',
  '^functions/platform/(deps|config|metrics)\\.ts$',
  'dynamo-store\\.ts$',
  'wiring\\.ts$',
  'handler\\.ts$',
];

/**
 * Definitions the CDK app shares with the functions, so both read one source: the route table,
 * the table definitions, the staff roles (Cognito groups), the error codes, the web apps'
 * security headers (CloudFront sends what the local server sends), the font files the
 * certificate bundles ship, the SMS catalogue (its DLT template kinds) and the partner tiers
 * (usage plans). Each is data plus pure functions.
 */
const DEFINITIONS = [
  '^functions/(routes|tables|staff-roles)\\.ts$',
  '^functions/platform/(errors|http/web-headers|sms/catalogue|sms/languages)\\.ts$',
  '^functions/certificates/domain/font-files\\.ts$',
  '^functions/partners/domain\\.ts$',
];

/** Today's violations, one import each, and why each one is still there. */
const EXCEPTIONS = {
  // The catalogue's dose intervals are a deployment setting (VACCINE_INTERVALS: India moved them
  // three times) read where the catalogue is built; threading it through every caller of
  // vaccineByName / doseInterval (booking, vaccination, reminders, certificates) buys nothing.
  vaccineIntervals: { rules: ['pure-no-adapters'], from: '^functions/(vaccines)/domain\\.ts$', to: '^functions/platform/config\\.ts$' },
  // The certificate fonts are files: fonts.ts finds them in the bundle's node_modules, or where
  // CERTIFICATE_FONT_DIR / CERTIFICATE_FONT_FILE say (the bundle test's pruned copy).
  certificateFonts: { rules: ['pure-no-adapters'], from: '^functions/(certificates)/domain/fonts\\.ts$', to: '^functions/platform/config\\.ts$' },
};

const list = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** A rule, plus one narrow copy per named exception: the exception's `from` may import its `to`, nothing more. */
function rule(r) {
  const exceptions = Object.entries(EXCEPTIONS).filter(([, e]) => e.rules.includes(r.name));
  const general = { ...r, from: { ...r.from, pathNot: [...list(r.from.pathNot), ...exceptions.map(([, e]) => e.from)] } };
  const narrow = exceptions.map(([name, e]) => ({
    ...r,
    comment: `${r.comment} (known exception ${name} allows ${e.to} only)`,
    from: { ...r.from, path: e.from },
    to: { ...r.to, pathNot: [...list(r.to.pathNot), e.to] },
  }));
  return [general, ...narrow];
}

const core = process.env.DEPCRUISE_CORE === '1';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circles between files (type-only imports count: they still tie the files together).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      severity: core ? 'error' : 'ignore',
      scope: 'folder',
      comment: 'No import circles between folders of the core (composition files left out): contexts depend on each other one way.',
      from: { path: '^functions/' },
      to: { circular: true },
    },
    ...rule({
      name: 'pure-no-aws-sdk',
      severity: 'error',
      comment: 'Domain, port and service files are pure: no AWS SDK (an adapter behind a port does the I/O).',
      from: { path: PURE },
      to: { path: '^node_modules/@aws-sdk/' },
    }),
    ...rule({
      name: 'pure-no-adapters',
      severity: 'error',
      comment: 'Domain, port and service files take ports: no adapters, no environment (config, deps), no wiring or handlers.',
      from: { path: PURE },
      to: { path: ADAPTERS },
    }),
    ...rule({
      name: 'domain-no-logger',
      severity: 'error',
      comment: 'Domain and port files do no I/O, logging included (services may log).',
      from: { path: DOMAIN },
      to: { path: '^functions/platform/logger\\.ts$' },
    }),
    ...rule({
      name: 'no-foreign-dynamo-store',
      severity: 'error',
      comment: "Only wiring builds another context's DynamoDB adapter; everything else goes through that context's ports.",
      from: { path: '^functions/([^/]+)/', pathNot: 'wiring\\.ts$' },
      to: { path: '^functions/[^/]+/[a-z/-]*dynamo-store\\.ts$', pathNot: '^functions/$1/' },
    }),
    ...rule({
      name: 'platform-no-context',
      severity: 'error',
      comment: 'The platform serves every context and imports none (the shared definitions next to routes.ts excepted).',
      from: { path: '^functions/platform/' },
      to: { path: `^functions/${C}/` },
    }),
    {
      name: 'functions-not-outside',
      severity: 'error',
      comment: 'Lambda code does not import the CDK app, the local runtime or tests.',
      from: { path: '^functions/' },
      to: { path: '^(lib|dev|test|bench|scripts|bin)/' },
    },
    ...rule({
      name: 'lib-only-definitions',
      severity: 'error',
      comment: 'The CDK app reads only the definitions it shares with the functions (DEFINITIONS).',
      from: { path: '^lib/' },
      to: { path: '^functions/', pathNot: DEFINITIONS },
    }),
    {
      name: 'no-test-in-source',
      severity: 'error',
      comment: 'Shipped code and dev tools (functions, lib, dev, bin, scripts) never import test code.',
      from: { path: '^(functions|lib|dev|bin|scripts)/' },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves (a typo or a missing package fails here, not at deploy).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: core ? ['^(cdk\\.out|\\.local|coverage|reports)/', COMPOSITION] : '^(cdk\\.out|\\.local|coverage|reports)/' },
    // Type-only imports count: a circle through types is still a circle between files.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.json'],
    },
  },
};
