/**
 * Appends lines to a file as they come, coalescing whatever queued up while the previous write
 * was in flight into one write. Under load that batches; when idle each line is written at once,
 * so a crash loses at most the write in flight.
 */
import type { FileHandle } from 'node:fs/promises';

export class LineAppender {
  private queued: string[] = [];
  private pumping: Promise<void> | undefined;
  private failure: Error | undefined;

  constructor(private readonly handle: FileHandle) {}

  /** The first write error, if any; later lines are dropped once writing failed. */
  get error(): Error | undefined {
    return this.failure;
  }

  append(line: string): void {
    if (this.failure !== undefined) return;
    this.queued.push(line);
    this.pumping ??= this.pump();
  }

  /** Resolves when everything appended so far is written; rejects with the write error. */
  async flush(): Promise<void> {
    while (this.pumping !== undefined) await this.pumping;
    if (this.failure !== undefined) throw this.failure;
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.handle.close();
    }
  }

  private async pump(): Promise<void> {
    try {
      while (this.queued.length > 0) {
        const batch = this.queued.join('');
        this.queued = [];
        await this.handle.write(batch);
      }
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      this.queued = [];
    } finally {
      this.pumping = undefined;
    }
  }
}
