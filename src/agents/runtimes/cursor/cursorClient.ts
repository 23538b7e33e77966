import { callJson } from '../../run/http/callJson.ts';
import type { CursorAgent, CursorConversation } from './cursorTypes.ts';

export const CURSOR_BASE_URL = 'https://api.cursor.com';

/** The Cursor cloud agents v0 calls Baton makes (Basic auth, the key as user); each takes a signal. */
export class CursorClient {
  private readonly headers: Record<string, string>;

  constructor(
    private readonly baseUrl: string,
    apiKey: string,
    extraHeaders: Record<string, string> = {},
  ) {
    this.headers = {
      authorization: `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`,
      ...extraHeaders,
    };
  }

  launch(body: Record<string, unknown>, signal: AbortSignal): Promise<CursorAgent> {
    return this.call('POST', '/v0/agents', signal, body) as Promise<CursorAgent>;
  }

  get(id: string, signal: AbortSignal): Promise<CursorAgent> {
    return this.call('GET', `/v0/agents/${encodeURIComponent(id)}`, signal) as Promise<CursorAgent>;
  }

  conversation(id: string, signal: AbortSignal): Promise<CursorConversation> {
    return this.call(
      'GET',
      `/v0/agents/${encodeURIComponent(id)}/conversation`,
      signal,
    ) as Promise<CursorConversation>;
  }

  async followup(id: string, text: string, signal: AbortSignal): Promise<void> {
    await this.call('POST', `/v0/agents/${encodeURIComponent(id)}/followup`, signal, { prompt: { text } });
  }

  async stop(id: string, signal: AbortSignal): Promise<void> {
    await this.call('POST', `/v0/agents/${encodeURIComponent(id)}/stop`, signal, {});
  }

  async delete(id: string, signal: AbortSignal): Promise<void> {
    await this.call('DELETE', `/v0/agents/${encodeURIComponent(id)}`, signal);
  }

  private call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    signal: AbortSignal,
    body?: unknown,
  ): Promise<unknown> {
    return callJson({
      api: 'Cursor',
      method,
      url: `${this.baseUrl.replace(/\/$/, '')}${path}`,
      headers: this.headers,
      ...(body === undefined ? {} : { body }),
      signal,
    });
  }
}
