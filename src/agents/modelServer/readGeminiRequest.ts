import { findWorkingDirectory } from './findWorkingDirectory.ts';
import {
  afterLastModelTurn,
  arrayField,
  conversationKey,
  countModelTurns,
  isRecord,
  type ModelRequest,
  stringField,
  textOf,
  type ToolResult,
} from './ModelRequest.ts';

const isModel = (c: unknown) => isRecord(c) && c.role === 'model';

function userText(c: unknown): string {
  if (!isRecord(c) || c.role === 'model') return '';
  return textOf(arrayField(c, 'parts').filter((p) => isRecord(p) && p.thought !== true));
}

function outputOf(response: unknown): string {
  if (isRecord(response) && typeof response.output === 'string') return response.output;
  return JSON.stringify(response ?? null);
}

function toolResults(contents: unknown[]): ToolResult[] {
  const out: ToolResult[] = [];
  for (const c of afterLastModelTurn(contents, isModel))
    for (const p of isRecord(c) ? arrayField(c, 'parts') : [])
      if (isRecord(p) && isRecord(p.functionResponse)) {
        const r = p.functionResponse;
        out.push({
          callId: stringField(r, 'id'),
          name: stringField(r, 'name'),
          output: outputOf(r.response),
          isError: isRecord(r.response) && r.response.error !== undefined,
        });
      }
  return out;
}

/** Reads a Gemini `generateContent` body; the model comes from the URL. */
export function readGeminiRequest(
  body: Record<string, unknown>,
  model: string,
  stream: boolean,
): ModelRequest {
  const contents = arrayField(body, 'contents');
  const texts = contents.map(userText).filter((t) => t !== '');
  const system = isRecord(body.systemInstruction) ? textOf(body.systemInstruction.parts) : '';
  return {
    api: 'gemini',
    model,
    stream,
    userText: texts.join('\n'),
    cwd: findWorkingDirectory(...texts, system),
    modelTurns: countModelTurns(contents, isModel),
    toolResults: toolResults(contents),
    tools: arrayField(body, 'tools').flatMap((t) =>
      isRecord(t)
        ? arrayField(t, 'functionDeclarations')
            .map((f) => (isRecord(f) ? stringField(f, 'name') : undefined))
            .filter((n) => n !== undefined)
        : [],
    ),
    conversation: conversationKey(texts[0] ?? ''),
  };
}
