import type { Role } from './roles.ts';

export type TokenKind = 'personal' | 'session' | 'seed';

/** Who is calling: the user behind a bearer token, with the roles that token may use. */
export interface Principal {
  userId: string;
  login: string;
  /** an instance administrator whose token carries no workspace or role restriction */
  instanceAdmin: boolean;
  tokenId: string;
  tokenKind: TokenKind;
  /** workspace id → effective role (membership, capped by the token's role, limited to its workspace) */
  roles: ReadonlyMap<string, Role>;
}
