import type { AccountsStore } from '../accounts/accountsStore.ts';
import type { Authenticator } from '../accounts/authenticator.ts';
import type { CursorWebhookHub } from '../agents/runtimes/cursor/CursorWebhookHub.ts';
import type { Config } from '../config/configSchema.ts';
import type { Engine } from '../engine/engine.ts';
import type { Logger } from '../engine/engineDeps.ts';
import type { Store } from '../engine/ports/store.ts';
import type { WebhookSecrets } from '../forges/github/webhooks/webhookSecrets.ts';

/** What every route plugin of the HTTP API receives (passed in by the app factory; no container). */
export interface ApiDeps {
  engine: Engine;
  store: Store;
  config: Readonly<Config>;
  logger: Logger;
  /** aborted when the server shuts down: long-lived responses (streams, follows) end with it */
  shutdown: AbortSignal;
  /** accounts and access (default: the app opens its own connection from `config`) */
  accounts?: AccountsStore;
  authenticator?: Authenticator;
  /** Cursor agents' signed status webhooks (`/webhooks/cursor`); absent: the route answers 404 */
  cursorWebhook?: CursorWebhookHub;
  /** secrets of `POST /webhooks/github` (default: `BATON_GITHUB_WEBHOOK_SECRET`); none: 404 */
  githubWebhookSecrets?: WebhookSecrets;
  /** secrets of `POST /webhooks/security` (default: `BATON_SECURITY_WEBHOOK_SECRET`); none: 404 */
  securityWebhookSecrets?: WebhookSecrets;
}

/** What route plugins receive: the deps with accounts and access filled in by the app. */
export type RouteDeps = ApiDeps & { accounts: AccountsStore; authenticator: Authenticator };
