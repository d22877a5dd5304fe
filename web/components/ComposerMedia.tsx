/**
 * The composer's photos: up to 4, from the file picker, a drop or a paste. Each is shrunk in the
 * browser and uploaded at once (both by /media.js, loaded on first use), with a preview, a
 * progress bar, an alt text field (a gentle reminder while it is empty) and a remove button.
 *
 * Uploads finish before the post is sent: the Post button waits for them. A post then names its
 * images by id, so the offline outbox and every retry replay the same small JSON body with the
 * same idempotency key, and the images are already on the server (kept 24 hours until a post
 * takes them). The bytes themselves are never queued offline: an upload that fails for want of a
 * network shows "Try again" on its preview instead.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Media, PostMedia } from "../../schema/api";
import { MEDIA_PER_POST } from "../lib/limits";
import { loadMedia } from "../media/load";
import { errorText } from "../store";

type Status = "preparing" | "uploading" | "done" | "failed";

export interface Attachment {
  /** Local id, and the upload's idempotency key: every retry of this image reuses it. */
  key: string;
  file: File;
  preview: string;
  status: Status;
  progress: number;
  alt: string;
  media?: Media;
  error?: string;
}

const isImage = (f: File) => f.type.startsWith("image/");

/** Image files in a drop or a paste. */
export const imageFiles = (list: FileList | null | undefined): File[] => [...(list ?? [])].filter(isImage);

export function useAttachments(onError: (text: string) => void) {
  const [items, setItems] = useState<Attachment[]>([]);
  const aborts = useRef(new Map<string, AbortController>());
  const latest = useRef(items);
  latest.current = items;
  const patch = (key: string, change: Partial<Attachment>) => setItems((list) => list.map((a) => (a.key === key ? { ...a, ...change } : a)));

  async function send(item: Attachment) {
    const abort = new AbortController();
    aborts.current.set(item.key, abort);
    patch(item.key, { status: "preparing", progress: 0, error: undefined });
    try {
      const media = await loadMedia();
      const prepared = await media.prepareImage(item.file);
      if (abort.signal.aborted) return;
      patch(item.key, { status: "uploading", preview: swapPreview(item.key, prepared.blob) });
      const res = await media.uploadImage(prepared.blob, { key: item.key, signal: abort.signal, onProgress: (progress) => patch(item.key, { progress }) });
      if (res.ok) patch(item.key, { status: "done", progress: 1, media: res.data.media });
      else if (res.code !== "ABORTED") patch(item.key, { status: "failed", error: errorText(res.code, res.message) });
    } catch {
      if (!abort.signal.aborted) patch(item.key, { status: "failed", error: "This image couldn't be read. Try another one." });
    }
  }

  /** The shrunk image replaces the original as preview (a 12 MP photo is heavy to draw 4 times). */
  function swapPreview(key: string, blob: Blob): string {
    const old = latest.current.find((a) => a.key === key)?.preview;
    if (old) URL.revokeObjectURL(old);
    return URL.createObjectURL(blob);
  }

  function add(files: File[]) {
    const room = MEDIA_PER_POST - latest.current.length;
    if (files.length > room) onError(`A post holds up to ${MEDIA_PER_POST} images.`);
    const added = files.slice(0, Math.max(0, room)).map(
      (file): Attachment => ({ key: crypto.randomUUID(), file, preview: URL.createObjectURL(file), status: "preparing", progress: 0, alt: "" }),
    );
    if (added.length === 0) return;
    setItems((list) => [...list, ...added]);
    added.forEach((item) => void send(item));
  }

  function remove(key: string) {
    aborts.current.get(key)?.abort();
    aborts.current.delete(key);
    const item = latest.current.find((a) => a.key === key);
    if (item) URL.revokeObjectURL(item.preview);
    setItems((list) => list.filter((a) => a.key !== key));
  }

  const retry = (key: string) => {
    const item = latest.current.find((a) => a.key === key);
    if (item) void send(item);
  };

  /** The uploads as the post shows them, in order; then the composer starts empty. */
  function take(): PostMedia[] {
    const taken = latest.current.map((a) => ({ id: a.media!.id, url: a.media!.url, width: a.media!.width, height: a.media!.height, alt: a.alt.trim() }));
    latest.current.forEach((a) => URL.revokeObjectURL(a.preview));
    setItems([]);
    return taken;
  }

  useEffect(() => () => latest.current.forEach((a) => URL.revokeObjectURL(a.preview)), []);

  return {
    items,
    add,
    remove,
    retry,
    take,
    setAlt: (key: string, alt: string) => patch(key, { alt }),
    /** Every image is on the server. */
    ready: items.every((a) => a.status === "done"),
  };
}

export type Attachments = ReturnType<typeof useAttachments>;
