export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface Placement {
  left: number;
  top: number;
  /** Where the card sits relative to its anchor. */
  side: 'below' | 'above' | 'right' | 'left';
}

/** Space kept between the card, its anchor and the viewport's edges. */
const GAP = 4;
const MARGIN = 8;

/**
 * Where a card of `width` × `height` goes next to `anchor` so that it stays inside a viewport
 * of `viewportWidth` × `viewportHeight` (all in viewport pixels): below the anchor when it fits,
 * else above, else beside it (right, then left), else below and pinned inside. Horizontally it
 * starts at the anchor's left edge and is pushed back in from the right edge.
 */
export function placeCard(anchor: Box, width: number, height: number, viewportWidth: number, viewportHeight: number): Placement {
  const maxLeft = Math.max(MARGIN, viewportWidth - width - MARGIN);
  const maxTop = Math.max(MARGIN, viewportHeight - height - MARGIN);
  const left = Math.max(MARGIN, Math.min(anchor.left, maxLeft));
  const below = anchor.bottom + GAP;
  if (below + height <= viewportHeight - MARGIN) return { left, top: below, side: 'below' };
  const above = anchor.top - GAP - height;
  if (above >= MARGIN) return { left, top: above, side: 'above' };
  // Neither above nor below: beside the anchor, as high as it fits.
  const top = Math.max(MARGIN, Math.min(anchor.top, maxTop));
  if (anchor.right + GAP + width <= viewportWidth - MARGIN) return { left: anchor.right + GAP, top, side: 'right' };
  if (anchor.left - GAP - width >= MARGIN) return { left: anchor.left - GAP - width, top, side: 'left' };
  return { left, top: Math.min(below, maxTop), side: 'below' };
}
