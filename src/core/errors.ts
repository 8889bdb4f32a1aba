/**
 * The message of anything thrown: an Error's message, else the value as text. Errors shown to
 * users and written to logs are built from this one place.
 */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
