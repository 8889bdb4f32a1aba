import type { Range } from '../text/positions';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A text replacement in the same document. */
export interface PromptEdit {
  range: Range;
  newText: string;
}

/** A quick fix: edits to this document, offered when the repair is clear. */
export interface PromptFix {
  title: string;
  edits: PromptEdit[];
}

/** One finding about a prompt file; the editor and the CLI both show these. */
export interface PromptDiagnostic {
  range: Range;
  severity: Severity;
  /** Stable identifier, e.g. `invalid-yaml`, `unknown-helper`. */
  code: string;
  message: string;
  fix?: PromptFix;
  /** Other places in this document that explain the finding (e.g. the opener of a block). */
  related?: { range: Range; message: string }[];
}
