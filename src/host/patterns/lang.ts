import * as vscode from 'vscode';
import type { PatternLanguage } from '../../core/patterns/types';

/** The catalogue language for VS Code's display language: Simplified Chinese, else English. */
export function catalogueLanguage(): PatternLanguage {
  const display = vscode.env.language.toLowerCase();
  return display === 'zh-cn' || display === 'zh-hans' || display.startsWith('zh-hans-') ? 'zh-cn' : 'en';
}
