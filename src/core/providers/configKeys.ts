/** Config key spelling: Dotprompt frontmatter is camelCase, server APIs are snake_case. */
export function camelToSnake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
