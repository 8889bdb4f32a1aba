import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { summarizeComparison, type ComparisonRecord } from '../../src/core/compare';
import { startCompareFake, type CompareFake } from '../fixtures/servers/compareScripts';
import { closeAllEditors, fixtureUri, PAGE_CHANNEL, pageSide, waitFor, waitForExtensionActive, workspaceRoot } from './helpers';

interface Outcome {
  id: string;
  record?: string;
  status: string;
  /** What the webview reported showing when the comparison had ended. */
  shown?: { columns: number; cells: number; tokens: number };
}

const FILES: Record<string, string> = {
  'compare-me.prompt': '---\nmodel: lab/echo\n---\nSay hello to the comparison panel.\n',
  'compare-me.casual.prompt': '---\nmodel: lab/echo\n---\nhello there, comparison panel\n',
  'compare-me.tests.jsonl':
    '{"name": "plain", "expect": {"contains": ["hello"]}}\n{"name": "strict", "expect": {"equals": "nothing like it"}}\n',
  'vote.prompt': '---\nmodel: lab/vote\n---\nWhat is six times seven?\n',
};

function compareTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('promptscope.compare'));
}

function readRecord(outcome: Outcome | undefined): ComparisonRecord {
  assert.ok(outcome, 'the command returned what it ran');
  assert.ok(outcome.record && existsSync(outcome.record), `the comparison was saved (${outcome.record ?? 'no path'})`);
  assert.equal(path.dirname(outcome.record), path.join(workspaceRoot().fsPath, '.promptscope', 'runs'));
  return JSON.parse(readFileSync(outcome.record, 'utf8')) as ComparisonRecord;
}

suite('compare against a loopback server with models of different behaviour', () => {
  let lab: CompareFake;

  suiteSetup(async () => {
    lab = await startCompareFake();
    for (const [name, text] of Object.entries(FILES)) writeFileSync(path.join(workspaceRoot().fsPath, name), text);
    await vscode.workspace
      .getConfiguration('promptscope')
      .update('endpoints', [{ name: 'lab', kind: 'ollama', url: lab.url }], vscode.ConfigurationTarget.Workspace);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixtureUri('compare-me.prompt')));
    await waitForExtensionActive();
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('promptscope').update('endpoints', undefined, vscode.ConfigurationTarget.Workspace);
    await closeAllEditors();
    await lab.close();
    for (const name of Object.keys(FILES)) rmSync(path.join(workspaceRoot().fsPath, name), { force: true });
  });

  test('two models on a prompt with test cases: both columns stream into a panel and are saved with their output', async () => {
    const before = compareTabs().length;
    const outcome = await vscode.commands.executeCommand<Outcome>('promptscope.compare', {
      uri: fixtureUri('compare-me.prompt'),
      models: ['lab/echo', 'lab/paced-5'],
      reportShown: true,
    });
    const record = readRecord(outcome);
    assert.equal(record.status, 'completed');
    assert.deepEqual(
      record.columns.map((c) => c.model),
      ['lab/echo', 'lab/paced-5'],
    );
    assert.deepEqual(
      record.cases.map((c) => c.id),
      ['plain', 'strict'],
    );
    for (const cell of record.cells) {
      assert.equal(cell.status, 'completed', `${cell.id}: ${cell.error?.message ?? ''}`);
      assert.equal(cell.content, 'Say hello to the comparison panel.');
      assert.ok(cell.runId, `${cell.id} was saved in the run history`);
      assert.ok(existsSync(path.join(workspaceRoot().fsPath, '.promptscope', 'runs', `${cell.runId}.jsonl`)));
    }
    const summary = summarizeComparison(record);
    assert.deepEqual(
      summary.columns.map((c) => `${c.casesPassed}/${c.casesChecked}`),
      ['1/2', '1/2'],
    );
    assert.equal(summary.columns[0]!.best.includes('tokensPerSecond'), true, 'the unpaced column is the faster one');
    await waitFor(() => compareTabs().length > before, { message: 'a comparison panel tab' });
    assert.match(compareTabs().at(-1)!.label, /compare-me\.prompt/);
    // The webview loaded under its CSP, took the snapshot and updates, and holds both columns' tokens.
    assert.deepEqual(outcome?.shown, { columns: 2, cells: 4, tokens: 24 });
  });

  test("from the picker: the frontmatter's model and the prompt's variants are preselected; accepting compares them", async () => {
    const running = vscode.commands.executeCommand<Outcome>('promptscope.compare', fixtureUri('compare-me.prompt'));
    let settled = false;
    void running.then(
      () => (settled = true),
      () => (settled = true),
    );
    // Accept the picker as a person pressing Enter would, as soon as it is there.
    await waitFor(
      async () => {
        if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return settled;
      },
      { interval: 100, timeout: 30_000, message: 'the picker to be accepted and the comparison to finish' },
    );
    const record = readRecord(await running);
    assert.deepEqual(record.models, ['lab/echo']);
    assert.deepEqual(
      record.variants.map((v) => v.id),
      ['compare-me', 'compare-me.casual'],
    );
    assert.equal(record.cells.length, 4);
  });

  test("the prompt's variants beside it become columns next to it (variants × models)", async () => {
    const outcome = await vscode.commands.executeCommand<Outcome>('promptscope.compare', {
      uri: fixtureUri('compare-me.prompt'),
      models: ['lab/echo', 'lab/paced-5'],
      variants: true,
      concurrency: 2,
      reportShown: true,
    });
    const record = readRecord(outcome);
    assert.deepEqual(
      record.columns.map((c) => `${c.variant} · ${c.model}`),
      ['compare-me · lab/echo', 'compare-me.casual · lab/echo', 'compare-me · lab/paced-5', 'compare-me.casual · lab/paced-5'],
    );
    const casual = record.cells.find((c) => c.variant === 'compare-me.casual' && c.caseId === 'plain')!;
    assert.equal(casual.content, 'hello there, comparison panel');
    assert.deepEqual(outcome?.shown, { columns: 4, cells: 8, tokens: 2 * 2 * 6 + 2 * 2 * 4 });
    // Under the code-server harness, a picture of the panel in the real workbench for people.
    if (PAGE_CHANNEL) await pageSide('screenshot', { name: 'integration-compare' });
  });

  test('5 samples of the vote model give the histogram: 42 ×3, 41 ×1, 43 ×1, agreement 60%, calibrated probabilities', async () => {
    const outcome = await vscode.commands.executeCommand<Outcome>('promptscope.compare', {
      uri: fixtureUri('vote.prompt'),
      models: ['lab/vote'],
      samples: 5,
      temperature: 0.8,
      seed: 0,
      reportShown: true,
    });
    const record = readRecord(outcome);
    assert.equal(record.samples, 5);
    assert.equal(record.cells.length, 5);
    assert.deepEqual(
      record.cells.map((c) => c.answer),
      ['42', '42', '41', '42', '43'],
    );
    const votes = summarizeComparison(record).votes[0]!.votes;
    assert.deepEqual(
      votes.buckets.map((b) => [b.answer, b.count]),
      [
        ['42', 3],
        ['41', 1],
        ['43', 1],
      ],
    );
    assert.equal(votes.majority, '42');
    assert.equal(votes.agreement, 0.6);
    assert.ok(Math.abs(votes.buckets[0]!.modelProbability! - 0.9) < 1e-6, `model probability of 42: ${votes.buckets[0]!.modelProbability}`);
    assert.ok(Math.abs(votes.buckets[1]!.modelProbability! - 0.06) < 1e-6);
    assert.deepEqual(outcome?.shown, { columns: 1, cells: 5, tokens: 45 });
  });

  test('a failing column and a missing model never stop the others; each keeps its error and partial output', async () => {
    const outcome = await vscode.commands.executeCommand<Outcome>('promptscope.compare', {
      uri: fixtureUri('vote.prompt'),
      models: ['lab/echo', 'lab/fail-2', 'lab/no-such-model'],
      concurrency: 3,
    });
    const record = readRecord(outcome);
    const [echo, fail, missing] = record.columns.map((c) => record.cells.find((cell) => cell.column === c.id)!);
    assert.equal(echo!.status, 'completed');
    assert.equal(echo!.content, 'What is six times seven?');
    assert.equal(fail!.status, 'error');
    assert.equal(fail!.content, 'What is');
    assert.equal(missing!.status, 'error');
    assert.equal(missing!.error?.kind, 'model-not-found');
  });

  test('a saved comparison reopens from its id', async () => {
    const outcome = await vscode.commands.executeCommand<Outcome>('promptscope.compare', {
      uri: fixtureUri('compare-me.prompt'),
      models: ['lab/echo'],
    });
    assert.equal(outcome?.shown, undefined, 'without reportShown the command does not wait for the webview');
    const before = compareTabs().length;
    const reopened = await vscode.commands.executeCommand<string>('promptscope.compare.open', outcome?.id);
    assert.equal(reopened, outcome?.id);
    await waitFor(() => compareTabs().length > before, { message: 'another comparison panel' });
  });
});
