/**
 * The browser's transport: JSON envelope in and out, one idempotency key per logical action
 * (the caller makes it once; every retry reuses it), exponential backoff with jitter on network
 * errors and 5xx only. A 4xx is an answer, never retried.
 */
import type { ApiEnvelope } from "../../schema/api";
import type { ApiPort, ApiResult } from "../store-core";

const RETRIES = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const backoff = (attempt: number) => Math.min(8000, 400 * 2 ** attempt) * (0.5 + Math.random() / 2);

export async function call<T>(method: string, path: string, body?: unknown, key?: string): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (key) headers["x-idempotency-key"] = key;
  for (let attempt = 0; ; attempt++) {
    let res: Response | null = null;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
    } catch {
      res = null;
    }
    if ((!res || res.status >= 500) && attempt < RETRIES) {
      await sleep(backoff(attempt));
      continue;
    }
    if (!res) return { ok: false, status: 0, code: "NETWORK", message: "Network error." };
    const json = (await res.json().catch(() => null)) as ApiEnvelope<T> | null;
    if (res.ok && json?.success) return { ok: true, status: res.status, data: json.data };
    const error = json && !json.success ? json.error : undefined;
    return { ok: false, status: res.status, code: error?.code ?? `HTTP_${res.status}`, message: error?.message ?? res.statusText, details: error?.details };
  }
}

export const browserApi: ApiPort = { call, newKey: () => crypto.randomUUID() };
