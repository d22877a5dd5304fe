// The project has no @types/node (the worker runs in workerd); the Playwright config and the
// browser tests need a few calls.
declare module "node:fs" {
  /** A file's bytes as Node returns them (a Buffer: a Uint8Array that can say itself as text). */
  interface FileBytes extends Uint8Array {
    toString(encoding?: "base64" | "latin1" | "utf8"): string;
  }
  export function existsSync(path: string): boolean;
  export function readFileSync(path: string): FileBytes;
  export function writeFileSync(path: string, data: Uint8Array): void;
}
