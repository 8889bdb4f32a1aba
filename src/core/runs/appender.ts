/**
 * Appends lines to a file as they come. Lines are encoded straight into reusable 256 KB blocks
 * (so the per-token strings die young and the garbage collector stays cheap), and whatever
 * piled up while the previous write was in flight goes out in one write. Under load that
 * batches; when idle each line is written at once, so a crash loses at most the write in flight.
 */
import type { FileHandle } from 'node:fs/promises';

const BLOCK_BYTES = 256 * 1024;

export class LineAppender {
  private block = Buffer.allocUnsafe(BLOCK_BYTES);
  /** End of the encoded bytes in `block`. */
  private used = 0;
  /** Start of the bytes in `block` not yet handed to a write. */
  private unsent = 0;
  /** Filled segments waiting for the write in flight to finish. */
  private waiting: Buffer[] = [];
  private pumping: Promise<void> | undefined;
  private failure: Error | undefined;

  constructor(private readonly handle: FileHandle) {}

  /** The first write error, if any; later lines are dropped once writing failed. */
  get error(): Error | undefined {
    return this.failure;
  }

  append(line: string): void {
    if (this.failure !== undefined) return;
    // Worst case 3 bytes per UTF-16 unit; most lines fit without measuring.
    if (line.length * 3 > this.block.length - this.used) this.nextBlock(Buffer.byteLength(line));
    this.used += this.block.write(line, this.used);
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

  /** Retires the current block (its unsent bytes wait for the pump) and starts one that fits `bytes`. */
  private nextBlock(bytes: number): void {
    if (this.used > this.unsent) this.waiting.push(this.block.subarray(this.unsent, this.used));
    this.block = Buffer.allocUnsafe(Math.max(BLOCK_BYTES, bytes));
    this.used = 0;
    this.unsent = 0;
  }

  /** Everything encoded but not yet handed to a write. */
  private takeUnsent(): Buffer[] {
    const segments = this.waiting;
    this.waiting = [];
    if (this.used > this.unsent) {
      segments.push(this.block.subarray(this.unsent, this.used));
      this.unsent = this.used;
    }
    return segments;
  }

  private async pump(): Promise<void> {
    try {
      for (let segments = this.takeUnsent(); segments.length > 0; segments = this.takeUnsent()) {
        await this.handle.writev(segments);
      }
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      this.waiting = [];
    } finally {
      this.pumping = undefined;
    }
  }
}
