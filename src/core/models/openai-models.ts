import type { EndpointConfig, InstalledModel } from '../providers';

/** Lists an OpenAI-compatible server's models (`GET {base}/models`: vLLM, llama.cpp, LM Studio, SGLang). */
export async function listOpenAiModels(
  endpoint: EndpointConfig,
  apiKey: string | undefined,
  signal?: AbortSignal,
): Promise<InstalledModel[]> {
  const base = endpoint.url.replace(/\/+$/, '');
  let response: Response;
  try {
    response = await fetch(`${base}/models`, {
      ...(signal ? { signal } : {}),
      ...(apiKey ? { headers: { Authorization: `Bearer ${apiKey}` } } : {}),
    });
  } catch (err) {
    throw new Error(
      `Could not reach ${base}/models: ${err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err)}`,
    );
  }
  if (!response.ok) throw new Error(`${base}/models answered ${response.status} ${response.statusText}`);
  const body = (await response.json()) as { data?: { id?: unknown }[] };
  return (body.data ?? []).filter((m): m is { id: string } => typeof m.id === 'string').map((m) => ({ name: m.id, sizeBytes: 0 }));
}
