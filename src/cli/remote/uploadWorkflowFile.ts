import { extname } from 'node:path';
import { BatonError, isBatonError } from '../../domain/errors.ts';
import { loadWorkflowArgFile } from '../loadWorkflowArgFile.ts';
import type { ApiWorkflowDetail } from './fromApi.ts';
import { seg, type HttpClient } from './httpClient.ts';

export interface UploadedWorkflow {
  name: string;
  warnings: string[];
  note: string;
}

/**
 * `baton run ./flow.yaml` against a server: the file is validated here (problems by file:line:column,
 * as in local mode), then stored on the server (`PUT /workflows/{name}`, origin `api`) so it can run.
 */
export async function uploadWorkflowFile(
  http: HttpClient,
  arg: string,
  cwd: string,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<UploadedWorkflow> {
  const { path, loaded, warnings } = loadWorkflowArgFile(arg, cwd);
  const name = loaded.workflow.name;
  let res: { status: number; body: ApiWorkflowDetail };
  try {
    res = await http.json<ApiWorkflowDetail>('PUT', `/workflows/${seg(name)}`, {
      body: { source: loaded.source, format: extname(path).toLowerCase() === '.json' ? 'json' : 'yaml' },
      headers,
      signal,
    });
  } catch (e) {
    if (isBatonError(e, 'not_found')) {
      throw new BatonError(
        'not_found',
        `Baton at ${http.server} cannot store workflow files (${e.message})`,
        {
          field: 'workflow',
          hint: `register ${name} on the server, then run \`baton run ${name}\``,
        },
      );
    }
    throw e;
  }
  const what = res.status === 201 ? 'stored' : 'updated';
  return {
    name,
    warnings,
    note: `${what} ${arg} on ${http.server} as workflow ${name} v${res.body.version} (its steps run in the server's directory)`,
  };
}
