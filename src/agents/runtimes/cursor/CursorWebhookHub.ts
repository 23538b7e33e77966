import type { CursorWebhookWait } from '../../run/HttpAgentRuntime.ts';
import { CURSOR_TERMINAL, type CursorAgentStatus, type CursorWebhookPayload } from './cursorTypes.ts';
import { verifyCursorWebhook } from './verifyCursorWebhook.ts';

export type WebhookDelivery =
  | { ok: true; agentId: string; status: CursorAgentStatus }
  | { ok: false; httpStatus: 400 | 401; reason: string };

/**
 * Joins Cursor's `statusChange` webhooks to the runs waiting for them: the server's route hands each
 * delivery (raw body + signature header) to `deliver`; a run waits with `wait(agentId)`. A terminal
 * status that arrives before anyone waits is kept.
 */
export class CursorWebhookHub implements CursorWebhookWait {
  private readonly waiting = new Map<string, (status: string) => void>();
  private readonly arrived = new Map<string, CursorAgentStatus>();

  constructor(
    readonly url: string,
    readonly secret: string,
  ) {}

  deliver(rawBody: string | Buffer, signature: string | string[] | undefined): WebhookDelivery {
    const check = verifyCursorWebhook(rawBody, signature, this.secret);
    if (!check.ok) return { ok: false, httpStatus: 401, reason: check.reason };
    let payload: Partial<CursorWebhookPayload>;
    try {
      payload = JSON.parse(rawBody.toString()) as Partial<CursorWebhookPayload>;
    } catch {
      return { ok: false, httpStatus: 400, reason: 'the webhook body is not JSON' };
    }
    const { id, status } = payload;
    if (typeof id !== 'string' || typeof status !== 'string') {
      return { ok: false, httpStatus: 400, reason: 'the webhook body has no agent id or status' };
    }
    if (CURSOR_TERMINAL.includes(status)) {
      const waiter = this.waiting.get(id);
      if (waiter) waiter(status);
      else this.arrived.set(id, status);
    }
    return { ok: true, agentId: id, status };
  }

  wait(agentId: string, signal: AbortSignal): Promise<string> {
    const early = this.arrived.get(agentId);
    if (early !== undefined) {
      this.arrived.delete(agentId);
      return Promise.resolve(early);
    }
    return new Promise<string>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiting.delete(agentId);
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      this.waiting.set(agentId, (status) => {
        this.waiting.delete(agentId);
        signal.removeEventListener('abort', onAbort);
        resolve(status);
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
