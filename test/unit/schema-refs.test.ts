// `$ref` in JSON Schema files mapped by promptscope.schemas: local references resolve for the
// field checks; what cannot be resolved is an information diagnostic, never a crash.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzePrompt } from '../../src/core/prompt/analyze';
import { parseSchemaFile, SchemaCatalog } from '../../src/core/schemas/catalog';
import { inlineLocalRefs } from '../../src/core/schemas/refs';

function catalogWith(files: Record<string, unknown>): SchemaCatalog {
  const catalog = new SchemaCatalog();
  catalog.setMapped(
    Object.entries(files).map(([name, json]) => {
      const parsed = parseSchemaFile(name, `/ws/schemas/${name.toLowerCase()}.json`, JSON.stringify(json));
      assert.ok(!('error' in parsed));
      return parsed;
    }),
  );
  return catalog;
}

async function findings(text: string, catalog: SchemaCatalog): Promise<string[]> {
  const analysis = await analyzePrompt(text, { schemas: catalog.lookup });
  return analysis.diagnostics.map((d) => `${d.severity} ${d.code} ${d.range.start.line}:${d.range.start.character}`);
}

const person = {
  $ref: '#/definitions/Person',
  definitions: {
    Person: {
      type: 'object',
      properties: { name: { type: 'string' }, address: { $ref: '#/$defs/Address', description: 'Where they live' } },
    },
  },
  $defs: { Address: { type: 'object', properties: { city: { type: 'string' } } } },
};

describe('$ref in mapped JSON Schema files', () => {
  test('a top-level #/definitions ref resolves: undeclared variables and unused inputs are checked', async () => {
    const catalog = catalogWith({ Person: person });
    const text = '---\ninput:\n  schema: Person\n---\nHi {{name}} from {{town}}\n';
    assert.deepEqual(await findings(text, catalog), ['warning undefined-variable 4:19']);
    const declared = (await analyzePrompt('---\ninput:\n  schema: Person\n---\nHi {{name}}\n', { schemas: catalog.lookup })).inputs
      .declared;
    assert.deepEqual([...(declared?.keys() ?? [])], ['name', 'address']);
  });

  test('a nested #/$defs ref is inlined with the keywords beside it, also when the name is pasted into a Picoschema', async () => {
    const { schema, unresolved } = inlineLocalRefs(person);
    assert.deepEqual(unresolved, []);
    const props = schema['properties'] as Record<string, Record<string, unknown>>;
    assert.deepEqual(props['address'], { type: 'object', properties: { city: { type: 'string' } }, description: 'Where they live' });
    const catalog = catalogWith({ Person: person });
    const analysis = await analyzePrompt('---\ninput:\n  schema:\n    who: Person\n---\n{{who.address.city}}\n', {
      schemas: catalog.lookup,
    });
    assert.deepEqual(analysis.diagnostics, []);
    const who = (analysis.inputs.jsonSchema?.['properties'] as Record<string, Record<string, unknown>>)['who'];
    assert.equal((who?.['properties'] as Record<string, unknown>)['address'] !== undefined, true);
    assert.ok(!JSON.stringify(who?.['properties']).includes('$ref'), 'no reference left that would point into the prompt’s own schema');
  });

  test('a ref that cannot be resolved is one information diagnostic at the name, never an error or a crash', async () => {
    const broken = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        pet: { $ref: '#/definitions/Pet' },
        remote: { $ref: 'https://example.com/x.json' },
        odd: { $ref: 5 },
        weird: { $ref: '#/definitions/%E0%A4%A' },
      },
    };
    const catalog = catalogWith({ Owner: broken });
    const analysis = await analyzePrompt('---\ninput:\n  schema: Owner\n---\n{{name}} {{pet}} {{remote}} {{odd}} {{weird}}\n', {
      schemas: catalog.lookup,
    });
    assert.deepEqual(
      analysis.diagnostics.map((d) => `${d.severity} ${d.code} ${d.range.start.line}:${d.range.start.character}`),
      ['information unresolved-schema-ref 2:10'],
    );
    const message = analysis.diagnostics[0]!.message;
    assert.match(message, /owner\.json, where 4 \$refs were not resolved/);
    assert.match(message, /"#\/definitions\/Pet" \(the file has nothing at that path\)/);
    assert.match(message, /"https:\/\/example.com\/x.json" \(only references inside the same file/);
  });

  test('a recursive schema stays a reference where it recurs; a __proto__ key is data', () => {
    const tree = {
      $ref: '#/$defs/Node',
      $defs: {
        Node: { type: 'object', properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } } },
      },
    };
    const { schema, unresolved } = inlineLocalRefs(tree);
    assert.deepEqual(unresolved, []);
    const children = (schema['properties'] as Record<string, Record<string, unknown>>)['children'];
    assert.deepEqual(children?.['items'], { $ref: '#/$defs/Node' });
    const hostile = JSON.parse('{"properties":{"__proto__":{"type":"string"}}}') as Record<string, unknown>;
    const out = inlineLocalRefs(hostile).schema['properties'] as Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ['__proto__']);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
  });

  test('references that fan out are bounded', () => {
    // Each level refers to the next twice: 2^30 paths if inlined naively.
    const defs: Record<string, unknown> = { L30: { type: 'string' } };
    for (let i = 0; i < 30; i++)
      defs[`L${i}`] = { type: 'object', properties: { a: { $ref: `#/$defs/L${i + 1}` }, b: { $ref: `#/$defs/L${i + 1}` } } };
    const { unresolved } = inlineLocalRefs({ $ref: '#/$defs/L0', $defs: defs });
    assert.equal(unresolved.length > 0, true);
    assert.match(unresolved[0]!.reason, /more than 5000 references/);
  });
});
