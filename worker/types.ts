import type { Env } from "./env";
import type { SessionClaim } from "./lib/session";

export interface Viewer {
  id: string;
  username: string;
}

export interface AppEnv {
  Bindings: Env;
  /** `viewer`: a session checked against D1; `claim`: a signed cookie whose session the viewer's UserFeed checks (feed reads). */
  Variables: { requestId: string; viewer?: Viewer; claim?: SessionClaim };
}
