import { callJson } from '../../run/http/callJson.ts';
import type { JulesActivity, JulesActivityPage, JulesSession } from './julesTypes.ts';

export const JULES_BASE_URL = 'https://jules.googleapis.com/v1alpha';

/** The few Jules v1alpha calls Baton makes (`X-Goog-Api-Key`); each takes the run's signal. */
export class JulesClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  createSession(body: Record<string, unknown>, signal: AbortSignal): Promise<JulesSession> {
    return this.call('POST', '/sessions', signal, body) as Promise<JulesSession>;
  }

  getSession(id: string, signal: AbortSignal): Promise<JulesSession> {
    return this.call('GET', `/sessions/${encodeURIComponent(id)}`, signal) as Promise<JulesSession>;
  }

  async approvePlan(id: string, signal: AbortSignal): Promise<void> {
    await this.call('POST', `/sessions/${encodeURIComponent(id)}:approvePlan`, signal, {});
  }

  async sendMessage(id: string, prompt: string, signal: AbortSignal): Promise<void> {
    await this.call('POST', `/sessions/${encodeURIComponent(id)}:sendMessage`, signal, { prompt });
  }

  /** Every activity of the session, following `nextPageToken` to the end. */
  async listActivities(id: string, signal: AbortSignal, pageSize = 50): Promise<JulesActivity[]> {
    const all: JulesActivity[] = [];
    let token: string | undefined;
    do {
      const q = new URLSearchParams({ pageSize: String(pageSize), ...(token ? { pageToken: token } : {}) });
      const page = (await this.call(
        'GET',
        `/sessions/${encodeURIComponent(id)}/activities?${q.toString()}`,
        signal,
      )) as JulesActivityPage;
      all.push(...(page.activities ?? []));
      token = page.nextPageToken || undefined;
    } while (token !== undefined);
    return all;
  }

  private call(method: 'GET' | 'POST', path: string, signal: AbortSignal, body?: unknown): Promise<unknown> {
    return callJson({
      api: 'Jules',
      method,
      url: `${this.baseUrl.replace(/\/$/, '')}${path}`,
      headers: { 'X-Goog-Api-Key': this.apiKey, ...this.extraHeaders },
      ...(body === undefined ? {} : { body }),
      signal,
    });
  }
}
