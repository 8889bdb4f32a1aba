/**
 * Why a rename is refused, as a code with arguments (the host shows them in the user's language)
 * and the English sentence (for the CLI and tests). `{0}`, `{1}`… are the arguments.
 */
export const RENAME_REFUSALS = {
  'outside-workspace': 'This file is outside the workspace (or in node_modules): Promptscope does not rename there.',
  'unresolved-partial': 'Partial "{0}" does not resolve to a file in this workspace, so there is nothing to rename.',
  'builtin-helper': '"{0}" is a helper defined by {1}; its name cannot be renamed.',
  'application-helper': '"{0}" is a helper registered by the application; its name cannot be renamed here.',
  'dynamic-partial': 'This partial name is computed when the prompt renders, so it cannot be renamed.',
  'data-variable': '"{0}" is a data variable set by Handlebars (such as @index, @key or @root); it cannot be renamed.',
  'scoped-variable': '"{0}" is a field of the current each/with context, not an input; rename the field where the data is defined.',
  'whole-context': '"{0}" is the current context itself; there is no name to rename.',
  literal: '{0} is a literal value, not a name; only partials and input variables can be renamed.',
  'nothing-to-rename': 'Only partial names ({{> name}}) and input variables (input.schema keys and their uses) can be renamed.',
  'bad-partial-name': '"{0}" is not a usable partial name: use letters, digits, "_", "-" or "." (the folder stays the same).',
  'partial-outside': 'The new file {0} would be outside the workspace.',
  'partial-exists': 'A partial file already exists at {0}; renaming would overwrite it.',
  'partial-uneditable': 'The partial name at {0}:{1} is written in a form Promptscope cannot edit safely; nothing was renamed.',
  'partial-shadowed': 'After the rename, {{> {0}}} in {1} would resolve to {2} instead of the renamed partial; nothing was renamed.',
  'bad-input-name': '"{0}" is not a usable input name: start with a letter or "_", then letters, digits, "_" or "-".',
  'helper-name': '"{0}" is a helper name; {{{0}}} would call the helper instead of reading the input.',
  'input-declared': '{0} already declares an input "{1}"; renaming would merge two inputs, so nothing was renamed.',
  'input-used': '{0} already uses a variable "{1}"; renaming would merge two inputs, so nothing was renamed.',
} as const;

export type RenameRefusalCode = keyof typeof RENAME_REFUSALS;

export interface RenameRefusal {
  code: RenameRefusalCode;
  args: string[];
  /** The English sentence. */
  error: string;
}

export function refuse(code: RenameRefusalCode, ...args: string[]): RenameRefusal {
  return { code, args, error: RENAME_REFUSALS[code].replace(/\{(\d)\}/g, (_, i: string) => args[Number(i)] ?? '') };
}
