import { generateKeyPairSync } from 'node:crypto';
import { startFakeGithub, type FakeGithub } from '../../src/forges/github/fake/fakeGithub.ts';
import {
  createGithubForge,
  type GithubForge,
  type GithubForgeOptions,
} from '../../src/forges/github/githubForge.ts';

export const APP_ID = 4242;

/** An RSA private key in PKCS#1 PEM, as GitHub hands them out. */
export function appPrivateKey(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs1', format: 'pem' })
    .toString();
}

export interface GithubFixture {
  gh: FakeGithub;
  privateKey: string;
  /** a forge acting as the App installed on `acme` */
  forge(o?: Partial<GithubForgeOptions>): GithubForge;
  /** requests made so far matching method and path */
  count(method: string, path: RegExp): number;
}

/** The fake GitHub with an App installed on `acme` and the repository `acme/app` (main: README). */
export async function githubFixture(o: { tokenTtlSec?: number } = {}): Promise<GithubFixture> {
  const gh = await startFakeGithub();
  const privateKey = appPrivateKey();
  gh.registerApp({
    appId: APP_ID,
    privateKeyPem: privateKey,
    slug: 'baton',
    ...(o.tokenTtlSec ? { tokenTtlSec: o.tokenTtlSec } : {}),
  });
  gh.installApp(APP_ID, { account: 'acme', accountType: 'Organization' });
  await gh.createRepo('acme', 'app', { files: { 'README.md': '# app\n' } });
  return {
    gh,
    privateKey,
    forge: (f = {}) =>
      createGithubForge({
        apiUrl: gh.url,
        gitUrl: gh.url,
        auth: { kind: 'app', appId: APP_ID, privateKey },
        pacing: false,
        retryBaseMs: 20,
        mergeabilityPollMs: 50,
        ...f,
      }),
    count: (method, path) => gh.calls.filter((c) => c.method === method && path.test(c.path)).length,
  };
}
