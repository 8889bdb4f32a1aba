export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface Placement {
  left: number;
  top: number;
  /** The most the card may be tall there (it scrolls inside beyond that). */
  maxHeight: number;
  /** Below or above its anchor. */
  side: 'below' | 'above';
  /** Whether the card starts at the anchor's left edge or, flipped sideways, ends at its right edge. */
  align: 'start' | 'end';
}

/** Space kept between the card, its anchor and the viewport's edges. */
const GAP = 4;
const MARGIN = 8;

/**
 * Where a card of `width` × `height` goes next to `anchor` so that it stays inside a viewport of
 * `viewportWidth` × `viewportHeight` (all in viewport pixels) and never covers the anchor's line:
 * below the anchor when it fits, else above when it fits there, else on the roomier side with its
 * height limited to that room. Sideways it starts at the anchor's left edge; when that would cross
 * the right edge it flips to end at the anchor's right edge, and is pinned inside either way.
 */
export function placeCard(anchor: Box, width: number, height: number, viewportWidth: number, viewportHeight: number): Placement {
  const roomBelow = Math.max(0, viewportHeight - MARGIN - (anchor.bottom + GAP));
  const roomAbove = Math.max(0, anchor.top - GAP - MARGIN);
  const side = height <= roomBelow ? 'below' : height <= roomAbove ? 'above' : roomAbove > roomBelow ? 'above' : 'below';
  const maxHeight = side === 'below' ? roomBelow : roomAbove;
  const top = side === 'below' ? anchor.bottom + GAP : anchor.top - GAP - Math.min(height, maxHeight);
  let left = anchor.left;
  let align: Placement['align'] = 'start';
  if (left + width > viewportWidth - MARGIN) {
    left = anchor.right - width;
    align = 'end';
  }
  left = Math.max(MARGIN, Math.min(left, viewportWidth - width - MARGIN));
  return { left, top, maxHeight, side, align };
}
