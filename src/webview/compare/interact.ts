import type { Grid, GridContext } from './grid';
import { programmaticScroll } from './strip';

/**
 * Pointer, keyboard and scroll behaviour of the grid: synchronized scrolling of the same case
 * and sample across columns, the token card on hover or focus, arrow keys between chips.
 */
export function wireGridEvents(grid: Grid, ctx: GridContext): void {
  const element = grid.element;
  element.addEventListener('scroll', (e) => {
    const body = e.target as HTMLElement;
    if (!body.classList?.contains('cell-body')) return;
    if (programmaticScroll.has(body)) {
      programmaticScroll.delete(body);
      return;
    }
    ctx.popover.hide();
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
  }, true);

  const onToken = (e: Event): void => {
    const target = e.target as HTMLElement;
    if (!target.classList?.contains('tok')) {
      if (e.type === 'mouseover' && ctx.popover.visible) ctx.popover.hide();
      return;
    }
    const data = grid.cells.get(target.closest<HTMLElement>('.sample')?.dataset['cell'] ?? '');
    const index = Number(target.dataset['i']);
    if (data === undefined || !(index >= 0 && index < data.tokens.length)) return;
    const t = data.tokens;
    const logprob = t.logprob(index);
    ctx.popover.show(target, { text: t.text[index]!, ms: t.ms(index), thinking: t.thinking(index), ...(logprob !== undefined ? { logprob } : {}), ...(index > 0 ? { previousMs: t.ms(index - 1) } : {}) }, grid.columnLabel(data.state.column));
    if (logprob !== undefined) {
      ctx.tokenDetails(data.state.id, index).then((token) => {
        if (token) ctx.popover.showDetails(target, token);
      }, () => undefined);
    }
  };
  element.addEventListener('mouseover', onToken);
  element.addEventListener('focusin', onToken);

  element.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement;
    if (!target.classList.contains('tok')) return;
    const step = (forward: boolean): HTMLElement | null => {
      const sibling = forward ? target.nextElementSibling : target.previousElementSibling;
      if (sibling) return sibling as HTMLElement;
      const chunk = forward ? target.parentElement?.nextElementSibling : target.parentElement?.previousElementSibling;
      return ((forward ? chunk?.firstElementChild : chunk?.lastElementChild) ?? null) as HTMLElement | null;
    };
    let next: HTMLElement | null = null;
    if (e.key === 'ArrowRight') next = step(true);
    else if (e.key === 'ArrowLeft') next = step(false);
    else if (e.key === 'Escape') ctx.popover.hide();
    if (next) {
      e.preventDefault();
      target.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
  });
}
