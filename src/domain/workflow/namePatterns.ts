/** Naming rules of workflow files. Step ids and input names may hold `-`: read them as `steps["my-step"]`. */
export const NAME_PATTERNS = {
  workflow: {
    re: /^[a-z0-9][a-z0-9._-]*$/,
    rule: 'lowercase letters, digits, ".", "_" and "-", starting with a letter or digit',
  },
  step: {
    re: /^[A-Za-z_][A-Za-z0-9_-]*$/,
    rule: 'letters, digits, "_" and "-", starting with a letter or "_"',
  },
  input: {
    re: /^[A-Za-z_][A-Za-z0-9_-]*$/,
    rule: 'letters, digits, "_" and "-", starting with a letter or "_"',
  },
  output: { re: /^[A-Za-z_][A-Za-z0-9_]*$/, rule: 'letters, digits and "_", starting with a letter or "_"' },
  env: { re: /^[A-Za-z_][A-Za-z0-9_]*$/, rule: 'letters, digits and "_", starting with a letter or "_"' },
  variable: {
    re: /^[A-Za-z_][A-Za-z0-9_]*$/,
    rule: 'letters, digits and "_", starting with a letter or "_"',
  },
} as const;
