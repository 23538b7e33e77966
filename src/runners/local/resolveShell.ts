import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';

export type ShellKind = 'bash' | 'sh' | 'python' | 'node';

/** How to run a command: the executable, the arguments, and whether the command goes to a script file. */
export interface ShellInvocation {
  /** the name asked for (or the default picked) */
  name: string;
  kind: ShellKind;
  /** absolute path of the interpreter */
  file: string;
  /** script-file extension when the command must be written to a file (python, node) */
  scriptExt: string | null;
  args(commandOrScript: string): string[];
}

const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

const KINDS = new Map<string, ShellKind>([
  ['bash', 'bash'],
  ['sh', 'sh'],
  ['python3', 'python'],
  ['python', 'python'],
  ['node', 'node'],
]);

export type ResolveShellResult = { ok: true; shell: ShellInvocation } | { ok: false; message: string };

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function which(name: string, pathEnv: string): Promise<string | null> {
  if (name.includes('/')) return (await isExecutable(name)) ? name : null;
  for (const dir of pathEnv.split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const file = join(dir, name);
    if (await isExecutable(file)) return file;
  }
  return null;
}

function invocation(name: string, kind: ShellKind, file: string): ShellInvocation {
  switch (kind) {
    case 'bash':
      // GitHub Actions' bash: no profile/rc files, fail fast, fail on a failing pipe stage.
      return {
        name,
        kind,
        file,
        scriptExt: null,
        args: (c) => ['--noprofile', '--norc', '-eo', 'pipefail', '-c', c],
      };
    case 'sh':
      return { name, kind, file, scriptExt: null, args: (c) => ['-e', '-c', c] };
    case 'python':
      return { name, kind, file, scriptExt: '.py', args: (script) => [script] };
    case 'node':
      return { name, kind, file, scriptExt: '.js', args: (script) => [script] };
  }
}

/**
 * Find the interpreter for `shell` (`bash`, `sh`, `python3`, `python`, `node`, or an absolute
 * path whose basename is one of those). The default is bash when present, else sh. The search
 * uses the step's PATH, else the runner's PATH, else a standard PATH.
 */
export async function resolveShell(
  shell: string | undefined,
  pathEnv: string | undefined,
): Promise<ResolveShellResult> {
  const searchPath = pathEnv ?? process.env.PATH ?? DEFAULT_PATH;
  if (shell === undefined || shell === '') {
    const bash = await which('bash', searchPath);
    if (bash) return { ok: true, shell: invocation('bash', 'bash', bash) };
    const sh = (await which('sh', searchPath)) ?? ((await isExecutable('/bin/sh')) ? '/bin/sh' : null);
    if (sh) return { ok: true, shell: invocation('sh', 'sh', sh) };
    return { ok: false, message: `no shell found: neither bash nor sh is on PATH (${searchPath})` };
  }
  const base = shell.slice(shell.lastIndexOf('/') + 1);
  const kind = KINDS.get(base);
  if (kind === undefined) {
    return {
      ok: false,
      message: `unsupported shell "${shell}" (supported: bash, sh, python3, python, node)`,
    };
  }
  if (shell.includes('/') && !isAbsolute(shell)) {
    return { ok: false, message: `shell path "${shell}" must be absolute` };
  }
  const file = await which(shell, searchPath);
  if (file === null) {
    return {
      ok: false,
      message: shell.includes('/')
        ? `shell "${shell}" does not exist or is not executable`
        : `shell "${shell}" not found on PATH (${searchPath})`,
    };
  }
  return { ok: true, shell: invocation(shell, kind, file) };
}
