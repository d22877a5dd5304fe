/**
 * Sending an image (lazy: web/media/lazy.ts): XMLHttpRequest, because fetch reports no upload
 * progress. One idempotency key per image, reused by every retry, so a retry after a dropped
 * connection never stores it twice; network errors and 5xx are retried with backoff, a 4xx is an
 * answer. Aborting (the image was removed) stops it at once.
 */
import type { ApiEnvelope, MediaResponse } from "../../schema/api";
import type { ApiResult } from "../store-core";

const RETRIES = 3;
const backoff = (attempt: number) => Math.min(8000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);

export interface UploadOptions {
  key: string;
  /** 0..1, as the bytes leave. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

function once(blob: Blob, { key, onProgress, signal }: UploadOptions): Promise<{ status: number; text: string } | null> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/media");
    xhr.setRequestHeader("Content-Type", blob.type || "application/octet-stream");
    xhr.setRequestHeader("X-Idempotency-Key", key);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress?.(e.loaded / e.total);
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () => resolve(null);
    xhr.onabort = () => resolve({ status: 0, text: "" });
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(blob);
  });
}

export async function uploadImage(blob: Blob, options: UploadOptions): Promise<ApiResult<MediaResponse>> {
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) return { ok: false, status: 0, code: "ABORTED", message: "Removed." };
    const res = await once(blob, options);
    if (options.signal?.aborted) return { ok: false, status: 0, code: "ABORTED", message: "Removed." };
    if ((!res || res.status >= 500) && attempt < RETRIES) {
      options.onProgress?.(0);
      await new Promise((r) => setTimeout(r, backoff(attempt)));
      continue;
    }
    if (!res) return { ok: false, status: 0, code: "NETWORK", message: "Network error." };
    let json: ApiEnvelope<MediaResponse> | null = null;
    try {
      json = JSON.parse(res.text);
    } catch {}
    if (res.status === 201 && json?.success) return { ok: true, status: res.status, data: json.data };
    const error = json && !json.success ? json.error : undefined;
    return { ok: false, status: res.status, code: error?.code ?? `HTTP_${res.status}`, message: error?.message ?? "" };
  }
}
