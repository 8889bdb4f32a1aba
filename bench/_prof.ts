import { OllamaProvider } from '../src/core/providers/ollama';
import { startOllamaFake } from '../test/fixtures/servers/ollamaFake';
async function main() {
  const fake = await startOllamaFake();
  const provider = new OllamaProvider({ url: fake.url });
  const N = Number(process.argv[2] ?? 200000);
  for (let r = 0; r < 2; r++) {
    const t = performance.now(); let n = 0; let maxHeap = 0;
    for await (const e of provider.run({ model: 'bench', messages: [{ role: 'user', content: [{ text: 'go' }] }], config: { maxOutputTokens: N }, topLogprobs: 5 })) { if (e.type === 'token') { n++; if (n % 20000 === 0) { const h = process.memoryUsage().heapUsed; maxHeap = Math.max(maxHeap, h); console.log(n, Math.round(performance.now() - t), Math.round(h/1e6)); } } else if (e.type === 'error') console.log(e.message); }
    console.log('total', n, Math.round(performance.now() - t), Math.round(maxHeap / 1e6), 'MB');
  }
  await fake.close();
}
void main();
