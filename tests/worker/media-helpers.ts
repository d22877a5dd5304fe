/** Uploads and image reads against the real worker (R2 bucket MEDIA in workerd), for the media tests. */
import { env, exports } from "cloudflare:workers";
import type { Media, Post } from "../../schema/api";
import { BASE, keyed, type Client } from "./helpers";
import { BASE_JPEG } from "../fixtures/images";

export interface UploadResult {
  status: number;
  body: any;
  code: string | undefined;
  media: Media;
  headers: Headers;
}

/** POST /api/v1/media with raw bytes (as a browser's fetch or XMLHttpRequest sends a Blob). */
export async function upload(client: Client, bytes: Uint8Array | ReadableStream | null, type: string | null = "image/jpeg", headers: Record<string, string> = {}): Promise<UploadResult> {
  const h: Record<string, string> = { ...headers };
  if (type !== null) h["content-type"] = type;
  if (client.cookie) h.cookie = client.cookie;
  const res = await exports.default.fetch(new Request(`${BASE}/api/v1/media`, { method: "POST", headers: h, body: bytes as BodyInit | null, duplex: "half" } as RequestInit));
  const body = (await res.json()) as any;
  return { status: res.status, body, code: body?.error?.code, media: body?.data?.media, headers: res.headers };
}

/** An upload that must succeed. */
export async function uploaded(client: Client, bytes: Uint8Array = BASE_JPEG, type = "image/jpeg"): Promise<Media> {
  const res = await upload(client, bytes, type);
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.media;
}

/** GET a media url as `client` (null: nobody signed in). */
export async function getMedia(client: Client | null, url: string, headers: Record<string, string> = {}): Promise<Response> {
  const h: Record<string, string> = { ...headers };
  if (client?.cookie) h.cookie = client.cookie;
  return exports.default.fetch(new Request(`${BASE}${url}`, { headers: h }));
}

/** A post with the given uploads (alt texts by position). */
export async function postWithMedia(client: Client, media: { id: string; alt?: string }[], extra: Record<string, unknown> = {}): Promise<Post> {
  const res = await client.post<{ post: Post }>("/api/v1/posts", { content: "", media, ...extra }, keyed());
  if (res.status !== 201) throw new Error(`post failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.data.post;
}

export interface MediaRow {
  id: string;
  owner_id: string;
  storage_key: string;
  mime_type: string;
  width: number;
  height: number;
  byte_size: number;
  post_id: string | null;
  position: number | null;
  alt: string | null;
  created_at: number;
  deleted_at: number | null;
}

export const mediaRow = (id: string) => env.DB.prepare("SELECT * FROM media WHERE id = ?").bind(id).first<MediaRow>();
export const mediaRowsOf = async (ownerId: string) =>
  (await env.DB.prepare("SELECT * FROM media WHERE owner_id = ? ORDER BY id").bind(ownerId).all<MediaRow>()).results;

/** The stored bytes of an upload, straight from the bucket (only tests read it so). */
export async function storedBytes(id: string): Promise<Uint8Array | null> {
  const row = await mediaRow(id);
  if (!row) return null;
  const object = await env.MEDIA.get(row.storage_key);
  return object ? new Uint8Array(await object.arrayBuffer()) : null;
}

/** Every key in the bucket under an owner's prefix. */
export async function bucketKeysOf(ownerId: string): Promise<string[]> {
  const listed = await env.MEDIA.list({ prefix: `media/${ownerId}/` });
  return listed.objects.map((o) => o.key);
}
