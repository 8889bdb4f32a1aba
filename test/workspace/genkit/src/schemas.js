// A Genkit app registering a schema that prompts name (read by the named-schema index).
const { genkit, z } = require('genkit');

const ai = genkit({ promptDir: 'genkit/prompts' });

const RecipeSchema = ai.defineSchema(
  'Recipe',
  z.object({ title: z.string(), steps: z.array(z.string()) }),
);

module.exports = { ai, RecipeSchema };
