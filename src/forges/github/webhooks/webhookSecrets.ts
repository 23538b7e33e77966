/**
 * The secrets a webhook's signature may be made with, read at every delivery: during a rotation
 * the old and the new secret are both valid (later also the GitHub App's settings). An empty list
 * means the webhook is not enabled.
 */
export interface WebhookSecrets {
  secrets(): readonly string[];
}

/** Fixed secrets (the environment's); undefined and empty ones are left out. */
export function staticWebhookSecrets(...values: ReadonlyArray<string | undefined>): WebhookSecrets {
  const list = Object.freeze(values.filter((v): v is string => typeof v === 'string' && v !== ''));
  return { secrets: () => list };
}
