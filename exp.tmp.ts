import { analyzePrompt } from './src/core/prompt/analyze';
(async () => {
for (const t of ['{{ x | upper }}', '---\ninput:\n  schema:\n    name: string\n    tags: string\n---\n{{#role "system"}}sys{{/role}}\nhi {name} {% if tags %}x{% endif %} {{$name}}\n', '{{#if a}}\n{{#each b}}x{{/if}}{{/each}}', '---\nmodel: a\n---', '---\ninput:\n  schema: Recipe\noutput:\n  schema:\n    r: Recipe, the recipe\n    items(array): Item\n    n: strin\n---\n{{a}}\n']) {
  const a = await analyzePrompt(t);
  console.log(JSON.stringify(t)); for (const d of a.diagnostics) console.log(' ', d.severity, d.code, JSON.stringify(d.range), d.message, d.fix ? JSON.stringify(d.fix) : '', d.related ? JSON.stringify(d.related) : '');
}})();
