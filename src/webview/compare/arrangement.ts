import type { UiState } from './grid';

/** How narrow and how wide a column may be dragged (px). */
const MIN_WIDTH = 160;
const MAX_WIDTH = 2400;

/**
 * The user's arrangement of columns as plain data: order (columns the saved order does not know
 * yet go last), which are hidden, and widths. The grid places its items from these.
 */
export function columnOrder(ui: Pick<UiState, 'order'>, known: readonly string[]): string[] {
  return [...ui.order.filter((id) => known.includes(id)), ...known.filter((id) => !ui.order.includes(id))];
}

/** Visible columns in display order. */
export function visibleColumns(ui: Pick<UiState, 'order' | 'hidden'>, known: readonly string[]): string[] {
  return columnOrder(ui, known).filter((id) => !ui.hidden.includes(id));
}

/** Swaps a column with its visible neighbour (`by` −1 or +1); false when there is none. */
export function moveColumn(ui: Pick<UiState, 'order' | 'hidden'>, known: readonly string[], column: string, by: number): boolean {
  const order = columnOrder(ui, known);
  const visible = visibleColumns(ui, known);
  const at = visible.indexOf(column);
  const swap = visible[at + by];
  if (at < 0 || swap === undefined) return false;
  const i = order.indexOf(column);
  const j = order.indexOf(swap);
  [order[i], order[j]] = [order[j]!, order[i]!];
  ui.order = order;
  return true;
}

/** Puts a dragged column before (or after) the one it was dropped on. */
export function dropColumn(ui: Pick<UiState, 'order'>, known: readonly string[], dragged: string, onto: string, after: boolean): void {
  const order = columnOrder(ui, known).filter((id) => id !== dragged);
  order.splice(order.indexOf(onto) + (after ? 1 : 0), 0, dragged);
  ui.order = order;
}

export function setColumnWidth(ui: Pick<UiState, 'widths'>, column: string, width: number): void {
  ui.widths[column] = Math.round(Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, width)));
}

/** The grid's column tracks: the row heads, then each visible column at its width (or a share of the room). */
export function gridTracks(ui: Pick<UiState, 'widths'>, visible: readonly string[]): string {
  return [
    'clamp(120px, 16vw, 200px)',
    ...visible.map((id) => (ui.widths[id] !== undefined ? `${ui.widths[id]}px` : 'minmax(280px, 1fr)')),
  ].join(' ');
}

/**
 * Follows a resize handle dragged with the pointer: the column takes the new width once a frame
 * while dragging, and is saved when the drag ends.
 */
export function followResize(event: PointerEvent, width: number, resize: (width: number, save: boolean) => void): void {
  const handle = event.currentTarget as HTMLElement;
  const start = event.clientX;
  handle.setPointerCapture(event.pointerId);
  event.preventDefault();
  let frame = 0;
  let latest = width;
  let moved = false;
  const move = (e: PointerEvent): void => {
    latest = width + e.clientX - start;
    moved = true;
    if (frame !== 0) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      resize(latest, false);
    });
  };
  const end = (): void => {
    handle.removeEventListener('pointermove', move);
    handle.removeEventListener('pointerup', end);
    handle.removeEventListener('pointercancel', end);
    if (frame !== 0) cancelAnimationFrame(frame);
    // A click on the handle without a drag leaves the column's width alone.
    if (moved) resize(latest, true);
  };
  handle.addEventListener('pointermove', move);
  handle.addEventListener('pointerup', end);
  handle.addEventListener('pointercancel', end);
}
