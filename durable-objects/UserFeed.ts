/**
 * UserFeed: one per user, named by the user's id. It owns what is per user and hot:
 *
 *   timeline      post ids pushed into the home feed, capped (user-feed/timeline.ts)
 *   idempotency   the user's idempotency records, 24 h (user-feed/idempotency.ts)
 *   jobs          durable fan-out of the posts this user wrote, and the sweep of its uploads (user-feed/jobs.ts)
 *   snapshots     ranked-feed orders behind cursors, 30 min (user-feed/snapshots.ts)
 *   watchers, subscribers   leases of viewers wanting live news of this user's posts (user-feed/audience.ts)
 *   notifications the user's grouped notifications, capped (user-feed/notifications.ts)
 *   d1, affinity  the bookmark every read starts from (user-feed/d1-access.ts); likes and comments per author (affinity.ts)
 *   sockets       the user's open tabs, hibernating; per-socket state in attachments (user-feed/live.ts)
 *
 * Invariants: the object is the single writer of this user's idempotency keys, so concurrent
 * retries serialize here; a mutation's idempotency record and its fan-out job are written in one
 * storage transaction; it never reads another object's storage (only their RPC methods).
 */
import { Server, type Connection, type ConnectionContext } from "partyserver";
import { type FeedQuery, type FeedResponse, type FeedUpdatesResponse, type ListQuery, type NotificationListResponse, type Post } from "../schema/api";
import { newDeliveryLimit, readConfig, type Config } from "../core/config";
import { ApiError, jsonOutcome, type Outcome } from "../core/errors";
import type { IdempotencyInput, MutationOp } from "../core/ops/types";
import type { Db } from "../core/d1";
import { log } from "../core/log";
import { applyMigrations, MetaStore } from "./migrations";
import { Audience } from "./user-feed/audience";
import { readFeed, readUpdates, type FeedReaderDeps } from "./user-feed/feed-reader";
import { IdempotencyStore, IDEMPOTENCY_TTL_MS } from "./user-feed/idempotency";
import { JobQueue } from "./user-feed/jobs";
import { runDueJobs } from "./user-feed/job-loop";
import { ErasureTargets, guardDeletion } from "./user-feed/erasure";
import type { Inbound } from "./user-feed/inbound-message";
import { receive } from "./user-feed/inbound";
import { NotificationStore } from "./user-feed/notifications";
import { readNotifications } from "./user-feed/notification-reader";
import { MutationRunner } from "./user-feed/mutations";
import { inspectFeed } from "./user-feed/inspect";
import { timeFeedReads } from "./user-feed/bench-timing";
import type { FeedHost } from "./user-feed/host";
import { handleClientMessage, sendError } from "./user-feed/messages";
import { goOffline, goOnline, LEASE_REFRESH_MS, refreshLeases, watchPosts } from "./user-feed/presence";
import { dispatch, dropSubscriptions, message, postIdOf, stateOf, type LiveEvent, type SocketState } from "./user-feed/live";
import { SessionCache } from "./user-feed/sessions";
import { CLOSE_POLICY, CLOSE_SESSION_ENDED, CLOSE_TOO_MANY_CONNECTS, closeEndedSessions, closeOldestPastCap, closeSessionSockets, closeSocket, closeSocketsExcept, ConnectRate, isHeavyMessage, MessageRate, RecentPushes, socketSessions } from "./user-feed/socket-limits";
import { SOCKET_SESSION_HEADER } from "../core/sessions";
import { AffinityStore } from "./user-feed/affinity";
import { noteActivity } from "./user-feed/activity";
import { D1Access } from "./user-feed/d1-access";
import { SnapshotStore, SNAPSHOT_TTL_MS } from "./user-feed/snapshots";
import { Timeline, type TimelineEntry } from "./user-feed/timeline";
import { USER_FEED_MIGRATIONS } from "./user-feed/storage";
import { timelineFromD1 } from "../core/feed/timeline-sources";
import { backfillEntries, deliver, forgetUser, insertBackfill, retract } from "./user-feed/deliveries";
import { benchRpcLoop, benchWrite, type BenchCall } from "./user-feed/bench";
import { traceRoundTrips } from "../core/round-trips";

export class UserFeed extends Server<Env> {
  static override options = { hibernate: true };
  private readonly config: Config;
  private readonly meta: MetaStore;
  readonly timeline: Timeline;
  readonly idempotency: IdempotencyStore;
  readonly jobs: JobQueue;
  readonly snapshots: SnapshotStore;
  readonly audience: Audience;
  readonly sessions: SessionCache;
  readonly notifications: NotificationStore;
  readonly targets: ErasureTargets;
  readonly d1: D1Access;
  readonly affinity: AffinityStore;
  private readonly mutations: MutationRunner;
  /** Client messages per socket per second, upgrades per minute (socket-limits.ts). */
  private readonly messageRate = new MessageRate();
  private readonly connectRate = new ConnectRate();
  private readonly recentPushes = new RecentPushes();
  /** The alarm's job loop while it runs (see onAlarm). */
  private jobsRunning: Promise<void> | null = null;
  /** The account's erasure wiped this object's storage: nothing may touch it again in this instance. */
  private erased = false;
  /** This object's parts for its helper modules (a # field: never reachable over RPC). */
  readonly #host: FeedHost;

  constructor(ctx: DurableObjectState, env: Env) {
    // The bench's tracer, inert unless BENCH_TRACE=1 (core/round-trips.ts); every `env` below records too.
    super(ctx, (env = traceRoundTrips(env, () => `UserFeed:${ctx.id.name}`, null)));
    this.config = readConfig(env);
    applyMigrations(ctx.storage, USER_FEED_MIGRATIONS);
    const sql = ctx.storage.sql;
    this.meta = new MetaStore(sql);
    this.d1 = new D1Access(() => this.env.DB, this.meta);
    this.affinity = new AffinityStore(sql, this.meta);
    this.timeline = new Timeline(sql, this.config.timelineCap);
    this.idempotency = new IdempotencyStore(sql);
    this.jobs = new JobQueue(sql);
    this.snapshots = new SnapshotStore(sql);
    this.audience = new Audience(sql);
    this.sessions = new SessionCache(sql, this.d1);
    this.notifications = new NotificationStore(sql);
    this.targets = new ErasureTargets(sql);
    const self = this;
    this.#host = {
      env,
      config: this.config,
      get userId() {
        return self.userId;
      },
      timeline: this.timeline,
      jobs: this.jobs,
      audience: this.audience,
      notifications: this.notifications,
      sessions: this.sessions,
      targets: this.targets,
      d1: this.d1,
      affinity: this.affinity,
      deliveryLimit: newDeliveryLimit(),
      hasSockets: () => this.hasSockets(),
      receive: (messages) => receive(this.#host, messages),
      closeSocketsExcept: (keep) => closeSocketsExcept(this.getConnections(), keep),
      dropSubscriptions: (authorId) => dropSubscriptions(this.getConnections(), authorId),
      pushToOwnSockets: (event, inHomeFeed) => this.pushToOwnSockets(event, inHomeFeed),
      backfillEntries: (authorId) => backfillEntries(this.#host, authorId),
      insertBackfill: (entries) => insertBackfill(this.#host, entries),
    };
    this.mutations = new MutationRunner({
      d1: this.d1,
      media: env.MEDIA,
      vars: env,
      userId: () => this.userId,
      idempotency: this.idempotency,
      host: this.#host,
      local: { markNotificationsRead: (upTo) => this.notifications.markRead(upTo), timelineWindow: () => ({ from: this.timeline.horizon, cap: this.config.timelineCap }) },
      commit: (work) => ctx.storage.transactionSync(work),
      scheduleAlarm: () => this.scheduleAlarm(),
    });
    // A bare "ping" text frame is answered by the runtime without waking this object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  private get userId(): string {
    return this.name;
  }

  // -------------------------------------------------------------------------------------------
  // Mutations (worker/lib/mutate.ts)

  /** Runs a mutation under its idempotency key (user-feed/mutations.ts), for session `tokenHash` (null: the caller checked it). */
  async mutate(op: MutationOp, idempotency: IdempotencyInput | null, requestId?: string, tokenHash: string | null = null): Promise<Outcome> {
    if (tokenHash !== null && !(await this.sessions.isValid(this.userId, tokenHash))) return jsonOutcome(() => { throw new ApiError(401, "UNAUTHENTICATED", "Sign in to continue."); });
    if (op.kind === "deleteAccount") {
      // Durable before D1 is touched, so a crash in between cannot lose the erasure (user-feed/erasure.ts).
      guardDeletion(this.#host, Date.now());
      await this.ctx.storage.sync();
      await this.scheduleAlarm();
    }
    return this.mutations.run(op, idempotency, requestId);
  }

  // -------------------------------------------------------------------------------------------
  // Reading the feed

  /**
   * The feed, for the session whose token hash is given (checked here: worker/lib/session.ts), or
   * `null` when the caller has already checked the session against D1 (the edge-rendered page).
   */
  async readFeed(query: FeedQuery, tokenHash: string | null): Promise<Outcome> {
    return this.authorized(tokenHash, true, (): Promise<FeedResponse> => this.d1.reading((db) => readFeed(this.readerDeps(db), query)));
  }

  async readUpdates(since: string, tokenHash: string | null): Promise<Outcome> {
    return this.authorized(tokenHash, true, (): Promise<FeedUpdatesResponse> => this.d1.reading((db) => readUpdates(this.readerDeps(db), since)));
  }

  /** Log-out: the session ends here and in D1 (see user-feed/sessions.ts), and its sockets close. */
  async endSession(tokenHash: string): Promise<void> {
    await this.sessions.revoke(this.userId, tokenHash);
    closeSessionSockets(this.getConnections(), tokenHash);
  }

  /** This user's notifications (user-feed/notifications.ts), read like the feed: the session checked here. */
  async readNotifications(query: ListQuery, tokenHash: string | null): Promise<Outcome> {
    const read = (db: Db): Promise<NotificationListResponse> => readNotifications({ db, viewerId: this.userId, store: this.notifications }, query);
    return this.authorized(tokenHash, false, () => this.d1.reading(read));
  }

  /** The unread count for the top bar of an edge-rendered page (its session already checked). */
  async unreadNotifications(): Promise<number> { return this.notifications.unreadCount(); }

  /** `work` for the session `tokenHash` (null: checked by the caller), after noting activity when `active`. */
  private authorized(tokenHash: string | null, active: boolean, work: () => Promise<unknown>): Promise<Outcome> {
    return jsonOutcome(async () => {
      if (tokenHash !== null && !(await this.sessions.isValid(this.userId, tokenHash))) throw new ApiError(401, "UNAUTHENTICATED", "Sign in to continue.");
      if (active) await this.noteActivity();
      return work();
    });
  }

  private readerDeps(db: Db): FeedReaderDeps {
    return {
      db,
      affinity: () => this.affinity.forPage(this.userId),
      viewerId: this.userId,
      threshold: this.config.celebrityThreshold,
      timeline: this.timeline,
      snapshots: this.snapshots,
      now: Date.now(),
    };
  }

  /** The hourly activity write, the affinity recount and, after a long absence, the timeline rebuild (user-feed/activity.ts). */
  private noteActivity(): Promise<void> {
    const { meta, d1, affinity, userId, config } = this;
    return noteActivity({ meta, d1, affinity, userId, activeWindowMs: config.activeWindowMs, rebuild: () => this.ctx.blockConcurrencyWhile(() => this.rebuildTimeline()) });
  }

  async rebuildTimeline(): Promise<number> {
    const cap = this.config.timelineCap;
    const entries = await this.d1.reading((db) => timelineFromD1(db, this.userId, cap));
    this.timeline.replace(entries, entries.length < cap);
    return entries.length;
  }

  // -------------------------------------------------------------------------------------------
  // Deliveries from other objects (RPC; user-feed/deliveries.ts)

  /** A followee's post for this timeline (fan-out), idempotent on post id; its write's `bookmark` is kept (d1-access.ts). */
  async deliver(entries: TimelineEntry[], post?: Post, bookmark?: string | null): Promise<number> {
    this.d1.keep(bookmark);
    return deliver(this.#host, entries, post);
  }

  /** A deleted post leaves this timeline and the screens showing it. */
  async retract(postId: string): Promise<number> {
    return retract(this.#host, postId);
  }

  /** A block either way, or `otherId`'s erasure: its posts leave this timeline and screens, its leases here end. */
  async forgetUser(otherId: string, postIds: readonly string[] = []): Promise<{ removed: number; watched: string[] }> {
    return forgetUser(this.#host, otherId, postIds);
  }

  /** An edited post, for this user's screens if it is in the home feed. */
  async postEdited(post: Post): Promise<void> {
    await this.pushToOwnSockets({ type: "post_update", post });
  }

  /** What a mutation elsewhere has for this user: counts for their posts' watchers, notices, a backfill (user-feed/inbound.ts); `bookmark`: that mutation's write. */
  async receive(messages: Inbound[], bookmark?: string | null): Promise<void> {
    this.d1.keep(bookmark);
    await receive(this.#host, messages);
  }

  // -------------------------------------------------------------------------------------------
  // Live: this user's sockets

  override async onConnect(connection: Connection, ctx: ConnectionContext): Promise<void> {
    // The worker's ws route authenticated the upgrade and names its session (never the client).
    const sid = ctx.request.headers.get(SOCKET_SESSION_HEADER) ?? undefined;
    const state: SocketState = { v: 1, subs: [], watch: [], connectedAt: Date.now(), sid };
    connection.setState(state);
    if (!this.connectRate.take(connection.id)) return closeSocket(connection, CLOSE_TOO_MANY_CONNECTS);
    connection.send(message("connection_ack", { clientId: connection.id }));
    closeOldestPastCap(this.getConnections(), connection);
    const online = async () => {
      if (sid !== undefined && !(await this.sessions.isValid(this.userId, sid))) return closeSocket(connection, CLOSE_SESSION_ENDED);
      await this.noteActivity();
      await goOnline(this.#host);
      this.meta.set("leaseRefreshAt", Date.now() + LEASE_REFRESH_MS);
      await this.scheduleAlarm();
    };
    this.ctx.waitUntil(online().catch((e) => log("error", "going online failed", { userId: this.userId, error: String(e) })));
  }

  override async onClose(connection: Connection): Promise<void> {
    if (this.connectRate.refused(connection.id)) return; // never went online: nothing to undo
    this.messageRate.forget(connection.id);
    this.recentPushes.forget(connection.id);
    const state = stateOf(connection);
    const stillSubscribed = new Set([...this.getConnections()].filter((c) => c.id !== connection.id).flatMap((c) => stateOf(c).subs));
    for (const authorId of state.subs) if (!stillSubscribed.has(authorId)) await this.env.USER_FEED.getByName(authorId).unsubscribe(this.userId);
    if (![...this.getConnections()].some((c) => c.id !== connection.id)) await goOffline(this.#host);
  }

  override async onMessage(connection: Connection, raw: string | ArrayBuffer): Promise<void> {
    const rate = this.messageRate.take(connection.id, isHeavyMessage(raw));
    if (rate === "close") return closeSocket(connection, CLOSE_POLICY);
    if (rate === "limited") return sendError(connection, "RATE_LIMITED", "Too many messages; slow down.");
    const { sid } = stateOf(connection);
    if (sid !== undefined && !(await this.sessions.isValid(this.userId, sid))) return closeSocket(connection, CLOSE_SESSION_ENDED);
    await handleClientMessage(this, this.env, this.d1.read(), connection, raw);
  }

  hasSockets(): boolean {
    for (const _ of this.getConnections()) return true;
    return false;
  }

  /** Sends a live event to this user's sockets that want it; false when none did. `bookmark`: the write it shows (kept, like a delivery's). */
  async pushLive(event: LiveEvent, bookmark?: string | null): Promise<boolean> {
    this.d1.keep(bookmark);
    return (await this.pushToOwnSockets(event)) > 0;
  }

  private async pushToOwnSockets(event: LiveEvent, inHomeFeed?: boolean): Promise<number> {
    if (!this.hasSockets()) return 0;
    const postId = postIdOf(event);
    return dispatch(this.getConnections(), event, inHomeFeed ?? (postId !== null && this.timeline.has(postId)), this.recentPushes);
  }

  /** Registers this user as a watcher of `postIds` at each post's author. */
  async watchPosts(postIds: readonly string[]): Promise<void> {
    await watchPosts(this.#host, postIds);
  }

  // -------------------------------------------------------------------------------------------
  // This user as an author: leases of viewers who want live news of their posts (RPC)

  async addWatcher(viewerId: string, postIds: string[]): Promise<void> {
    this.audience.watch(viewerId, postIds, Date.now());
    await this.scheduleAlarm();
  }

  async subscribe(viewerId: string): Promise<void> {
    this.audience.subscribe(viewerId, Date.now());
    await this.scheduleAlarm();
  }

  async unsubscribe(viewerId: string): Promise<void> {
    this.audience.unsubscribe(viewerId);
  }

  // -------------------------------------------------------------------------------------------
  // The alarm: fan-out jobs, then expiry of idempotency records, snapshots and leases

  override async onAlarm(): Promise<void> {
    if (this.erased) return;
    // An alarm invoked while another is working (a test's runDurableObjectAlarm, say) joins it
    // rather than running the same job's batch a second time.
    this.jobsRunning ??= runDueJobs(this.#host, () => this.wipeStorage())
      .then(() => undefined)
      .finally(() => (this.jobsRunning = null));
    await this.jobsRunning;
    if (this.erased) return;
    const now = Date.now();
    this.idempotency.expire(now);
    this.snapshots.expire(now);
    this.audience.expire(now);
    this.sessions.expire(now);
    await closeEndedSessions(this.getConnections(), (sid) => this.sessions.isValid(this.userId, sid));
    if (this.hasSockets() && now >= this.meta.getNumber("leaseRefreshAt", 0)) {
      await refreshLeases(this.#host).catch((e) => log("warn", "lease refresh failed", { userId: this.userId, error: String(e) }));
      this.meta.set("leaseRefreshAt", now + LEASE_REFRESH_MS);
    }
    await this.scheduleAlarm();
  }

  /** The erasure's last step: this object's storage and alarm go; the instance stays inert. */
  private async wipeStorage(): Promise<void> {
    this.erased = true;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  /** One alarm serves every job: set it to the soonest due time (jobs, then expiries). */
  async scheduleAlarm(): Promise<void> {
    if (this.erased) return;
    const candidates = [
      this.jobs.nextRunAt(),
      plus(this.idempotency.oldestCreatedAt(), IDEMPOTENCY_TTL_MS),
      plus(this.snapshots.oldestCreatedAt(), SNAPSHOT_TTL_MS),
      this.hasSockets() ? this.meta.getNumber("leaseRefreshAt", 0) : null,
      this.sessions.nextCheckAt(socketSessions(this.getConnections())),
    ].filter((t): t is number => t !== null);
    if (candidates.length === 0) return;
    const next = Math.min(...candidates);
    const current = await this.ctx.storage.getAlarm();
    if (current === null || next < current) await this.ctx.storage.setAlarm(Math.max(next, Date.now()));
  }

  // -------------------------------------------------------------------------------------------
  // Bench only (user-feed/bench.ts): the RPC ceiling and the write floor a fan-out is measured
  // against; benchFeedD1: D1's own time for this feed's page statement (user-feed/bench-timing.ts).
  async noop(): Promise<number> { return 0; }
  async benchFeedD1(query: FeedQuery, n: number) { return timeFeedReads(this.env, n, () => this.readFeed(query, null)); }

  async benchWrite(): Promise<number> { return benchWrite(this.ctx.storage); }

  async benchRpcLoop(targets: string[], concurrency: number, call: BenchCall = "noop"): Promise<{ calls: number; ms: number }> {
    return benchRpcLoop(this.env, targets, concurrency, call);
  }

  // -------------------------------------------------------------------------------------------
  // Operators

  async inspect() {
    const { userId, timeline, snapshots, idempotency, jobs, audience, notifications, d1, affinity } = this;
    return inspectFeed({ userId, timeline, snapshots, idempotency, jobs, audience, notifications, connections: this.getConnections(), lastActiveWrite: this.meta.getNumber("lastActiveWrite", 0),
      alarm: await this.ctx.storage.getAlarm(), d1Bookmark: d1.bookmark, affinity: affinity.all(), affinityBuiltAt: affinity.builtAt });
  }
}

const plus = (t: number | null, ms: number) => (t === null ? null : t + ms);
