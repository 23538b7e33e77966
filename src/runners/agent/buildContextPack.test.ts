import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildContextPack,
  unsafePatternReason,
  utf8Boundary,
  type BuildContextPackInput,
  type RecentRuns,
  type RecentRunsQuery,
  type RecentRunSummary,
} from './buildContextPack.ts';

let base: string;
let repo: string;
let outside: string;
const never = new AbortController().signal;

function write(rel: string, content: string | Buffer): void {
  const p = join(repo, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
}

function build(packs: BuildContextPackInput['packs'], extra: Partial<BuildContextPackInput> = {}) {
  return buildContextPack({ packs, cwd: repo, runId: 'run-1', ...extra }, never);
}

/** `### heading` lines of the text */
function headings(text: string): string[] {
  return [...text.matchAll(/^### (.*)$/gm)].map((m) => m[1] ?? '');
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'baton-ctx-'));
  repo = join(base, 'repo');
  outside = join(base, 'outside');
  mkdirSync(repo);
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'TOP SECRET\n');
  write('README.md', '# Demo\n');
  write('src/b.ts', 'export const b = 2;\n');
  write('src/a.ts', 'export const a = 1;\n');
  write('src/nested/c.ts', 'export const c = 3;\n');
  write('src/notes.txt', 'plain text\n');
  write('docs/adr/0002-use-postgres.md', '# 2. Use PostgreSQL\n\nAccepted.\n');
  write('docs/adr/0001-record-decisions.md', '# 1. Record decisions\n');
  write(
    'assets/logo.png',
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
  );
  write('big.txt', 'x'.repeat(5000));
  write('fences.md', 'before\n```js\ncode\n```\nafter\n');
  write('.env', 'TOKEN=abc\n');
  write('.git/config', '[remote "origin"]\n  url = https://token@example.com/x.git\n');
  write('node_modules/dep/index.ts', 'export {};\n');
  symlinkSync(join(outside, 'secret.txt'), join(repo, 'leak.txt'));
  symlinkSync(outside, join(repo, 'outdir'));
  symlinkSync(join(repo, 'src/a.ts'), join(repo, 'alias.ts'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('buildContextPack: files', () => {
  it('is empty without packs', async () => {
    expect(await build([])).toBe('');
  });

  it('puts each file under its path in a fenced block, sorted per pattern, in pack order, each once', async () => {
    const text = await build([{ files: ['README.md', 'src/**/*.ts'] }, { files: ['src/a.ts', 'src/*.txt'] }]);
    expect(headings(text)).toEqual(['README.md', 'src/a.ts', 'src/b.ts', 'src/nested/c.ts', 'src/notes.txt']);
    expect(text).toContain('### src/a.ts\n\n```ts\nexport const a = 1;\n```');
    expect(text).toContain('### README.md\n\n```markdown\n# Demo\n```');
    expect(text).toContain('### src/notes.txt\n\n```\nplain text\n```');
    expect(text).not.toContain('Left out');
    // the same input gives the same text
    expect(await build([{ files: ['README.md', 'src/**/*.ts'] }, { files: ['src/a.ts', 'src/*.txt'] }])).toBe(
      text,
    );
  });

  it('takes a directory as all of its files', async () => {
    expect(headings(await build([{ files: ['src/nested'] }]))).toEqual(['src/nested/c.ts']);
  });

  it('uses a longer fence than any backtick run of the file', async () => {
    const text = await build([{ files: ['fences.md'] }]);
    expect(text).toContain('### fences.md\n\n````markdown\nbefore\n```js\ncode\n```\nafter\n````');
  });

  it('skips binary files and says so', async () => {
    const text = await build([{ files: ['assets/*', 'README.md'] }]);
    expect(headings(text)).toEqual(['README.md', 'Left out']);
    expect(text).toContain('- `assets/logo.png`: a binary file, skipped');
  });

  it('keeps odd file names on their heading line', async () => {
    write('odd\n### name.txt', 'odd\n');
    const text = await build([{ files: ['odd*'] }]);
    expect(text).toBe('### odd?### name.txt\n\n```\nodd\n```');
  });

  it('notes patterns that match nothing', async () => {
    const text = await build([{ files: ['nope/**/*.rs'] }]);
    expect(text).toBe('### Left out\n\n- `nope/**/*.rs`: no file matches');
  });

  it('never searches .git nor node_modules, and leaves dot files out of wildcards', async () => {
    const text = await build([{ files: ['**/*', '.git/config', 'node_modules/dep/index.ts'] }]);
    const h = headings(text);
    expect(h).not.toContain('.env');
    expect(h.some((x) => x.startsWith('.git') || x.startsWith('node_modules'))).toBe(false);
    expect(text).toContain('- `.git/config`: no file matches');
    expect(text).not.toContain('token@example.com');
  });
});

describe('buildContextPack: caps', () => {
  it('truncates a file to the per-file cap and says so in its heading', async () => {
    const text = await build([{ files: ['big.txt'] }], { limits: { maxFileBytes: 1000 } });
    expect(headings(text)).toEqual(['big.txt (truncated: the first 1000 of 5000 bytes)']);
    expect(text).toContain(`\`\`\`\n${'x'.repeat(1000)}\n\`\`\``);
    expect(text).not.toContain('x'.repeat(1001));
  });

  it('never cuts a UTF-8 character in two', async () => {
    write('utf8.txt', 'é'.repeat(10)); // 20 bytes
    const text = await build([{ files: ['utf8.txt'] }], { limits: { maxFileBytes: 7 } });
    expect(text).toContain('### utf8.txt (truncated: the first 6 of 20 bytes)\n\n```\néé' + 'é\n```');
    expect(text).not.toContain('\uFFFD');
  });

  it('stops at the total cap: the last file that fits is cut, the others listed', async () => {
    const text = await build([{ files: ['src/**/*.ts', 'big.txt', 'README.md'] }], {
      limits: { maxTotalBytes: 100 },
    });
    // three 20-byte files, then 40 bytes left for big.txt, nothing for README.md
    expect(headings(text)).toEqual([
      'src/a.ts',
      'src/b.ts',
      'src/nested/c.ts',
      'big.txt (truncated: the first 40 of 5000 bytes)',
      'Left out',
    ]);
    expect(text).toContain('- `README.md`: the limit of 100 bytes of context was reached');
  });

  it('stops at the file count cap and lists what it left out', async () => {
    const text = await build([{ files: ['src/**/*', 'README.md'] }], { limits: { maxFiles: 2 } });
    expect(headings(text)).toEqual(['src/a.ts', 'src/b.ts', 'Left out']);
    expect(text).toContain(
      '- `src/nested/c.ts`, `src/notes.txt`, `README.md`: the limit of 2 files was reached',
    );
  });
});

describe('buildContextPack: never outside the working directory', () => {
  it.each([
    ['../outside/secret.txt', '`..`'],
    ['src/../../outside/*', '`..`'],
    ['{..,src}/secret.txt', '`..`'],
    ['@(..)/outside/*', '`..`'],
    ['..', '`..`'],
    [`${'/'}etc/passwd`, 'an absolute path'],
    ['C:/Windows/win.ini', 'an absolute path'],
    ['~/.ssh/id_rsa', 'an absolute path'],
    ['!src/**', 'a negated pattern'],
    ['   ', 'an empty pattern'],
  ])('rejects %s', async (pattern, reason) => {
    expect(unsafePatternReason(pattern)).toContain(reason);
    const text = await build([{ files: [pattern] }, { decisions: pattern }]);
    expect(text).not.toContain('TOP SECRET');
    expect(text).not.toContain('root:');
    expect(text).toMatch(/^### Left out\n\n- `.*`: rejected, /);
  });

  it('accepts patterns with dots that are not `..` segments', () => {
    for (const p of ['src/{1..3}.ts', 'a..b/*.md', '.github/**', './src/*.ts', '...']) {
      expect(unsafePatternReason(p), p).toBeNull();
    }
  });

  it('skips links that lead outside, follows links that stay inside, never enters linked directories', async () => {
    const text = await build([{ files: ['leak.txt', 'alias.ts', 'outdir/*', '*'] }]);
    expect(text).not.toContain('TOP SECRET');
    const h = headings(text);
    expect(h).toContain('alias.ts');
    expect(h.some((x) => x.startsWith('outdir') || x.startsWith('leak.txt'))).toBe(false);
    expect(text).toContain('- `leak.txt`: a link to outside the working directory, skipped');
  });

  it('says when the working directory cannot be read', async () => {
    const text = await build([{ files: ['*'] }], { cwd: join(base, 'missing') });
    expect(text).toBe(
      `### Left out\n\n- files: the working directory ${join(base, 'missing')} cannot be read`,
    );
  });
});

describe('buildContextPack: decisions and recent runs', () => {
  it('includes decision records, sorted, marked as such', async () => {
    const text = await build([{ decisions: 'docs/adr/*.md' }]);
    expect(headings(text)).toEqual([
      'docs/adr/0001-record-decisions.md (decision record)',
      'docs/adr/0002-use-postgres.md (decision record)',
    ]);
    expect(text).toContain('```markdown\n# 2. Use PostgreSQL\n\nAccepted.\n```');
  });

  const summary: RecentRunSummary = {
    runId: 'run-0',
    status: 'failed',
    createdAt: Date.UTC(2025, 0, 2, 3, 4, 5),
    finishedAt: Date.UTC(2025, 0, 2, 3, 5, 0),
    error: 'step build failed',
    failedSteps: [
      { stepKey: 'build', attempt: 2, error: 'exit code 1', logTail: 'npm ERR! boom\n', logTruncated: true },
    ],
    moreFailedSteps: 1,
  };

  it('summarizes the recent runs from the port, asking for the run and the pack size', async () => {
    const asked: RecentRunsQuery[] = [];
    const port: RecentRuns = {
      recentRuns: async (q) => {
        asked.push(q);
        return [
          summary,
          {
            ...summary,
            runId: 'run-00',
            status: 'succeeded',
            error: null,
            failedSteps: [],
            moreFailedSteps: 0,
          },
        ];
      },
    };
    const text = await build([{ recent_runs: 3 }], { recentRuns: port, limits: { logTailBytes: 123 } });
    expect(asked).toEqual([{ runId: 'run-1', limit: 3, logTailBytes: 123 }]);
    expect(text).toBe(
      [
        '### Recent runs of this workflow (the last 3, newest first)',
        '',
        '#### Run run-0: failed',
        '',
        'Created 2025-01-02T03:04:05.000Z, finished 2025-01-02T03:05:00.000Z.',
        'Error: step build failed',
        '',
        'Step `build` failed (attempt 2): exit code 1',
        'End of its log:',
        '```text',
        'npm ERR! boom',
        '```',
        '',
        '(1 more failed steps not shown)',
        '',
        '#### Run run-00: succeeded',
        '',
        'Created 2025-01-02T03:04:05.000Z, finished 2025-01-02T03:05:00.000Z.',
      ].join('\n'),
    );
  });

  it('says when there is no earlier run, no port, or the port fails', async () => {
    const empty: RecentRuns = { recentRuns: async () => [] };
    expect(await build([{ recent_runs: 2 }], { recentRuns: empty })).toBe(
      '### Recent runs of this workflow (the last 2, newest first)\n\nNo earlier run.',
    );
    expect(await build([{ recent_runs: 2 }])).toBe(
      '### Left out\n\n- recent runs: not available to this runner',
    );
    const broken: RecentRuns = {
      recentRuns: async () => {
        throw new Error('database is locked');
      },
    };
    expect(await build([{ recent_runs: 2 }], { recentRuns: broken })).toBe(
      '### Left out\n\n- recent runs: cannot be read (database is locked)',
    );
  });

  it('counts the run summaries against the total cap: whole runs, then runs without logs, then none', async () => {
    const port: RecentRuns = {
      recentRuns: async () => [summary, { ...summary, runId: 'run-00' }, { ...summary, runId: 'run-000' }],
    };
    const all = await build([{ recent_runs: 3 }], { recentRuns: port });
    const size = Buffer.byteLength(all);
    const oneRun = Buffer.byteLength(all.slice(0, all.indexOf('\n\n#### Run run-00:')));
    // room for the first run, and for the second one without its log
    const text = await build([{ recent_runs: 3 }], {
      recentRuns: port,
      limits: { maxTotalBytes: oneRun + 200 },
    });
    expect(text.match(/^#### Run .*$/gm)).toEqual(['#### Run run-0: failed', '#### Run run-00: failed']);
    expect(text.match(/npm ERR! boom/g)).toHaveLength(1);
    expect(text).toContain(
      '- recent runs: the log tails of 1 runs: the limit of ' +
        String(oneRun + 200) +
        ' bytes of context was reached',
    );
    expect(text).toContain('- recent runs: 1 older runs: the limit of');
    expect(Buffer.byteLength(text.slice(0, text.indexOf('\n\n### Left out')))).toBeLessThanOrEqual(
      oneRun + 200,
    );
    expect(size).toBeGreaterThan(oneRun + 200);
    const none = await build([{ files: ['big.txt'] }, { recent_runs: 1 }], {
      recentRuns: port,
      limits: { maxTotalBytes: 100 },
    });
    expect(none).toContain('- recent runs: the limit of 100 bytes of context was reached');
    expect(none).not.toContain('Recent runs of');
  });

  it('stops when aborted', async () => {
    const ctl = new AbortController();
    const port: RecentRuns = {
      recentRuns: async () => {
        ctl.abort(new Error('step cancelled'));
        throw new Error('interrupted');
      },
    };
    await expect(
      buildContextPack(
        { packs: [{ recent_runs: 1 }, { files: ['*'] }], cwd: repo, runId: 'r', recentRuns: port },
        ctl.signal,
      ),
    ).rejects.toThrow('step cancelled');
  });
});

describe('utf8Boundary', () => {
  it('drops a trailing incomplete sequence only', () => {
    const euro = Buffer.from('a€', 'utf8'); // 61 e2 82 ac
    expect(utf8Boundary(euro)).toBe(4);
    expect(utf8Boundary(euro.subarray(0, 3))).toBe(1);
    expect(utf8Boundary(euro.subarray(0, 2))).toBe(1);
    expect(utf8Boundary(euro.subarray(0, 1))).toBe(1);
    expect(utf8Boundary(Buffer.alloc(0))).toBe(0);
    const emoji = Buffer.from('😀', 'utf8');
    expect(utf8Boundary(emoji)).toBe(4);
    expect(utf8Boundary(emoji.subarray(0, 3))).toBe(0);
  });
});
