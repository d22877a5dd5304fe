import type { Session } from "../core/d1";
export interface Viewer {
  id: string;
  username: string;
}


/** Who the cookie claims to be, with its token's hash: not yet checked against any session. */
export interface SessionClaim {
  userId: string;
  tokenHash: string;
}

export interface AppEnv {
  Bindings: Env;
  /** `viewer`: a session checked against D1; `claim`: a signed cookie whose session the viewer's UserFeed checks (feed reads). */
  /** `readDb` / `writeDb`: the request's D1 sessions (lib/d1.ts). */
  Variables: { requestId: string; viewer?: Viewer; claim?: SessionClaim; readDb?: Session; writeDb?: Session };
}
