import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  /** the raw body, as signed */
  body: string;
  event: string;
  payload: unknown;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:PORT/hooks` */
  url: string;
  received: ReceivedHook[];
  /** the HTTP status the receiver answers (default 200) */
  status: number;
  close(): Promise<void>;
}

/** A webhook endpoint on 127.0.0.1 that records what the fake delivers. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedHook[] = [];
  const self = { status: 200 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let payload: unknown;
      try {
        payload = JSON.parse(body) as unknown;
      } catch {
        payload = undefined;
      }
      const event = req.headers['x-github-event'];
      received.push({ headers: req.headers, body, event: typeof event === 'string' ? event : '', payload });
      res.writeHead(self.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    get status() {
      return self.status;
    },
    set status(v: number) {
      self.status = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
