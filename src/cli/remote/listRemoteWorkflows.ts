import type { WorkflowView } from '../backend/Backend.ts';
import { workflowFromApi, type ApiPage, type ApiWorkflowDetail, type ApiWorkflowSummary } from './fromApi.ts';
import { seg, type HttpClient } from './httpClient.ts';

/**
 * Every workflow of the server, by name (every page); with their declared inputs when asked, read
 * from each workflow's details (a few requests at a time: the summaries do not carry them).
 */
export async function listRemoteWorkflows(
  http: HttpClient,
  withInputs: boolean,
  signal?: AbortSignal,
): Promise<WorkflowView[]> {
  const all: ApiWorkflowSummary[] = [];
  let cursor: string | undefined;
  do {
    const { body } = await http.json<ApiPage<ApiWorkflowSummary>>('GET', '/workflows', {
      query: { limit: 500, cursor },
      signal,
    });
    all.push(...body.items);
    cursor = body.next_cursor ?? undefined;
  } while (cursor);
  all.sort((a, b) => a.name.localeCompare(b.name));
  const details = withInputs
    ? await mapLimit(all, 4, async (w) => {
        const res = await http.json<ApiWorkflowDetail>('GET', `/workflows/${seg(w.name)}`, { signal });
        return res.body;
      })
    : all.map(() => null);
  return all.map((w, i) => workflowFromApi(w, details[i] ?? null));
}

async function mapLimit<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}
