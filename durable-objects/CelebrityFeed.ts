/**
 * CelebrityFeed: one per author who posts at or above CELEBRITY_THRESHOLD followers, named by the
 * author's id. A celebrity post costs one write here instead of one per follower.
 *
 *   outbox   the author's recent celebrity posts (newest OUTBOX_CAP kept)
 *   leases   followers online right now (their UserFeed holds a lease while it has sockets)
 *
 * Followers merge a celebrity's posts at read time; in this implementation that pull is part of
 * the feed page's single D1 statement (the posts table's (author_id, id) index is the durable
 * outbox), which keeps a feed read at one object call and one D1 query instead of one more RPC
 * per followed celebrity. This object keeps the live side: new posts go to leaseholders only, so
 * the cost of a celebrity post grows with online followers, not followers.
 *
 * Invariants: outbox post ids are unique; a push that finds no socket drops that lease.
 */
import { DurableObject } from "cloudflare:workers";
import type { Post } from "../schema/api";
import { log } from "../core/log";
import { mapPool } from "../core/pool";
import { applyMigrations, type StorageMigration } from "./migrations";
import { postForViewers } from "../core/posts";
import { readSession } from "../core/d1";
import { DELIVERY_CONCURRENCY, readConfig } from "../core/config";
import { traceRoundTrips } from "../core/round-trips";

const OUTBOX_CAP = 1000;
const LEASE_TTL_MS = 24 * 3_600_000;

const MIGRATIONS: StorageMigration[] = [
  { id: 1, name: "outbox", sql: "CREATE TABLE outbox (post_id TEXT PRIMARY KEY, privacy TEXT NOT NULL, created_at INTEGER NOT NULL);" },
  { id: 2, name: "leases", sql: "CREATE TABLE leases (user_id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);" },
];

export class CelebrityFeed extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    // The bench's tracer, inert unless BENCH_TRACE=1 (core/round-trips.ts).
    super(ctx, traceRoundTrips(env, () => `CelebrityFeed:${ctx.id.name}`, null));
    applyMigrations(ctx.storage, MIGRATIONS);
  }

  private get authorId(): string {
    return this.ctx.id.name ?? "unknown";
  }

  /**
   * The one write a celebrity post costs; then a live push to online followers. Idempotent.
   * `bookmark`: the post's D1 write; the push reads from a replica that has it and hands it on.
   */
  async append(post: Post, bookmark?: string | null): Promise<{ pushed: number }> {
    const sql = this.ctx.storage.sql;
    const inserted = sql.exec(
      "INSERT INTO outbox (post_id, privacy, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
      post.id,
      post.privacy,
      Date.parse(post.createdAt),
    ).rowsWritten;
    sql.exec("DELETE FROM outbox WHERE post_id NOT IN (SELECT post_id FROM outbox ORDER BY post_id DESC LIMIT ?)", OUTBOX_CAP);
    if (inserted === 0) return { pushed: 0 };
    return { pushed: await this.pushToLeaseholders(post, bookmark ?? null) };
  }

  async remove(postId: string): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM outbox WHERE post_id = ?", postId);
  }

  async lease(userId: string): Promise<void> {
    this.ctx.storage.sql.exec(
      "INSERT INTO leases (user_id, expires_at) VALUES (?, ?) ON CONFLICT DO UPDATE SET expires_at = excluded.expires_at",
      userId,
      Date.now() + LEASE_TTL_MS,
    );
  }

  async release(userId: string): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM leases WHERE user_id = ?", userId);
  }

  private async pushToLeaseholders(post: Post, bookmark: string | null): Promise<number> {
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM leases WHERE expires_at <= ?", Date.now());
    const leaseholders = sql.exec<{ user_id: string }>("SELECT user_id FROM leases").toArray().map((r) => r.user_id);
    // Each leaseholder gets the post as it may see it now (REST's own hydration, one D1 round
    // trip for all): a friends-only post reaches friends only, a share of a hidden original
    // carries sharedPost null, isLiked is the recipient's; a follower who muted the author gets none.
    const views = await postForViewers(readSession(this.env.DB, bookmark), leaseholders, post.id, readConfig(this.env).celebrityThreshold, true);
    const holders = leaseholders.filter((id) => views.has(id));
    const started = Date.now();
    const delivered = await mapPool(holders, DELIVERY_CONCURRENCY, async (userId) => {
      try {
        const ok = await this.env.USER_FEED.getByName(userId).pushLive({ type: "new_post", post: views.get(userId)!, via: "home" }, bookmark);
        if (!ok) await this.release(userId);
        return ok ? 1 : 0;
      } catch (error) {
        log("warn", "celebrity live push failed", { authorId: this.authorId, userId, error: String(error) });
        return 0;
      }
    });
    const pushed = delivered.reduce<number>((a, b) => a + b, 0);
    log("info", "celebrity push", { authorId: this.authorId, postId: post.id, leaseholders: holders.length, pushed, durationMs: Date.now() - started });
    return pushed;
  }

  /** The author's account was deleted: everything stored here goes (user-feed/erasure.ts). */
  async erase(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  async inspect() {
    const sql = this.ctx.storage.sql;
    return {
      authorId: this.authorId,
      outboxSize: sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox").one().n,
      outboxNewest: sql.exec<{ post_id: string; privacy: string; created_at: number }>("SELECT * FROM outbox ORDER BY post_id DESC LIMIT 10").toArray(),
      leases: sql.exec<{ user_id: string; expires_at: number }>("SELECT * FROM leases WHERE expires_at > ? ORDER BY user_id", Date.now()).toArray(),
    };
  }
}
