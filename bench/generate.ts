/** A realistic generated `.prompt` of about `lines` lines: frontmatter plus a body using every construct. */
export function generatePrompt(lines: number): string {
  const head = [
    '---',
    'model: ollama/llama3.2',
    'config:',
    '  temperature: 0.4',
    '  stopSequences: ["END"]',
    'input:',
    '  schema:',
    '    topic: string, What to write about',
    '    items(array): string',
    '    verbose?: boolean',
    '  default:',
    '    verbose: false',
    '---',
  ];
  const chunk = [
    '{{role "system"}}',
    'You are a careful writer. Keep answers short.',
    '{{! a comment about the next part }}',
    '{{role "user"}}',
    'Write about {{topic}} using {{json items indent=2}}.',
    '{{#if verbose}}',
    '  Explain each step. {{#each items}}{{@index}}: {{this}} {{/each}}',
    '{{else}}',
    '  Be brief.',
    '{{/if}}',
    '{{#ifEquals topic "tides"}}Mention the moon.{{/ifEquals}}',
    'Plain text line with no template at all, just words to read.',
  ];
  const out = [...head];
  while (out.length < lines) out.push(...chunk);
  return `${out.slice(0, lines).join('\n')}\n`;
}
