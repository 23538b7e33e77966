import type { Role } from '../../domain/access/roles.ts';

/** A token as the API shows it (`GET /api/v1/tokens`). */
export interface TokenView {
  id: string;
  name: string;
  user: string;
  kind: string;
  prefix: string;
  workspace: string | null;
  role: string | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface NewToken {
  name: string;
  expiresInDays: number | null;
  workspace?: string;
  role?: Role;
  /** another user's login (instance administrators; locally: default `admin`) */
  user?: string;
}

/** What `baton token` needs, against a server or the database. */
export interface TokenOps {
  create(t: NewToken): Promise<TokenView & { secret: string }>;
  list(o: { all: boolean; user?: string }): Promise<TokenView[]>;
  revoke(id: string): Promise<TokenView>;
}
