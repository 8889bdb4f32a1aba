/**
 * Error envelopes of OpenAI-compatible servers:
 * - `{"error":{"message","type","param","code"}}` — OpenAI, current vLLM, llama.cpp, LM Studio, Ollama /v1
 * - `{"object":"error","message","type","param","code"}` — older vLLM
 * - `{"error":"text"}` — Ollama-style
 * - `{"detail":"Not Found"}` — FastAPI defaults (vLLM unknown routes)
 * - `{"message",...}` — a bare error object (llama.cpp's legacy `error:` SSE line)
 */
import { describeSize, type BodySummary } from './errorBody';
import { kindForStatus, type ErrorDetails } from './errors';

export interface ErrorEnvelope {
  message: string;
  type?: string;
  code?: string | number;
  param?: string;
}

export function parseErrorEnvelope(value: unknown): ErrorEnvelope | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const inner = record['error'];
  if (typeof inner === 'string') return { message: inner };
  if (typeof inner === 'object' && inner !== null) return fromFields(inner as Record<string, unknown>);
  if (record['object'] === 'error') return fromFields(record);
  if (typeof record['detail'] === 'string') return { message: record['detail'] };
  // A bare error object: llama.cpp's legacy `error:` line, some proxies' bodies.
  if (typeof record['message'] === 'string') return fromFields(record);
  return undefined;
}

function fromFields(fields: Record<string, unknown>): ErrorEnvelope {
  const message = typeof fields['message'] === 'string' ? fields['message'] : JSON.stringify(fields);
  const envelope: ErrorEnvelope = { message };
  if (typeof fields['type'] === 'string') envelope.type = fields['type'];
  if (typeof fields['code'] === 'string' || typeof fields['code'] === 'number') envelope.code = fields['code'];
  if (typeof fields['param'] === 'string') envelope.param = fields['param'];
  return envelope;
}

/** A failed response's (bounded) body as an envelope, or its text with the body's size. */
export function envelopeOf(body: BodySummary): ErrorEnvelope {
  if (body.complete) {
    try {
      const envelope = parseErrorEnvelope(JSON.parse(body.raw));
      if (envelope !== undefined) return envelope;
    } catch {
      // Not JSON: the text itself is the server's message (proxies, plain-text 404s).
    }
  }
  if (body.text === '') return { message: `empty body (${describeSize(body)})` };
  return { message: body.complete && !/html/i.test(body.contentType) ? body.text : `${body.text} (${describeSize(body)})` };
}

export interface OpenAiErrorContext {
  url: string;
  model: string;
  apiKeyEnv?: string;
}

function looksLikeMissingModel(envelope: ErrorEnvelope): boolean {
  return envelope.code === 'model_not_found' || envelope.param === 'model' || /\bmodels?\b/i.test(envelope.message);
}

export function httpFailure(status: number, envelope: ErrorEnvelope, { url, model, apiKeyEnv }: OpenAiErrorContext): ErrorDetails {
  const serverMessage = envelope.message;
  const base = { serverMessage, status, url };
  if (
    (status === 404 || status === 400) &&
    looksLikeMissingModel(envelope) &&
    /not (found|exist|loaded)|no models? loaded|does not exist/i.test(serverMessage)
  ) {
    return {
      ...base,
      kind: 'model-not-found',
      model,
      message: `The server at ${url} has no model "${model}" loaded or available: ${serverMessage}`,
    };
  }
  if (status === 404) {
    return {
      ...base,
      kind: 'bad-request',
      message: `${url} answered 404 (${serverMessage}). Check the endpoint URL: it usually ends in /v1.`,
    };
  }
  if (status === 401 || status === 403) {
    const hint = apiKeyEnv
      ? `Check the key in the ${apiKeyEnv} environment variable.`
      : 'Set an API key for this endpoint (apiKeyEnv or the stored secret).';
    return {
      ...base,
      kind: 'unauthorized',
      message: `The server at ${url} refused the request (HTTP ${status}): ${serverMessage}. ${hint}`,
    };
  }
  if (status === 503) {
    return {
      ...base,
      kind: 'server-error',
      message: `The server at ${url} is not ready (HTTP 503): ${serverMessage}. Try again once the model has loaded.`,
    };
  }
  const kind = kindForStatus(status);
  const what = kind === 'bad-request' ? 'rejected the request' : 'failed';
  return { ...base, kind, message: `The server at ${url} ${what} (HTTP ${status}): ${serverMessage}` };
}

/** An error reported inside a 200 stream (`data: {"error":…}` or llama.cpp's `error:` line). */
export function streamFailure(envelope: ErrorEnvelope, { url, model }: OpenAiErrorContext): ErrorDetails {
  return {
    kind: 'server-error',
    message: `The server reported an error while running ${model}: ${envelope.message}`,
    serverMessage: envelope.message,
    url,
  };
}
