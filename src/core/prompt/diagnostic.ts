import type { Range } from '../text/positions';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** One finding about a prompt file; the editor and the CLI both show these. */
export interface PromptDiagnostic {
  range: Range;
  severity: Severity;
  /** Stable identifier, e.g. `invalid-yaml`, `unknown-helper`. */
  code: string;
  message: string;
}
