import type { AccountsDb } from './accountsSchema.ts';

export type OwnedResource = 'run' | 'workflow' | 'task' | 'event' | 'project' | 'repository' | 'issue';

/** The workspace a resource belongs to (undefined: no such resource). Runs match a unique id prefix. */
export async function workspaceOf(
  db: AccountsDb,
  kind: OwnedResource,
  id: string,
): Promise<string | null | undefined> {
  switch (kind) {
    case 'run': {
      const exact = await db
        .selectFrom('runs')
        .select('workspace_id')
        .where('id', '=', id)
        .executeTakeFirst();
      if (exact) return exact.workspace_id;
      const prefix = id.toLowerCase();
      const rows = await db
        .selectFrom('runs')
        .select(['id', 'workspace_id'])
        .where((eb) => eb(eb.fn('substr', ['id', eb.val(1), eb.val(prefix.length)]), '=', prefix))
        .limit(2)
        .execute();
      return rows.length === 1 ? rows[0]!.workspace_id : undefined;
    }
    case 'workflow':
      return (
        await db.selectFrom('workflows').select('workspace_id').where('name', '=', id).executeTakeFirst()
      )?.workspace_id;
    case 'task':
      return (
        await db.selectFrom('agents_tasks').select('workspace_id').where('id', '=', id).executeTakeFirst()
      )?.workspace_id;
    case 'event': {
      const n = Number(id);
      if (!Number.isSafeInteger(n)) return undefined;
      const row = await db.selectFrom('events').select('workspace_id').where('id', '=', n).executeTakeFirst();
      return row ? row.workspace_id : undefined;
    }
    case 'project':
      return (await db.selectFrom('projects').select('workspace_id').where('id', '=', id).executeTakeFirst())
        ?.workspace_id;
    case 'repository':
      return (
        await db.selectFrom('repositories').select('workspace_id').where('id', '=', id).executeTakeFirst()
      )?.workspace_id;
    case 'issue':
      return (await db.selectFrom('issues').select('workspace_id').where('id', '=', id).executeTakeFirst())
        ?.workspace_id;
  }
}
