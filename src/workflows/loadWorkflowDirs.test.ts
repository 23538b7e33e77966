import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBatonError } from '../domain/errors.ts';
import { formatWorkflowIssue } from '../domain/workflow/formatWorkflowIssue.ts';
import { findRepoWorkflowDir } from './findRepoWorkflowDir.ts';
import { loadWorkflowDirs } from './loadWorkflowDirs.ts';
import { loadWorkflowFile } from './loadWorkflowFile.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'baton-wf-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const write = (rel: string, text: string): string => {
  const path = join(root, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
};

describe('loadWorkflowFile', () => {
  it('loads YAML and JSON by extension', () => {
    const yaml = loadWorkflowFile(write('a.yml', 'name: a\nsteps:\n  - id: s\n    run: echo\n'));
    expect(yaml.ok && yaml.workflow.name).toBe('a');
    const json = loadWorkflowFile(
      write('b.json', '{\n  "name": "b",\n  "steps": [{ "id": "s", "run": "echo", "nedds": [] }]\n}\n'),
    );
    expect(json.ok).toBe(false);
    if (!json.ok) {
      expect(json.errors.map(formatWorkflowIssue)).toEqual([
        `${join(root, 'b.json')}:3:41: steps[0].nedds: unknown key; did you mean "needs"?`,
      ]);
    }
  });

  it('rejects other extensions and missing files', () => {
    expect(() => loadWorkflowFile(write('c.txt', 'x'))).toThrow(/not a workflow file/);
    try {
      loadWorkflowFile(join(root, 'missing.yaml'));
      expect.unreachable();
    } catch (e) {
      expect(isBatonError(e, 'invalid_workflow')).toBe(true);
      expect((e as Error).message).toContain('cannot read');
    }
  });
});

describe('loadWorkflowDirs', () => {
  it('loads every workflow file of each directory, not recursively', () => {
    write('one/a.yaml', 'name: a\nsteps:\n  - id: s\n    run: echo\n');
    write('one/b.json', '{"name": "b", "steps": [{"id": "s", "run": "echo"}]}');
    write('one/notes.md', '# not a workflow');
    write('one/nested/c.yaml', 'name: c\nsteps:\n  - id: s\n    run: echo\n');
    write('two/d.yml', 'name: d\nsteps:\n  - id: s\n    run: echo\n');
    const { workflows, errors } = loadWorkflowDirs([
      join(root, 'one'),
      join(root, 'two'),
      join(root, 'absent'),
    ]);
    expect(errors).toEqual([]);
    expect(workflows.map((w) => w.workflow.name)).toEqual(['a', 'b', 'd']);
    expect(workflows[0]?.file).toBe(join(root, 'one', 'a.yaml'));
    expect(workflows[0]?.source).toContain('name: a');
  });

  it('reports invalid files and keeps the valid ones', () => {
    write('w/bad.yaml', 'name: bad\nsteps:\n  - id: s\n    run: [\n');
    write('w/good.yaml', 'name: good\nsteps:\n  - id: s\n    run: echo\n');
    const { workflows, errors } = loadWorkflowDirs([join(root, 'w')]);
    expect(workflows.map((w) => w.workflow.name)).toEqual(['good']);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.file).toBe(join(root, 'w', 'bad.yaml'));
  });

  it('reports a duplicate workflow name naming both files', () => {
    const first = write('x/a.yaml', 'name: same\nsteps:\n  - id: s\n    run: echo\n');
    const second = write('y/b.yaml', '# the same name again\nname: same\nsteps:\n  - id: s\n    run: echo\n');
    const { workflows, errors } = loadWorkflowDirs([join(root, 'x'), join(root, 'y')]);
    expect(workflows.map((w) => w.file)).toEqual([first]);
    expect(errors.map(formatWorkflowIssue)).toEqual([
      `${second}:2:7: name: duplicate workflow name "same": already defined in ${first}`,
    ]);
  });

  it('reports a path that is not a directory', () => {
    const file = write('plain.yaml', 'name: p\nsteps:\n  - id: s\n    run: echo\n');
    expect(loadWorkflowDirs([file]).errors).toEqual([{ file, path: '', message: 'not a directory' }]);
  });
});

describe('findRepoWorkflowDir', () => {
  it('is .baton/workflows under the repository root', () => {
    expect(findRepoWorkflowDir('/repo')).toBe(join('/repo', '.baton', 'workflows'));
  });
});
