/** Something the frame scheduler renders a piece of at a time. */
export interface Renderable {
  /** Reads layout (scroll positions) before anything is written this frame. */
  measure(): void;
  /** Renders until `deadline` (performance.now()) or `budget` items; true when nothing is left. */
  render(deadline: number, budget: number): boolean;
  /** Writes that need the new layout (following the output). */
  settle(): void;
}

/**
 * Renders token chips in the browser's animation frames within a budget of time and of chips
 * (each chip also costs style, layout and paint after the script), so a burst of tokens in many
 * columns never becomes one long task: what does not fit is carried over to the next frame.
 * Each renderable gets a fair share of the frame.
 */
export class FrameScheduler {
  private readonly dirty = new Set<Renderable>();
  private frame = 0;

  constructor(
    private readonly budgetMs = 6,
    private readonly chipsPerFrame = 800,
  ) {}

  request(item: Renderable): void {
    this.dirty.add(item);
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.run());
  }

  get pending(): number {
    return this.dirty.size;
  }

  private run(): void {
    this.frame = 0;
    const items = [...this.dirty];
    this.dirty.clear();
    for (const item of items) item.measure();
    const end = performance.now() + this.budgetMs;
    const share = Math.max(64, Math.floor(this.chipsPerFrame / items.length));
    items.forEach((item, k) => {
      const now = performance.now();
      const slice = now + Math.max(0.5, (end - now) / (items.length - k));
      if (!item.render(slice, share)) this.dirty.add(item);
    });
    for (const item of items) item.settle();
    if (this.dirty.size > 0) this.frame = requestAnimationFrame(() => this.run());
  }
}
