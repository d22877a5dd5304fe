import type { Env } from "./env";

export interface Viewer {
  id: string;
  username: string;
}

export interface AppEnv {
  Bindings: Env;
  Variables: { requestId: string; viewer?: Viewer };
}
