import { createRequire } from 'node:module';

/** One event's example payloads in `@octokit/webhooks-examples` (GitHub's real deliveries). */
export interface WebhookExampleSet {
  name: string;
  examples: Array<Record<string, unknown>>;
}

export const WEBHOOK_EXAMPLES = createRequire(import.meta.url)(
  '@octokit/webhooks-examples/api.github.com/index.json',
) as readonly WebhookExampleSet[];

/** A copy of the first example of `event` with that action (or that `pick` accepts). */
export function webhookExample(
  event: string,
  pick: string | ((e: Record<string, unknown>) => boolean) = () => true,
): Record<string, unknown> {
  const accept = typeof pick === 'string' ? (e: Record<string, unknown>) => e['action'] === pick : pick;
  const found = WEBHOOK_EXAMPLES.find((d) => d.name === event)?.examples.find(accept);
  if (!found) throw new Error(`no @octokit/webhooks-examples payload for ${event}`);
  return structuredClone(found);
}
