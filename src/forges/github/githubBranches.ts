import type { DeletedBranch } from '../Forge.ts';
import { githubMessages, isRequestError } from './githubErrors.ts';
import type { GithubCall } from './githubJson.ts';

const gone = (e: unknown): boolean =>
  isRequestError(e) &&
  (e.status === 404 ||
    (e.status === 422 && githubMessages(e).some((m) => /reference does not exist/i.test(m))));

/** `GET /repos/{o}/{r}/git/ref/heads/{branch}`: the branch's commit, or null when there is none. */
export async function githubBranchSha(
  call: GithubCall,
  repo: string,
  branch: string,
  signal: AbortSignal,
): Promise<string | null> {
  return call(repo, `read branch ${branch}`, signal, async (gh, r) => {
    try {
      const { data } = await gh.rest.git.getRef({ ...r, ref: `heads/${branch}` });
      return data.object.sha;
    } catch (e) {
      if (gone(e)) return null;
      throw e;
    }
  });
}

/**
 * Compare-and-delete over REST: reads the branch, and `DELETE /repos/{o}/{r}/git/refs/heads/{b}`
 * only while it points at `expectedSha`. GitHub's REST API has no conditional delete, so a push
 * landing between the read and the delete (one round trip) is not seen; a branch already gone
 * (404, or 422 "Reference does not exist") is not an error.
 */
export async function githubDeleteBranch(
  call: GithubCall,
  repo: string,
  branch: string,
  expectedSha: string,
  signal: AbortSignal,
): Promise<DeletedBranch> {
  const sha = await githubBranchSha(call, repo, branch, signal);
  if (sha === null || sha !== expectedSha) return { deleted: false, sha };
  return call(repo, `delete branch ${branch}`, signal, async (gh, r) => {
    try {
      await gh.rest.git.deleteRef({ ...r, ref: `heads/${branch}` });
      return { deleted: true, sha };
    } catch (e) {
      if (gone(e)) return { deleted: false, sha: null };
      throw e;
    }
  });
}
