import { resolve } from 'node:path';
import type { Command } from 'commander';
import { isBatonError } from '../../domain/errors.ts';
import { formatWorkflowIssue, type WorkflowIssue } from '../../domain/workflow/formatWorkflowIssue.ts';
import type { LoadResult } from '../../workflows/loadWorkflowFile.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exitCodes.ts';

interface FileReport {
  file: string;
  ok: boolean;
  workflow?: string;
  steps?: number;
  errors: WorkflowIssue[];
  warnings: WorkflowIssue[];
}

export function registerValidateCommand(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('check workflow files (YAML or JSON); exit 1 when one is invalid')
    .argument('<file...>', 'workflow files')
    .action(async (files: string[]) => {
      const { loadWorkflowFile } = await import('../../workflows/loadWorkflowFile.ts');
      const reports = files.map((file) => validateFile(loadWorkflowFile, file, ctx.io.cwd));
      if (ctx.globals.json) {
        ctx.json({ ok: reports.every((r) => r.ok), files: reports });
      } else {
        for (const r of reports) {
          if (r.ok)
            ctx.print(
              `${r.file}: ok (${r.workflow ?? '?'}, ${r.steps ?? 0} step${r.steps === 1 ? '' : 's'})`,
            );
          for (const w of r.warnings) ctx.note(`warning: ${formatWorkflowIssue(w)}`);
          for (const e of r.errors) ctx.print(formatWorkflowIssue(e));
        }
      }
      ctx.exitCode = reports.every((r) => r.ok) ? EXIT.ok : EXIT.failed;
    });
}

function validateFile(loadWorkflowFile: (path: string) => LoadResult, file: string, cwd: string): FileReport {
  const path = resolve(cwd, file);
  // issues name the file as it was given
  const shown = (i: WorkflowIssue): WorkflowIssue => (i.file === path ? { ...i, file } : i);
  try {
    const r = loadWorkflowFile(path);
    if (!r.ok) return { file, ok: false, errors: r.errors.map(shown), warnings: [] };
    return {
      file,
      ok: true,
      workflow: r.workflow.name,
      steps: r.workflow.steps.length,
      errors: [],
      warnings: r.warnings.map(shown),
    };
  } catch (e) {
    if (!isBatonError(e)) throw e;
    return {
      file,
      ok: false,
      errors: [{ file, path: '', message: e.message.split(`${path}: `).join('') }],
      warnings: [],
    };
  }
}
