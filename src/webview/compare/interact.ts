import { hexOfBytes } from '../common/format';
import { t } from '../common/l10n';
import { probabilityFacts, timeFact } from '../common/words';
import { moveChipFocus } from '../common/keys';
import type { CardFact } from '../common/popover';
import type { Grid, GridContext } from './grid';
import { programmaticScroll } from '../common/strip';

/**
 * Pointer, keyboard and scroll behaviour of the grid: synchronized scrolling of the same case
 * and sample across columns, the token card on hover or focus, arrow keys between chips.
 */
export function wireGridEvents(grid: Grid, ctx: GridContext): void {
  const element = grid.element;
  element.addEventListener(
    'scroll',
    (e) => {
      const body = e.target as HTMLElement;
      if (!body.classList?.contains('cell-body')) return;
      if (programmaticScroll.has(body)) {
        programmaticScroll.delete(body);
        return;
      }
      // The token card follows its token as the body scrolls and closes once the token is
      // scrolled out of sight (the card's own scroll listener): a 1 px nudge must not close it.
      const data = grid.cells.get(body.closest<HTMLElement>('.sample')?.dataset['cell'] ?? '');
      if (data === undefined) return;
      grid.sampleView(data.state.column, data.state.caseId, data.state.sample)?.userScrolled();
      if (!ctx.ui().sync) return;
      const range = body.scrollHeight - body.clientHeight;
      const ratio = range > 0 ? body.scrollTop / range : 0;
      for (const column of grid.visibleColumns()) {
        if (column === data.state.column) continue;
        const view = grid.sampleView(column, data.state.caseId, data.state.sample);
        if (view === undefined) continue;
        const other = view.body;
        const top = Math.round(ratio * (other.scrollHeight - other.clientHeight));
        if (Math.abs(other.scrollTop - top) < 1) continue;
        programmaticScroll.add(other);
        other.scrollTop = top;
        view.userScrolled();
      }
    },
    true,
  );

  const onToken = (e: Event): void => {
    const target = e.target as HTMLElement;
    if (e.type === 'focusin' && ctx.popover.returningFocus) return;
    if (!target.classList?.contains('tok')) {
      if (e.type === 'mouseover' && ctx.popover.visible) ctx.popover.hide();
      return;
    }
    const data = grid.cells.get(target.closest<HTMLElement>('.sample')?.dataset['cell'] ?? '');
    const index = Number(target.dataset['index']);
    if (data === undefined || !(index >= 0 && index < data.tokens.length)) return;
    const tokens = data.tokens;
    const logprob = tokens.logprob(index);
    const facts: CardFact[] = [...probabilityFacts(logprob), timeFact(tokens.ms(index), index > 0 ? tokens.ms(index - 1) : undefined)];
    if (tokens.thinking(index)) facts.push({ label: t('factChannel'), value: t('factReasoning') });
    ctx.popover.show(
      target,
      { text: tokens.text[index]!, source: grid.columnLabel(data.state.column), facts },
      logprob === undefined ? t('cardNoAlternatives') : t('cardPending'),
    );
    if (logprob !== undefined) {
      ctx.tokenDetails(data.state.id, index).then(
        (token) => {
          if (!token) return;
          ctx.popover.showAlternatives(target, {
            chosen: token.text,
            alternatives: token.top ?? [],
            ...(token.bytes ? { facts: [{ label: t('factBytes'), value: hexOfBytes(token.bytes) }] } : {}),
          });
        },
        (err: unknown) => console.warn('promptscope: no alternatives for a token', err),
      );
    }
  };
  element.addEventListener('mouseover', onToken);
  element.addEventListener('focusin', onToken);

  element.addEventListener('keydown', moveChipFocus);
}
