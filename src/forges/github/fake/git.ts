import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface GitIdentity {
  name: string;
  email: string;
  /** ISO date; now when absent */
  date?: string;
}

export interface GitRunOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
  /** exit codes that are not an error (default [0]) */
  ok?: number[];
  /** kill the child after this long (default 60s) */
  timeoutMs?: number;
  cwd?: string;
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The committer GitHub uses for merges it makes. */
export const GITHUB_COMMITTER: GitIdentity = { name: 'GitHub', email: 'noreply@github.com' };

/** An environment isolated from the machine's git config (no signing, no hooks paths, no credential helpers). */
export function isolatedGitEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C',
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    ...extra,
  };
}

const identityEnv = (author: GitIdentity, committer: GitIdentity): Record<string, string> => ({
  GIT_AUTHOR_NAME: author.name,
  GIT_AUTHOR_EMAIL: author.email,
  GIT_COMMITTER_NAME: committer.name,
  GIT_COMMITTER_EMAIL: committer.email,
  ...(author.date ? { GIT_AUTHOR_DATE: author.date } : {}),
  ...(committer.date ? { GIT_COMMITTER_DATE: committer.date } : {}),
});

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: Required<GitIdentity>;
  committer: Required<GitIdentity>;
  message: string;
}

export interface ChangedFile {
  filename: string;
  previousFilename?: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  additions: number;
  deletions: number;
  /** blob sha on the new side (null when removed) */
  sha: string | null;
  /** the unified diff from the first `@@` (absent for binary files) */
  patch?: string;
}

const STATUS: Record<string, ChangedFile['status']> = {
  A: 'added',
  D: 'removed',
  M: 'modified',
  R: 'renamed',
  C: 'copied',
  T: 'changed',
};

/** Runs git against bare repositories; every child is tracked so `killAll` can end them. */
export class GitRunner {
  readonly children = new Set<ChildProcess>();

  constructor(private readonly tmpRoot: string) {}

  run(gitDir: string | undefined, args: string[], o: GitRunOptions = {}): Promise<GitResult> {
    const full = gitDir === undefined ? args : [`--git-dir=${gitDir}`, ...args];
    return new Promise((resolve, reject) => {
      const child = spawn('git', full, {
        env: isolatedGitEnv(o.env),
        cwd: o.cwd ?? this.tmpRoot,
        stdio: ['pipe', 'pipe', 'pipe'],
        // bounded: a wedged git fails the request instead of hanging a test
        timeout: o.timeoutMs ?? 60_000,
        killSignal: 'SIGKILL',
      });
      this.children.add(child);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.stdin.on('error', () => undefined);
      child.on('error', (e) => {
        this.children.delete(child);
        reject(e);
      });
      child.on('close', (code) => {
        this.children.delete(child);
        const r = {
          code: code ?? -1,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        };
        if ((o.ok ?? [0]).includes(r.code)) resolve(r);
        else reject(new Error(`git ${full.join(' ')} exited ${r.code}: ${r.stderr.trim()}`));
      });
      child.stdin.end(o.input ?? '');
    });
  }

  async out(gitDir: string, args: string[], o: GitRunOptions = {}): Promise<string> {
    return (await this.run(gitDir, args, o)).stdout.trim();
  }

  killAll(): void {
    for (const c of this.children) c.kill('SIGKILL');
    this.children.clear();
  }

  async initBare(gitDir: string, defaultBranch: string): Promise<void> {
    await mkdir(gitDir, { recursive: true });
    await this.run(undefined, ['init', '--bare', '--quiet', `--initial-branch=${defaultBranch}`, gitDir]);
    await this.run(gitDir, ['config', 'http.receivepack', 'true']);
    await this.run(gitDir, ['config', 'uploadpack.allowReachableSHA1InWant', 'true']);
  }

  /** The full sha `ref` names, or undefined. */
  async resolve(gitDir: string, ref: string): Promise<string | undefined> {
    const r = await this.run(gitDir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
      ok: [0, 1, 128],
    });
    return r.code === 0 ? r.stdout.trim() : undefined;
  }

  async branchSha(gitDir: string, branch: string): Promise<string | undefined> {
    const r = await this.run(gitDir, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], {
      ok: [0, 1, 128],
    });
    return r.code === 0 ? r.stdout.trim() : undefined;
  }

  /** Every ref as [name, sha, object type]. */
  async refs(gitDir: string, prefix = 'refs/'): Promise<{ ref: string; sha: string; type: string }[]> {
    const text = await this.out(gitDir, [
      'for-each-ref',
      '--format=%(refname) %(objectname) %(objecttype)',
      prefix,
    ]);
    return text === ''
      ? []
      : text.split('\n').map((line) => {
          const [ref = '', sha = '', type = ''] = line.split(' ');
          return { ref, sha, type };
        });
  }

  /** Compare-and-swap a ref (`old` = '' to create; new = '' to delete). */
  async updateRef(gitDir: string, ref: string, sha: string, old?: string): Promise<boolean> {
    const args =
      sha === ''
        ? ['update-ref', '-d', ref, ...(old ? [old] : [])]
        : ['update-ref', ref, sha, ...(old !== undefined ? [old] : [])];
    const r = await this.run(gitDir, args, { ok: [0, 1, 128] });
    return r.code === 0;
  }

  async isAncestor(gitDir: string, ancestor: string, of: string): Promise<boolean> {
    const r = await this.run(gitDir, ['merge-base', '--is-ancestor', ancestor, of], { ok: [0, 1] });
    return r.code === 0;
  }

  async mergeBase(gitDir: string, a: string, b: string): Promise<string | undefined> {
    const r = await this.run(gitDir, ['merge-base', a, b], { ok: [0, 1] });
    return r.code === 0 ? r.stdout.trim() : undefined;
  }

  /** A real three-way merge without a worktree: the merged tree, or conflicts. */
  async mergeTree(gitDir: string, base: string, head: string): Promise<{ clean: boolean; tree: string }> {
    const r = await this.run(
      gitDir,
      ['merge-tree', '--write-tree', '--no-messages', '--name-only', base, head],
      {
        ok: [0, 1],
      },
    );
    return { clean: r.code === 0, tree: r.stdout.split('\n')[0] ?? '' };
  }

  async commitTree(
    gitDir: string,
    tree: string,
    parents: string[],
    message: string,
    author: GitIdentity,
    committer: GitIdentity = GITHUB_COMMITTER,
  ): Promise<string> {
    return this.out(gitDir, ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-F', '-'], {
      input: message,
      env: identityEnv(author, committer),
    });
  }

  /** Commits `files` (path → content, null deletes) on top of `parent` (or as a root commit); returns the sha. */
  async writeCommit(
    gitDir: string,
    parent: string | undefined,
    files: Record<string, string | Buffer | null>,
    message: string,
    author: GitIdentity,
    committer: GitIdentity = author,
  ): Promise<string> {
    const indexDir = join(this.tmpRoot, 'index');
    await mkdir(indexDir, { recursive: true });
    const env = { GIT_INDEX_FILE: join(indexDir, randomUUID()) };
    try {
      if (parent) await this.run(gitDir, ['read-tree', parent], { env });
      const lines: string[] = [];
      for (const [path, content] of Object.entries(files)) {
        if (content === null) {
          lines.push(`0 ${'0'.repeat(40)}\t${path}`);
          continue;
        }
        const blob = await this.out(gitDir, ['hash-object', '-w', '--stdin'], { input: content });
        lines.push(`100644 ${blob}\t${path}`);
      }
      await this.run(gitDir, ['update-index', '--index-info'], { env, input: lines.join('\n') + '\n' });
      const tree = await this.out(gitDir, ['write-tree'], { env });
      return await this.commitTree(gitDir, tree, parent ? [parent] : [], message, author, committer);
    } finally {
      await rm(env.GIT_INDEX_FILE, { force: true });
    }
  }

  /** Replays `base..head` (non-merge commits) onto `onto` in a throwaway worktree; undefined on a conflict. */
  async rebase(gitDir: string, onto: string, base: string, head: string): Promise<string | undefined> {
    const commits = (await this.out(gitDir, ['rev-list', '--reverse', '--no-merges', `${base}..${head}`]))
      .split('\n')
      .filter((s) => s !== '');
    if (commits.length === 0) return onto;
    const wt = join(this.tmpRoot, 'worktrees', randomUUID());
    await mkdir(join(this.tmpRoot, 'worktrees'), { recursive: true });
    await this.run(gitDir, ['worktree', 'add', '--detach', '--quiet', wt, onto]);
    try {
      const picked = await this.run(
        undefined,
        ['cherry-pick', '--allow-empty', '--keep-redundant-commits', ...commits],
        {
          cwd: wt,
          ok: [0, 1],
          env: { GIT_COMMITTER_NAME: GITHUB_COMMITTER.name, GIT_COMMITTER_EMAIL: GITHUB_COMMITTER.email },
        },
      );
      if (picked.code !== 0) {
        await this.run(undefined, ['cherry-pick', '--abort'], { cwd: wt, ok: [0, 128] });
        return undefined;
      }
      return (await this.run(undefined, ['rev-parse', 'HEAD'], { cwd: wt })).stdout.trim();
    } finally {
      await this.run(gitDir, ['worktree', 'remove', '--force', wt], { ok: [0, 128] });
      await this.run(gitDir, ['worktree', 'prune'], { ok: [0, 128] });
    }
  }

  async commit(gitDir: string, sha: string): Promise<CommitInfo> {
    const fmt = ['%H', '%T', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%B'].join('%x00');
    const text = await this.out(gitDir, ['show', '-s', `--format=${fmt}`, sha]);
    const [h = '', t = '', p = '', an = '', ae = '', ad = '', cn = '', ce = '', cd = '', ...msg] =
      text.split('\0');
    return {
      sha: h,
      tree: t,
      parents: p === '' ? [] : p.split(' '),
      author: { name: an, email: ae, date: ad },
      committer: { name: cn, email: ce, date: cd },
      message: msg.join('\0').trim(),
    };
  }

  /** Paths a commit added, modified and removed (against its first parent). */
  async commitPaths(
    gitDir: string,
    sha: string,
  ): Promise<{ added: string[]; modified: string[]; removed: string[] }> {
    const text = await this.out(gitDir, [
      'diff-tree',
      '--no-commit-id',
      '--name-status',
      '-r',
      '--root',
      '-z',
      sha,
    ]);
    const parts = text.split('\0');
    const out = { added: [] as string[], modified: [] as string[], removed: [] as string[] };
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const st = parts[i] ?? '';
      const path = parts[i + 1] ?? '';
      if (st === 'A') out.added.push(path);
      else if (st === 'D') out.removed.push(path);
      else if (st !== '') out.modified.push(path);
    }
    return out;
  }

  /** Commits in `from..to`, oldest first. */
  async commitsBetween(gitDir: string, from: string | undefined, to: string): Promise<string[]> {
    const range = from ? [`${from}..${to}`] : [to];
    const text = await this.out(gitDir, ['rev-list', '--reverse', ...range]);
    return text === '' ? [] : text.split('\n');
  }

  /** What changed from `from` to `to` (GitHub's three-dot diff when `from` is the merge base). */
  async diff(gitDir: string, from: string, to: string, withPatches = true): Promise<ChangedFile[]> {
    const raw = (await this.out(gitDir, ['diff', '--raw', '-M', '-z', '--no-abbrev', from, to])).split('\0');
    const numstat = (await this.out(gitDir, ['diff', '--numstat', '-M', '-z', from, to])).split('\0');
    const files: ChangedFile[] = [];
    for (let i = 0; i < raw.length;) {
      const meta = raw[i++] ?? '';
      if (!meta.startsWith(':')) continue;
      const [, , , newSha = '', st = ''] = meta.slice(1).split(' ');
      const code = st.charAt(0);
      const first = raw[i++] ?? '';
      const renamed = code === 'R' || code === 'C';
      const second = renamed ? (raw[i++] ?? '') : undefined;
      files.push({
        filename: second ?? first,
        ...(renamed ? { previousFilename: first } : {}),
        status: STATUS[code] ?? 'modified',
        additions: 0,
        deletions: 0,
        sha: code === 'D' ? null : newSha,
      });
    }
    // numstat -z: "add\tdel\tpath\0" or "add\tdel\t\0old\0new\0" for renames
    let f = 0;
    for (let i = 0; i < numstat.length && f < files.length;) {
      const entry = numstat[i++] ?? '';
      if (entry === '') continue;
      const [add = '0', del = '0', path = ''] = entry.split('\t');
      if (path === '') i += 2;
      const file = files[f++];
      if (!file) break;
      file.additions = add === '-' ? 0 : Number(add);
      file.deletions = del === '-' ? 0 : Number(del);
      if (withPatches && add !== '-') {
        const pathArgs = file.previousFilename ? [file.previousFilename, file.filename] : [file.filename];
        const patch = await this.out(gitDir, ['diff', '-M', from, to, '--', ...pathArgs]);
        const at = patch.indexOf('\n@@');
        if (at >= 0) file.patch = patch.slice(at + 1);
      }
    }
    return files;
  }
}
