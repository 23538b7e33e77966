import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BatonError } from '../../domain/errors.ts';
import { mirrorDirName } from '../../domain/git/mirrorDirName.ts';
import { acquireFileLock } from './fileLock.ts';
import { credentialConfig, NO_GIT_CREDENTIALS, type GitCredentials } from './GitCredentials.ts';
import { MIRROR_REMOTE, mirrorsRoot } from './gitPaths.ts';
import { runGit } from './runGit.ts';
import { SharedInFlight } from './sharedInFlight.ts';

/** A repository Baton works on: a stable key (`acme/widgets`) and its clone URL (no credentials in it). */
export interface RepoSpec {
  name: string;
  url: string;
}

/** A bare mirror on disk, current as of its last fetch. */
export interface Mirror {
  name: string;
  url: string;
  /** `<dataDir>/git/mirrors/<safe-name>.git` */
  dir: string;
  /** true when this call created it */
  created: boolean;
}

export interface RepoMirrorOptions {
  dataDir: string;
  credentials?: GitCredentials;
  /** one clone or fetch (default 30 minutes) */
  fetchTimeoutMs?: number;
  /** the cross-process lock: taken over after this long without a heartbeat (default 10 minutes) */
  lockStaleMs?: number;
  /** how long to wait for another process's clone or fetch (default 30 minutes) */
  lockWaitMs?: number;
}

const FETCH_REFSPECS = [`+refs/heads/*:refs/remotes/${MIRROR_REMOTE}/*`, '+refs/tags/*:refs/tags/*'];

/**
 * One bare mirror per repository. The first `ensure` creates it (init --bare + remote + fetch into
 * a temporary directory renamed into place, so a crash never leaves a half mirror); later calls
 * `git fetch --prune` into it, never re-clone. Remote branches are kept as
 * `refs/remotes/origin/*` (not `clone --bare`'s `refs/heads/*`): fetch then never collides with
 * branches checked out in worktrees. Concurrent callers in this process share one fetch; across
 * processes `<safe-name>.lock` serializes them.
 */
export class RepoMirror {
  readonly root: string;
  private readonly credentials: GitCredentials;
  private readonly inFlight = new SharedInFlight<Mirror>();

  constructor(private readonly opts: RepoMirrorOptions) {
    this.root = mirrorsRoot(opts.dataDir);
    this.credentials = opts.credentials ?? NO_GIT_CREDENTIALS;
  }

  dirFor(name: string): string {
    return join(this.root, mirrorDirName(name));
  }

  /** Create the mirror or bring it up to date with the remote. */
  ensure(repo: RepoSpec, signal: AbortSignal): Promise<Mirror> {
    const dir = this.dirFor(repo.name);
    return this.inFlight.run(dir, signal, (shared) => this.update(repo, dir, shared));
  }

  /** True while this process is fetching `name` (for tests and metrics). */
  isFetching(name: string): boolean {
    return this.inFlight.has(this.dirFor(name));
  }

  /** Config carrying credentials for a network command on `url` (see `credentialConfig`). */
  networkConfig(url: string, signal: AbortSignal): Promise<Array<[string, string]>> {
    return credentialConfig(url, this.credentials, signal);
  }

  private async update(repo: RepoSpec, dir: string, signal: AbortSignal): Promise<Mirror> {
    await mkdir(this.root, { recursive: true });
    const lock = await acquireFileLock(`${dir.slice(0, -'.git'.length)}.lock`, {
      signal,
      purpose: `the mirror of ${repo.name}`,
      ...(this.opts.lockStaleMs === undefined ? {} : { staleMs: this.opts.lockStaleMs }),
      waitMs: this.opts.lockWaitMs ?? 30 * 60_000,
    });
    try {
      const exists = await stat(join(dir, 'HEAD')).then(
        () => true,
        () => false,
      );
      if (exists) {
        await this.setUrl(dir, repo.url, signal);
        await this.fetch(dir, repo.url, signal);
      } else {
        await this.create(dir, repo.url, signal);
      }
      return { name: repo.name, url: repo.url, dir, created: !exists };
    } finally {
      await lock.release();
    }
  }

  private async create(dir: string, url: string, signal: AbortSignal): Promise<void> {
    const tmp = join(this.root, `.tmp-${randomUUID()}`);
    try {
      await runGit(['init', '--bare', '--quiet', tmp], { cwd: this.root, signal });
      await runGit(['config', `remote.${MIRROR_REMOTE}.url`, url], { cwd: tmp, signal });
      for (const spec of FETCH_REFSPECS) {
        await runGit(['config', '--add', `remote.${MIRROR_REMOTE}.fetch`, spec], { cwd: tmp, signal });
      }
      await this.fetch(tmp, url, signal);
      await rename(tmp, dir).catch((e: NodeJS.ErrnoException) => {
        throw new BatonError('conflict', `${dir} exists but is not a git mirror (no HEAD)`, {
          cause: e,
          hint: `delete ${dir}; the next ensure re-creates it`,
        });
      });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  private async setUrl(dir: string, url: string, signal: AbortSignal): Promise<void> {
    const current = await runGit(['config', '--get', `remote.${MIRROR_REMOTE}.url`], {
      cwd: dir,
      signal,
      okExitCodes: [0, 1],
    });
    if (current.stdout.trim() !== url) {
      await runGit(['config', `remote.${MIRROR_REMOTE}.url`, url], { cwd: dir, signal });
    }
  }

  private async fetch(dir: string, url: string, signal: AbortSignal): Promise<void> {
    await runGit(['fetch', '--prune', '--no-write-fetch-head', MIRROR_REMOTE], {
      cwd: dir,
      signal,
      config: await this.networkConfig(url, signal),
      timeoutMs: this.opts.fetchTimeoutMs ?? 30 * 60_000,
    });
  }
}
