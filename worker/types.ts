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
  Variables: { requestId: string; viewer?: Viewer; claim?: SessionClaim };
}
