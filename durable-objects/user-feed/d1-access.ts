/**
 * How this user's object reaches D1: every query in a session (core/d1.ts), and the bookmark of
 * the user's last write kept in the object's storage (so it survives eviction). The object
 * performs every mutation of its user, so reads started from that bookmark always see the user's
 * own writes; a delivered post's bookmark is folded in too (`keep`), so a page never meets a
 * timeline entry whose post row its replica does not have yet.
 */
import { newerBookmark, readSession, writeSession, type Session } from "../../core/d1";
import type { MetaStore } from "../migrations";

const BOOKMARK_KEY = "d1Bookmark";

export class D1Access {
  /**
   * `binding` is read on each use (not captured), so a test that swaps the object's DB binding
   * for a counting one (tests/worker/hardening-cost.test.ts) sees every session opened after.
   */
  constructor(
    private readonly binding: () => D1Database,
    private readonly meta: MetaStore,
  ) {}

  /** The newest bookmark this object knows: its user's last write, or a newer delivered post's. */
  get bookmark(): string | null {
    return this.meta.get(BOOKMARK_KEY);
  }

  /** Keeps the newer of the held bookmark and `bookmark` (a write's, a delivery's, a read's). */
  keep(bookmark: string | null | undefined): void {
    const held = this.bookmark;
    const next = newerBookmark(held, bookmark);
    if (next !== null && next !== held) this.meta.set(BOOKMARK_KEY, next);
  }

  /** A read session at least as fresh as the held bookmark (any replica when there is none yet). */
  read(): Session {
    return readSession(this.binding(), this.bookmark);
  }

  /** A session on the primary, for a mutation: keep its bookmark after it (`settle`). */
  write(): Session {
    return writeSession(this.binding());
  }

  /** After a session's queries: its bookmark moves the held one forward (never back). */
  settle(session: Session): string | null {
    this.keep(session.getBookmark());
    return session.getBookmark();
  }

  /** `work` in a read session, whose bookmark is kept after it. */
  reading<T>(work: (db: Session) => Promise<T>): Promise<T> {
    return this.within(this.read(), work);
  }

  /** `work` in a primary session (a write), whose bookmark is kept after it. */
  writing<T>(work: (db: Session) => Promise<T>): Promise<T> {
    return this.within(this.write(), work);
  }

  private async within<T>(session: Session, work: (db: Session) => Promise<T>): Promise<T> {
    try {
      return await work(session);
    } finally {
      this.settle(session);
    }
  }
}
