/** The workspace of everything not given one: file workflows, their runs, ledger rows from scripts. */
export const DEFAULT_WORKSPACE = 'default';
