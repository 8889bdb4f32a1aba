/**
 * Keyboard movement between token chips (`.tok`), which sit in blocks (`.chunk`) inside a strip:
 * arrows step across blocks, Home and End go to the strip's ends. One chip of a strip is in the
 * tab order at a time (a roving tabindex).
 */
export function neighbourChip(chip: HTMLElement, key: string): HTMLElement | undefined {
  const strip = chip.closest('.strip');
  let found: Element | null | undefined;
  if (key === 'ArrowRight') found = chip.nextElementSibling ?? chip.parentElement?.nextElementSibling?.firstElementChild;
  else if (key === 'ArrowLeft') found = chip.previousElementSibling ?? chip.parentElement?.previousElementSibling?.lastElementChild;
  else if (key === 'Home') found = strip?.firstElementChild?.firstElementChild;
  else if (key === 'End') found = strip?.lastElementChild?.lastElementChild;
  return found instanceof HTMLElement && found.classList.contains('tok') ? found : undefined;
}

/** Moves the focus for a navigation key; true when the key was used. */
export function moveChipFocus(event: KeyboardEvent): boolean {
  const chip = event.target;
  if (!(chip instanceof HTMLElement) || !chip.classList.contains('tok')) return false;
  const next = neighbourChip(chip, event.key);
  if (!next) return false;
  event.preventDefault();
  chip.tabIndex = -1;
  next.tabIndex = 0;
  next.focus();
  return true;
}
