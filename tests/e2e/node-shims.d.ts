// The project has no @types/node (the worker runs in workerd); the Playwright config needs one call.
declare module "node:fs" {
  export function existsSync(path: string): boolean;
}
