import * as vscode from 'vscode';
import { CLUSTER_TITLES, FAMILIES, FAMILY_TITLES, patternsInCluster, patternsInFamily } from '../../core/patterns/catalogue';
import { FORM_LABELS } from '../../core/patterns/markdown';
import { FLAN_CLUSTERS, type FlanCluster, type PatternFamily, type PatternTemplate, type PromptPattern } from '../../core/patterns/types';
import { PATTERN_COMMANDS, type PatternTarget } from './actions';
import { catalogueLanguage } from './lang';

export type PatternNode =
  | { kind: 'family'; family: PatternFamily }
  | { kind: 'cluster'; cluster: FlanCluster }
  | ({ kind: 'pattern'; pattern: PromptPattern } & PatternTarget)
  | ({ kind: 'template'; pattern: PromptPattern; template: PatternTemplate } & PatternTarget);

const FAMILY_ICONS: Record<PatternFamily, string> = { flan: 'list-unordered', reasoning: 'lightbulb', structure: 'symbol-structure' };

/** The Prompt Patterns view: families, FLAN's clusters, patterns and their templates. */
export class PatternTreeProvider implements vscode.TreeDataProvider<PatternNode> {
  getChildren(node?: PatternNode): PatternNode[] {
    if (!node) return FAMILIES.map((family) => ({ kind: 'family', family }));
    switch (node.kind) {
      case 'family':
        if (node.family !== 'flan') return patternsInFamily(node.family).map(patternNode);
        // A cluster with a single pattern is shown as that pattern: one level less to open.
        return FLAN_CLUSTERS.flatMap((cluster): PatternNode[] => {
          const members = patternsInCluster(cluster);
          if (members.length === 0) return [];
          return members.length === 1 ? [patternNode(members[0]!)] : [{ kind: 'cluster', cluster }];
        });
      case 'cluster':
        return patternsInCluster(node.cluster).map(patternNode);
      case 'pattern':
        return node.pattern.templates.map((template) => ({
          kind: 'template',
          pattern: node.pattern,
          template,
          patternId: node.pattern.id,
          templateId: template.id,
        }));
      case 'template':
        return [];
    }
  }

  getTreeItem(node: PatternNode): vscode.TreeItem {
    const lang = catalogueLanguage();
    switch (node.kind) {
      case 'family': {
        const item = new vscode.TreeItem(FAMILY_TITLES[node.family][lang], vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon(FAMILY_ICONS[node.family]);
        item.contextValue = 'patternFamily';
        return item;
      }
      case 'cluster': {
        const item = new vscode.TreeItem(CLUSTER_TITLES[node.cluster][lang], vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon('folder-library');
        item.description = patternsInCluster(node.cluster)
          .flatMap((p) => p.datasets)
          .slice(0, 4)
          .join(', ');
        item.contextValue = 'patternCluster';
        return item;
      }
      case 'pattern': {
        const item = new vscode.TreeItem(node.pattern.title[lang], vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `pattern:${node.pattern.id}`;
        // FLAN entries show their datasets, the others the id used in `promptscope.pattern`.
        item.description = node.pattern.cluster ? node.pattern.datasets.slice(0, 4).join(', ') : node.pattern.id;
        item.tooltip = new vscode.MarkdownString(
          `**${node.pattern.title[lang]}** \`${node.pattern.id}\`\n\n${node.pattern.explanation.what[lang]}`,
        );
        item.iconPath = new vscode.ThemeIcon('book');
        item.contextValue = 'pattern';
        item.command = {
          command: PATTERN_COMMANDS.explain,
          title: vscode.l10n.t('Explain Pattern'),
          arguments: [{ patternId: node.pattern.id }],
        };
        return item;
      }
      case 'template': {
        const item = new vscode.TreeItem(node.template.label[lang], vscode.TreeItemCollapsibleState.None);
        item.id = `template:${node.pattern.id}/${node.template.id}`;
        item.description = FORM_LABELS[node.template.form][lang];
        item.iconPath = new vscode.ThemeIcon('file-code');
        item.contextValue = 'patternTemplate';
        item.command = {
          command: PATTERN_COMMANDS.explain,
          title: vscode.l10n.t('Explain Pattern'),
          arguments: [{ patternId: node.pattern.id, templateId: node.template.id }],
        };
        return item;
      }
    }
  }
}

function patternNode(pattern: PromptPattern): PatternNode {
  return { kind: 'pattern', pattern, patternId: pattern.id };
}
