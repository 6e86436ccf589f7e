/**
 * Stand-in for `@aws-sdk/credential-provider-node` in Lambda bundles only (an esbuild alias in
 * lib/bundling.ts). Lambda always hands the function its role's credentials in environment
 * variables, the first link of the SDK's default chain; the rest of the chain (SSO, STS web
 * identity, INI files, IMDS, its nested STS/SSO clients) is ~90 KB a function never uses.
 * Local runs and tests are not bundled and keep the full chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
