import * as vscode from 'vscode';
import { displayUrl, type EndpointConfig } from '../../core/providers';
import type { ModelGroup } from '../../shared/protocol';
import type { EndpointModels } from './catalog';
import { formatBytes } from './view';

export function modelRef(endpoint: EndpointConfig, model: string): string {
  // `llama3.2:latest` is written `llama3.2` by everyone; Ollama resolves it the same way.
  return `${endpoint.name}/${model.replace(/:latest$/, '')}`;
}

/** One live model as every picker shows it: its reference, its facts and whether it is loaded. */
export interface ModelFacts {
  ref: string;
  /** Parameters, quantization, size. */
  facts: string;
  /** Family, loaded with its GPU share. */
  detail: string;
  loaded: boolean;
}

export interface EndpointFacts {
  endpoint: EndpointConfig;
  /** The endpoint's address without credentials. */
  url: string;
  problem?: string;
  models: ModelFacts[];
}

/**
 * The live models of every endpoint, described once for every place that offers them: the quick
 * pick (Choose Model…) and the run panel's model picker show the same list with the same words.
 */
export function describeModels(lists: readonly EndpointModels[]): EndpointFacts[] {
  return lists.map((list) => ({
    endpoint: list.endpoint,
    url: displayUrl(list.endpoint.url),
    ...(list.problem !== undefined ? { problem: list.problem } : {}),
    models: list.installed.map((model) => {
      const loaded = list.loaded.find((l) => l.name === model.name);
      return {
        ref: modelRef(list.endpoint, model.name),
        facts: [model.parameterSize, model.quantization, model.sizeBytes ? formatBytes(model.sizeBytes) : undefined]
          .filter(Boolean)
          .join(' · '),
        detail: [
          model.family ? vscode.l10n.t('family {0}', model.family) : '',
          loaded ? vscode.l10n.t('loaded, {0}% GPU', Math.round(loaded.gpuShare * 100)) : '',
        ]
          .filter(Boolean)
          .join(' · '),
        loaded: loaded !== undefined,
      };
    }),
  }));
}

/** The same list as plain data for the run panel's webview. */
export function modelGroups(lists: readonly EndpointModels[]): ModelGroup[] {
  return describeModels(lists).map((e) => ({
    endpoint: e.endpoint.name,
    url: e.url,
    ...(e.problem !== undefined ? { problem: e.problem } : {}),
    models: e.models.map((m) => ({ ref: m.ref, description: [m.facts, m.detail].filter(Boolean).join(' · '), loaded: m.loaded })),
  }));
}
