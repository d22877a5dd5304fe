/**
 * Running a mutation in the acting user's object, under its idempotency key. The object is the
 * single writer of the user's keys, so concurrent retries serialize here: the first executes, the
 * rest await it and replay its answer. A `pending` record with a reserved id is stored before D1 is
 * touched (a retry after a crash re-creates the same row, which D1 ignores); the response, the local
 * effects (own timeline, fan-out job) are committed in one storage transaction; then the effects on
 * other objects go out.
 */
import type { ConfigVars } from "../../core/config";
import { ApiError, serializeApiError, type Outcome } from "../../core/errors";
import { newId } from "../../schema/ids";
import { runMutation } from "../../core/ops";
import { opContext } from "../../core/ops/context";
import type { IdempotencyInput, LocalPort, MutationOp } from "../../core/ops/types";
import { prepareLocalEffects, sendRemoteEffects } from "./effects";
import type { FeedHost } from "./host";
import { replayOf, type IdempotencyStore } from "./idempotency";
import type { D1Access } from "./d1-access";

/** What the runner needs of its object (a narrow view, not the object). */
export interface MutationDeps {
  /** This user's D1 sessions: a mutation runs in a primary session whose bookmark is kept after it. */
  d1: D1Access;
  media: R2Bucket;
  vars: ConfigVars;
  userId(): string;
  idempotency: IdempotencyStore;
  host: FeedHost;
  /** The object's own state an op may use (notifications read). */
  local: LocalPort;
  /** One synchronous storage transaction. */
  commit(work: () => void): void;
  scheduleAlarm(): Promise<void>;
}

export class MutationRunner {
  /** In-flight keyed mutations, so concurrent duplicates wait for the one that runs. */
  private readonly inflight = new Map<string, Promise<Outcome>>();

  constructor(private readonly deps: MutationDeps) {}

  async run(op: MutationOp, idempotency: IdempotencyInput | null, requestId?: string): Promise<Outcome> {
    // Without a key the mutation still gets a real id (an upload without a key is a media id).
    if (!idempotency) return this.execute(op, null, newId(Date.now()), requestId);
    const { scope, key, requestHash } = idempotency;
    const slot = `${scope}\u0000${key}`;
    const begun = this.deps.idempotency.begin(scope, key, requestHash, Date.now());
    if (begun.kind === "reused")
      return { ok: false, error: serializeApiError(new ApiError(422, "IDEMPOTENCY_KEY_REUSED", "This idempotency key was used with a different request.")) };
    if (begun.kind === "replay") return replayOf(begun.status, begun.body);
    const running = this.inflight.get(slot);
    if (running) return { ...(await running), replayed: true };
    const run = this.execute(op, idempotency, begun.reservedId, requestId).finally(() => this.inflight.delete(slot));
    this.inflight.set(slot, run);
    return run;
  }

  private async execute(op: MutationOp, idempotency: IdempotencyInput | null, reservedId: string, requestId?: string): Promise<Outcome> {
    const { idempotency: records, host } = this.deps;
    const session = this.deps.d1.write();
    const ctx = opContext(session, this.deps.media, this.deps.vars, this.deps.userId(), reservedId, Date.now(), this.deps.local);
    let result;
    try {
      result = await runMutation(ctx, op);
    } catch (error) {
      this.deps.d1.settle(session);
      if (!(error instanceof ApiError)) {
        if (idempotency) records.forget(idempotency.scope, idempotency.key);
        throw error;
      }
      // Client errors replay like successes, except those a retry may cure.
      if (idempotency) {
        if (error.status === 429) records.forget(idempotency.scope, idempotency.key);
        else records.complete(idempotency.scope, idempotency.key, error.status, { success: false, error: error.toBody().error });
      }
      return { ok: false, error: serializeApiError(error) };
    }
    // The write's bookmark: this user's reads start from it from now on, and its fan-out carries it.
    const bookmark = this.deps.d1.settle(session);
    const localWork = await prepareLocalEffects(host, result.effects, requestId, bookmark);
    // One storage transaction: the idempotency record, the timeline and the fan-out job.
    this.deps.commit(() => {
      if (idempotency) records.complete(idempotency.scope, idempotency.key, result.status, { success: true, data: result.body });
      localWork();
    });
    await this.deps.scheduleAlarm();
    await sendRemoteEffects(host, result.effects, requestId, bookmark);
    return { ok: true, status: result.status, json: JSON.stringify(result.body), bookmark: this.deps.d1.bookmark };
  }
}
