/**
 * What panels and views own (subscriptions, timers, child objects) is registered with them and
 * disposed with them, once, in reverse order of registration. Only the `Disposable` type comes
 * from `vscode`, so the unit tests load this file in plain Node.
 */
import type { Disposable } from 'vscode';

export abstract class DisposableOwner implements Disposable {
  private readonly owned: Disposable[] = [];
  private disposedAlready = false;

  get isDisposed(): boolean {
    return this.disposedAlready;
  }

  /** Owns `item` until it is unregistered or this is disposed; after disposal it is disposed at once. */
  protected register<T extends Disposable>(item: T): T {
    if (this.disposedAlready) item.dispose();
    else this.owned.push(item);
    return item;
  }

  /** Disposes `item` now and forgets it (something owned for a while, e.g. a run's subscription). */
  protected unregister(item: Disposable): void {
    const i = this.owned.indexOf(item);
    if (i >= 0) this.owned.splice(i, 1);
    item.dispose();
  }

  /** Called once, before what is registered is disposed. */
  protected disposing(): void {}

  dispose(): void {
    if (this.disposedAlready) return;
    this.disposedAlready = true;
    this.disposing();
    for (const item of this.owned.splice(0).reverse()) item.dispose();
  }
}
