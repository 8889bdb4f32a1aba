import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FAMILIES, findPattern, PATTERNS } from '../../src/core/patterns/catalogue';
import { composePromptFile, findTemplate } from '../../src/core/patterns/compose';
import { PatternTreeProvider, type PatternNode } from '../../src/host/patterns/tree';
import { EXTENSION_ID, PAGE_CHANNEL, pageSide, waitFor } from './helpers';

interface Manifest {
  l10n?: string;
  contributes: {
    viewsContainers: { activitybar: { id: string }[] };
    views: Record<string, { id: string }[]>;
    walkthroughs: { id: string; steps: { id: string; title: string; description: string; media: { markdown?: string } }[] }[];
  };
}

/** Asks the page side to look at the workbench; `fn` travels as source text. */
function inWorkbench<T>(op: string, fn: (arg: never) => unknown, arg: unknown, extra: Record<string, unknown> = {}): Promise<T> {
  return pageSide<T>(op, { fn: fn.toString(), arg, timeoutMs: 30_000, ...extra });
}

/** Labels of the rows at `level` in the tree of the side bar, once they include every one of `expected`. */
function treeRowsInclude(arg: { expected: string[]; level: number }): string[] | undefined {
  const rows = [...document.querySelectorAll(`.monaco-list-row[aria-level="${arg.level}"]`)];
  const labels = rows.map((r) => (r.querySelector('.label-name')?.textContent ?? r.getAttribute('aria-label') ?? '').trim());
  return arg.expected.every((e) => labels.includes(e)) ? labels : undefined;
}

const extension = (): vscode.Extension<unknown> => vscode.extensions.getExtension(EXTENSION_ID)!;
const manifest = (): Manifest => extension().packageJSON as Manifest;
const readJson = async (...segments: string[]): Promise<Record<string, unknown>> =>
  JSON.parse(
    new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension().extensionUri, ...segments))),
  ) as Record<string, unknown>;

/** Every node of a tree, depth first. */
function walk(provider: PatternTreeProvider, node?: PatternNode): PatternNode[] {
  return provider.getChildren(node).flatMap((child) => [child, ...walk(provider, child)]);
}

suite('prompt patterns in the editor', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension('promptscope.promptscope')!;
    await ext.activate();
  });

  test('commands are registered and the view can be focused', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['explain', 'insert', 'newFile', 'runExample', 'openSample'])
      assert.ok(commands.includes(`promptscope.patterns.${c}`), c);
    await vscode.commands.executeCommand('promptscope.patterns.focus');
  });

  test('new file from pattern', async () => {
    await vscode.commands.executeCommand('promptscope.patterns.newFile', { patternId: 'flan-nli', templateId: 'options' });
    const editor = await waitFor(
      () => vscode.window.activeTextEditor?.document.getText().includes('OPTIONS:') && vscode.window.activeTextEditor,
      { message: 'editor' },
    );
    const p = findPattern('flan-nli')!;
    assert.equal(editor.document.getText(), composePromptFile(p, findTemplate(p, 'options')));
    assert.equal(editor.document.languageId, 'dotprompt');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('insert into an empty editor expands the snippet', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'dotprompt', content: '' });
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('promptscope.patterns.insert', { patternId: 'self-consistency', templateId: 'few-shot' });
    const p = findPattern('self-consistency')!;
    const expected = composePromptFile(p, findTemplate(p, 'few-shot')).replace(/\n$/, '');
    await waitFor(() => doc.getText().length > 0, { message: 'insert' });
    assert.equal(doc.getText().replace(/\n$/, ''), expected);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('explanation page opens', async () => {
    await vscode.commands.executeCommand('promptscope.patterns.explain', { patternId: 'flan-nli' });
    await waitFor(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Natural language inference'), {
      message: 'tab',
    });
  });

  test('hover over the pattern field', async () => {
    const p = findPattern('few-shot-cot')!;
    const doc = await vscode.workspace.openTextDocument({ language: 'dotprompt', content: composePromptFile(p, p.templates[0]!) });
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(1, 24));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Few-shot chain of thought/);
    assert.match(text, /command:promptscope\.patterns\.explain/);
  });

  test('open sample from the walkthrough: beside the active editor, untitled, nothing copied into the workspace', async () => {
    const before = await vscode.workspace.findFiles('**/*.prompt');
    const column = vscode.window.activeTextEditor?.viewColumn ?? vscode.ViewColumn.One;
    await vscode.commands.executeCommand('promptscope.patterns.openSample', '01-zero-shot.prompt');
    const editor = await waitFor(
      () => vscode.window.activeTextEditor?.document.getText().includes('flan-sentiment') && vscode.window.activeTextEditor,
      { message: 'sample' },
    );
    assert.equal(editor.document.isUntitled, true, 'a workspace that is not the samples gets an untitled copy');
    assert.equal(editor.document.languageId, 'dotprompt');
    assert.ok((editor.viewColumn ?? 0) > column, `opened beside (column ${editor.viewColumn}, was ${column})`);
    const after = await vscode.workspace.findFiles('**/*.prompt');
    assert.deepEqual(after.map((u) => u.path).sort(), before.map((u) => u.path).sort(), 'no file was written into the workspace');
  });

  test('the walkthrough opens on its six steps, and each step shows its Markdown', async function () {
    if (!PAGE_CHANNEL) this.skip(); // only the code-server harness can look at the workbench's DOM
    this.timeout(180_000); // six steps, each waiting for its Markdown to render
    const walkthrough = manifest().contributes.walkthroughs.find((w) => w.id === 'learnPromptPatterns')!;
    const nls = await readJson('package.nls.json');
    const text = (value: string): string => String(nls[/^%(.+)%$/.exec(value)?.[1] ?? ''] ?? value);
    const titles = walkthrough.steps.map((step) => text(step.title));
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#learnPromptPatterns`, false);
    await inWorkbench(
      'workbenchWaitFor',
      ((expected: string[]) => {
        const shown = [...document.querySelectorAll('.getting-started-step .step-title')].map((e) => (e.textContent ?? '').trim());
        return expected.every((t) => shown.includes(t)) ? shown : undefined;
      }) as (arg: never) => unknown,
      titles,
    );
    for (const [i, step] of walkthrough.steps.entries()) {
      // The first step opens selected; the others are selected as a person would, by a click.
      if (i > 0)
        await inWorkbench('workbenchClick', () => undefined, null, {
          selector: `button.getting-started-step:has(.step-title:text-is(${JSON.stringify(titles[i])}))`,
        });
      const markdown = new TextDecoder().decode(
        await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension().extensionUri, step.media.markdown!)),
      );
      const heading = /^# (.+)$/m.exec(markdown)?.[1]?.trim();
      assert.ok(heading, `${step.media.markdown} starts with a heading`);
      await inWorkbench(
        'frameWaitFor',
        ((h: string) => [...document.querySelectorAll('h1')].some((e) => (e.textContent ?? '').trim() === h)) as (arg: never) => unknown,
        heading,
      );
    }
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('pattern snippets are offered in an empty file, and nowhere else', async () => {
    const labelsAt = async (content: string, position: vscode.Position): Promise<string[]> => {
      const doc = await vscode.workspace.openTextDocument({ language: 'dotprompt', content });
      await vscode.window.showTextDocument(doc);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, position);
      return list.items
        .filter((i) => i.kind === vscode.CompletionItemKind.Snippet)
        .map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    };
    const empty = await labelsAt('flan-nli', new vscode.Position(0, 8));
    assert.ok(
      empty.some((l) => l.startsWith('flan-nli-')),
      empty.slice(0, 20).join(','),
    );
    const inBody = await labelsAt('---\nmodel: ollama/x\n---\nClassify this.\nflan-nli', new vscode.Position(4, 8));
    assert.deepEqual(
      inBody.filter((l) => l.startsWith('flan-')),
      [],
    );
    // Closed at the end: a closed untitled document's name is given to the next one.
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the Prompt Patterns view is contributed in its own container and lists every pattern', async () => {
    const m = manifest();
    assert.ok(m.contributes.viewsContainers.activitybar.some((c) => c.id === 'promptscope-patterns'));
    assert.deepEqual(
      m.contributes.views['promptscope-patterns']?.map((v) => v.id),
      ['promptscope.patterns'],
    );
    await vscode.commands.executeCommand('promptscope.patterns.focus');

    // What the tree should hold, from the catalogue; the view itself is checked below.
    const provider = new PatternTreeProvider();
    assert.equal(provider.getChildren().length, FAMILIES.length, 'one root per family');
    const nodes = walk(provider);
    const listed = nodes.filter((n) => n.kind === 'pattern').map((n) => (n.kind === 'pattern' ? n.pattern.id : ''));
    assert.deepEqual([...listed].sort(), PATTERNS.map((p) => p.id).sort(), 'every pattern appears once');
    const templates = nodes.filter((n) => n.kind === 'template').length;
    assert.equal(
      templates,
      PATTERNS.reduce((sum, p) => sum + p.templates.length, 0),
      'every template appears once',
    );
    const commands = await vscode.commands.getCommands(true);
    for (const node of nodes) {
      const item = provider.getTreeItem(node);
      assert.ok(typeof item.label === 'string' && item.label.trim() !== '', `${node.kind} has a label`);
      if (node.kind === 'pattern' || node.kind === 'template') {
        assert.equal(item.command?.command, 'promptscope.patterns.explain');
        assert.ok(commands.includes(item.command.command));
      }
    }
    if (!PAGE_CHANNEL) return; // only the code-server harness can look at the workbench's DOM
    // The view on screen, filled by the provider the extension registered: every family is a row.
    const families = provider.getChildren().map((root) => String(provider.getTreeItem(root).label));
    await inWorkbench('workbenchWaitFor', treeRowsInclude as (arg: never) => unknown, { expected: families, level: 1 });
  });

  test('the walkthrough is registered: six steps, each linking commands the extension registers and samples it ships', async () => {
    const walkthrough = manifest().contributes.walkthroughs.find((w) => w.id === 'learnPromptPatterns');
    assert.ok(walkthrough, 'learnPromptPatterns is contributed');
    assert.deepEqual(
      walkthrough.steps.map((s) => s.id),
      ['zeroShot', 'fewShot', 'options', 'chainOfThought', 'selfConsistency', 'compareModels'],
    );
    const nls = await readJson('package.nls.json');
    const commands = await vscode.commands.getCommands(true);
    for (const step of walkthrough.steps) {
      // The host may hand us the manifest with %keys% or with their English text.
      const key = /^%(.+)%$/.exec(step.description)?.[1];
      const description = key ? String(nls[key]) : step.description;
      const links = [...description.matchAll(/\(command:([\w.]+)(?:\?([^)]*))?\)/g)];
      assert.ok(links.length > 0, `${step.id} links a command`);
      for (const [, command, query] of links) {
        assert.ok(commands.includes(command!), `${step.id}: ${command} is registered`);
        if (!query) continue;
        const [sample, then] = JSON.parse(decodeURIComponent(query)) as [string, string?];
        await vscode.workspace.fs.stat(vscode.Uri.joinPath(extension().extensionUri, 'samples', 'patterns', sample));
        if (then) assert.ok(commands.includes(then), `${step.id}: then-command ${then} is registered`);
      }
      assert.ok(step.media.markdown, `${step.id} has Markdown`);
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(extension().extensionUri, step.media.markdown));
    }
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#learnPromptPatterns`, false);
  });

  test('the zh-cn l10n bundle and manifest strings are where VS Code loads them for that locale', async () => {
    // The display language cannot be switched offline here; test/unit/l10n.test.ts checks that
    // every message and key is translated. This checks the installed extension ships them where
    // VS Code looks: <l10n folder>/bundle.l10n.zh-cn.json and package.nls.zh-cn.json.
    const folder = manifest().l10n;
    assert.equal(folder, './l10n');
    const bundle = await readJson(folder, 'bundle.l10n.zh-cn.json');
    assert.equal(bundle['Explain Pattern'], '解释模式');
    assert.ok(
      Object.values(bundle).every((v) => typeof v === 'string'),
      'a flat map of strings',
    );
    const nls = await readJson('package.nls.zh-cn.json');
    assert.equal(typeof nls['view.patterns'], 'string');
    const language = vscode.env.language.toLowerCase();
    if (language === 'zh-cn') assert.equal(vscode.l10n.t('Explain Pattern'), '解释模式');
    else assert.equal(vscode.l10n.t('Explain Pattern'), 'Explain Pattern', `display language ${language}`);
  });
});
