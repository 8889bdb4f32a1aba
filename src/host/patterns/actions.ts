import * as vscode from 'vscode';
import { findPattern, PATTERNS } from '../../core/patterns/catalogue';
import { composePromptFile, findTemplate } from '../../core/patterns/compose';
import { patternGroupLabel } from '../../core/patterns/markdown';
import { snippetBodyFor } from '../../core/patterns/snippets';
import type { PatternTemplate, PromptPattern } from '../../core/patterns/types';
import { LANGUAGE_ID } from '../language/settings';
import { samplesFolder } from '../samples';
import { catalogueLanguage } from './lang';

/** What a pattern command acts on; tree nodes, webview messages and command links all give one. */
export interface PatternTarget {
  patternId: string;
  templateId?: string;
}

export const PATTERN_COMMANDS = {
  explain: 'promptscope.patterns.explain',
  insert: 'promptscope.patterns.insert',
  newFile: 'promptscope.patterns.newFile',
  runExample: 'promptscope.patterns.runExample',
  openSample: 'promptscope.patterns.openSample',
} as const;

/** The run command of the run panel, used by "Run with example" when it is installed. */
const RUN_COMMAND = 'promptscope.run';
const RENDER_COMMAND = 'promptscope.showRendered';

/** Reads a command argument: a target, a pattern id, or nothing. */
export function toTarget(arg: unknown): PatternTarget | undefined {
  if (typeof arg === 'string') return { patternId: arg };
  if (arg && typeof arg === 'object' && typeof (arg as PatternTarget).patternId === 'string') {
    const { patternId, templateId } = arg as PatternTarget;
    return typeof templateId === 'string' ? { patternId, templateId } : { patternId };
  }
  return undefined;
}

/** Resolves a target to a pattern and template, asking with quick picks for what is missing. */
async function resolveTarget(
  target: PatternTarget | undefined,
): Promise<{ pattern: PromptPattern; template: PatternTemplate } | undefined> {
  const lang = catalogueLanguage();
  let pattern = target ? findPattern(target.patternId) : undefined;
  if (!pattern) {
    const picked = await vscode.window.showQuickPick(
      PATTERNS.map((p) => ({ label: p.title[lang], description: p.id, detail: patternGroupLabel(p, lang), pattern: p })),
      {
        title: vscode.l10n.t('New .prompt from pattern'),
        placeHolder: vscode.l10n.t('Choose a prompt pattern'),
        matchOnDescription: true,
        matchOnDetail: true,
      },
    );
    if (!picked) return undefined;
    pattern = picked.pattern;
  }
  if (target?.templateId) return { pattern, template: findTemplate(pattern, target.templateId) };
  if (pattern.templates.length === 1) return { pattern, template: pattern.templates[0]! };
  const chosen = await vscode.window.showQuickPick(
    pattern.templates.map((t) => ({ label: t.label[lang], description: t.id, template: t })),
    { title: pattern.title[lang], placeHolder: vscode.l10n.t('Choose a template') },
  );
  return chosen ? { pattern, template: chosen.template } : undefined;
}

/** Opens a new untitled `.prompt` with the template and its example inputs as `input.default`. */
export async function newFileFromPattern(target: PatternTarget | undefined): Promise<vscode.TextEditor | undefined> {
  const resolved = await resolveTarget(target);
  if (!resolved) return undefined;
  const content = composePromptFile(resolved.pattern, resolved.template, { lang: catalogueLanguage() });
  const document = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content });
  return vscode.window.showTextDocument(document);
}

/**
 * Inserts a template as a snippet. An empty editor (or none) gets the whole file; an editor that
 * already has content gets the template body at the cursor, so its own frontmatter stays intact.
 */
export async function insertPattern(target: PatternTarget | undefined): Promise<void> {
  const resolved = await resolveTarget(target);
  if (!resolved) return;
  let editor = vscode.window.activeTextEditor;
  if (!editor) {
    const document = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: '' });
    editor = await vscode.window.showTextDocument(document);
  }
  const empty = editor.document.getText().trim().length === 0;
  const body = empty
    ? snippetBodyFor(composePromptFile(resolved.pattern, resolved.template, { lang: catalogueLanguage() }))
    : snippetBodyFor(resolved.template.body);
  const inserted = await editor.insertSnippet(new vscode.SnippetString(body.join('\n')));
  if (inserted && !empty) {
    const names = Object.keys(resolved.template.schema).join(', ');
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Inserted the template body. It reads these inputs: {0}. Declare them in input.schema if your file does not yet.',
        names,
      ),
    );
  }
}

/** Creates the file with its example and runs it (or shows what it renders to without the run panel). */
export async function runWithExample(target: PatternTarget | undefined): Promise<void> {
  const editor = await newFileFromPattern(target);
  if (!editor) return;
  await runOrRender(editor.document.uri);
}

async function runOrRender(uri: vscode.Uri): Promise<void> {
  const commands = await vscode.commands.getCommands(true);
  await vscode.commands.executeCommand(commands.includes(RUN_COMMAND) ? RUN_COMMAND : RENDER_COMMAND, uri);
}

const SAMPLE_NAME = /^[\w-]+\.prompt$/;

/**
 * Opens a sample from the extension's samples/patterns folder beside the walkthrough. When the
 * workspace is the samples folder itself (as `npm start` serves it) the workspace's file opens;
 * otherwise an untitled copy, so nothing is written into the user's folders behind their back
 * (they can save it where they like). `then` names a command to run on it afterwards, falling
 * back to the rendered view when that command is not installed.
 */
export async function openSample(extensionUri: vscode.Uri, name: unknown, then?: unknown): Promise<void> {
  if (typeof name !== 'string' || !SAMPLE_NAME.test(name)) throw new Error(vscode.l10n.t('Unknown sample "{0}".', String(name)));
  const source = vscode.Uri.joinPath(extensionUri, 'samples', 'patterns', name);
  const content = new TextDecoder().decode(await vscode.workspace.fs.readFile(source));
  const inWorkspace = await workspaceCopyOf(name);
  const document = inWorkspace
    ? await vscode.workspace.openTextDocument(inWorkspace)
    : await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content });
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  if (typeof then === 'string' && then.startsWith('promptscope.')) {
    const commands = await vscode.commands.getCommands(true);
    await vscode.commands.executeCommand(commands.includes(then) ? then : RENDER_COMMAND, document.uri);
  }
}

/** The workspace's own `patterns/<name>` when the workspace is a copy of the samples. */
async function workspaceCopyOf(name: string): Promise<vscode.Uri | undefined> {
  const samples = await samplesFolder();
  if (!samples) return undefined;
  const candidate = vscode.Uri.joinPath(samples.folder.uri, 'patterns', name);
  return (await vscode.workspace.fs.stat(candidate).then(
    () => true,
    () => false,
  ))
    ? candidate
    : undefined;
}
