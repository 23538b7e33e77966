import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountsStore } from '../../accounts/accountsStore.ts';
import type { GithubConfig } from '../../config/configSchema.ts';
import { BatonError } from '../../domain/errors.ts';
import {
  appRepositories,
  getInstallation,
  installationRepositories,
  type GithubRepoSummary,
} from '../../forges/github/githubInstallations.ts';
import type { RouteDeps } from '../apiDeps.ts';
import { problemResponses } from '../app/problem.ts';
import { access, fieldOf } from '../auth/accessRule.ts';
import { workspaceIdSchema } from '../schemas/accounts.ts';
import { fromWorkspaceParam } from './accounts/workspaceRoutes.ts';

const NOT_AN_APP_HINT =
  'configure Baton as a GitHub App: set BATON_GITHUB_APP_ID and BATON_GITHUB_APP_PRIVATE_KEY (or …_FILE)';

const repoOut = z.object({
  full_name: z.string(),
  private: z.boolean(),
  default_branch: z.string(),
  installation_id: z.number().int(),
  registered: z.boolean().describe('whether this workspace already registered the repository'),
});

const callbackInput = z.object({
  installation_id: z.coerce.number().int().positive().optional(),
  setup_action: z.string().max(40).optional().describe("GitHub's: install, update or request"),
  workspace: workspaceIdSchema.optional().describe("default: the token's workspace"),
});

type AppConfig = Readonly<GithubConfig> & { auth: { kind: 'app' } };
const appConfigOf = (c: Readonly<GithubConfig> | undefined): AppConfig | undefined =>
  c?.auth.kind === 'app' ? (c as AppConfig) : undefined;

/** The repositories with `registered` set for the ones `workspace` already has (names compared case-insensitively). */
async function markRegistered(
  accounts: AccountsStore,
  workspace: string,
  repos: GithubRepoSummary[],
): Promise<Array<z.infer<typeof repoOut>>> {
  const known = new Set(
    (await accounts.listRepositories({ workspaceId: workspace, limit: 10_000 })).map((r) =>
      r.name.toLowerCase(),
    ),
  );
  return repos.map((r) => ({
    full_name: r.fullName,
    private: r.private,
    default_branch: r.defaultBranch,
    installation_id: r.installationId,
    registered: known.has(r.fullName.toLowerCase()),
  }));
}

/**
 * `POST /auth/github-app/callback` (at the root): where the GitHub App's setup URL lands after an
 * installation. The installation is verified with the App's JWT and its repositories listed, each
 * marked when the workspace already registered it.
 */
export async function githubAppCallbackRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/auth/github-app/callback',
    {
      config: {
        access: access.workspace(
          'workspace.write',
          (req) => fieldOf(req.body, 'workspace') ?? fieldOf(req.query, 'workspace'),
        ),
      },
      schema: {
        tags: ['projects'],
        summary: "The GitHub App's setup callback: verifies an installation and lists its repositories",
        description:
          'Takes `installation_id`, `setup_action` and `workspace` from the JSON body or the query string ' +
          "(GitHub's setup URL). Answers `configured: false` with a hint when Baton is not a GitHub App.",
        querystring: callbackInput,
        body: callbackInput.nullish(),
        response: {
          200: z.object({
            configured: z.boolean(),
            hint: z.string().optional(),
            installation: z
              .object({
                id: z.number().int(),
                account: z.string().nullable(),
                repository_selection: z.enum(['all', 'selected']),
              })
              .optional(),
            repositories: z.array(repoOut).optional(),
            truncated: z.boolean().optional(),
          }),
          ...problemResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (req) => {
      const id = req.body?.installation_id ?? req.query.installation_id;
      const setup = req.body?.setup_action ?? req.query.setup_action;
      if (id === undefined)
        throw new BatonError('invalid_input', 'installation_id is required', {
          field: 'installation_id',
          hint:
            setup === 'request'
              ? 'an organization owner must approve the installation request first'
              : 'pass the installation_id GitHub redirected to the setup URL with',
        });
      const github = appConfigOf(deps.config.github);
      if (!github) return { configured: false, hint: NOT_AN_APP_HINT };
      const signal = AbortSignal.any([deps.shutdown, AbortSignal.timeout(60_000)]);
      const installation = await getInstallation(github, id, signal);
      const { repos, truncated } = await installationRepositories(github, id, signal);
      return {
        configured: true,
        installation: {
          id: installation.id,
          account: installation.account,
          repository_selection: installation.repositorySelection,
        },
        repositories: await markRegistered(deps.accounts, req.batonAuth.workspace!, repos),
        truncated,
      };
    },
  );
}

/** `GET /workspaces/{workspace}/github/repos`: what the configured GitHub App installations can reach. */
export async function githubRepoRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/workspaces/:workspace/github/repos',
    {
      config: { access: access.workspace('repositories.read', fromWorkspaceParam) },
      schema: {
        tags: ['projects'],
        summary: "The GitHub repositories the App's installations can reach, marked when registered here",
        params: z.object({ workspace: workspaceIdSchema }),
        response: {
          200: z.object({
            configured: z.boolean(),
            mode: z.enum(['app', 'token']).optional(),
            items: z.array(repoOut),
            truncated: z.boolean().optional(),
            hint: z.string().optional(),
          }),
          ...problemResponses(400, 401, 403, 409),
        },
      },
    },
    async (req) => {
      const github = deps.config.github;
      if (!github)
        return {
          configured: false,
          items: [],
          hint: `GitHub is not configured: ${NOT_AN_APP_HINT}, or BATON_GITHUB_TOKEN`,
        };
      const appConfig = appConfigOf(github);
      if (!appConfig)
        return {
          configured: true,
          mode: 'token' as const,
          items: [],
          hint: 'Baton signs in to GitHub with a token: register repositories by name (POST …/repositories); a GitHub App lists what it can reach',
        };
      const signal = AbortSignal.any([deps.shutdown, AbortSignal.timeout(60_000)]);
      const { repos, truncated } = await appRepositories(appConfig, signal);
      return {
        configured: true,
        mode: 'app' as const,
        items: await markRegistered(deps.accounts, req.params.workspace, repos),
        truncated,
      };
    },
  );
}
