/** The home feed: composer, ranked/latest switch, the "N new posts" banner and the feed. */
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Privacy } from "../../schema/api";
import { imageFiles, useAttachments } from "../components/ComposerMedia";
import { Feed } from "../components/Feed";
import { lazyComponent } from "../components/lazy";
import { useStore } from "../components/context";
import { MEDIA_PER_POST, POST_MAX } from "../lib/limits";
import { loadMedia } from "../media/load";
import type { FeedMode } from "../store";

/**
 * People you may know: not needed for a feed's first paint (the card sits after the sixth post, about a screen down, and
 * is fetched after load), so its code is a chunk of its own; a new user's empty feed, which starts
 * with it, has it provided before hydration (web/entries/home.tsx), and the server renders it.
 */
export const Suggestions = lazyComponent(() => import("../components/Suggestions").then((m) => m.Suggestions));

/** The composer's photo list: mounted once a photo is added; its code comes with /media.js (loadPhotoCode). */
const AttachmentList = lazyComponent(() => import("../components/AttachmentList").then((m) => m.AttachmentList));

/** The composer's photo code, fetched as the pointer reaches the Photo button: there even if the network then goes. */
function loadPhotoCode() {
  void loadMedia().catch(() => {});
  AttachmentList.preload();
}

/** Where the suggestions card sits in a feed that has posts: below the post at this index, a screen or so down. */
const CARD_AT = 5;

/**
 * The card's place in a feed: an empty marker until the reader scrolls and it is within about a
 * screen, then the card (its code and list fetched then), so a reader who only reads the top of
 * the feed loads neither. The card still shows only if its place is below the fold when the list
 * arrives (web/components/Suggestions.tsx), so it never pushes what the reader is looking at.
 */
let readerScrolled = false;
function SuggestionsSlot({ onFollow }: { onFollow: () => void }) {
  const place = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(false);
  useEffect(() => {
    if (near) return;
    const check = () => ((readerScrolled = true), place.current && place.current.getBoundingClientRect().top < 2 * window.innerHeight && setNear(true));
    // Mounted again by the virtualized list after the reader scrolled: no need to wait for the next scroll.
    if (readerScrolled) check();
    // Capture: the feed may scroll in an element rather than the window.
    addEventListener("scroll", check, { passive: true, capture: true });
    return () => removeEventListener("scroll", check, { capture: true });
  }, [near]);
  return near ? <Suggestions onFollow={onFollow} /> : <div ref={place} aria-hidden="true" />;
}

export function Home() {
  const store = useStore();
  // A new user's first screen: the feed is empty, so people to follow come first (embedded by the
  // server), and each follow fills the feed at once. They stay while the reader follows more.
  const [welcome] = useState(() => store.feedIds.value.length === 0 && !!store.boot.suggestions?.length);
  return (
    <>
      <h1 class="sr-only">Home</h1>
      <Composer />
      {welcome && <Suggestions initial={store.boot.suggestions} limit={10} onFollow={() => void store.reload()} testId="welcome-suggestions" />}
      <ModeSwitch />
      <NewPostsBanner />
      <Feed
        empty={welcome ? "Follow someone above and their posts appear here." : "Nothing here yet. Write a post or follow people to fill your feed."}
        extra={welcome ? undefined : { at: CARD_AT, node: <SuggestionsSlot onFollow={() => void store.catchUp()} /> }}
      />
    </>
  );
}

function ModeSwitch() {
  const store = useStore();
  const mode = store.mode.value;
  const pick = async (m: FeedMode) => {
    if (m === store.mode.value) return;
    if (await store.reload(m)) {
      const url = new URL(location.href);
      if (m === "latest") url.searchParams.set("mode", "latest");
      else url.searchParams.delete("mode");
      history.replaceState(null, "", url);
    }
  };
  return (
    <div class="modes" role="group" aria-label="Feed order">
      {(["ranked", "latest"] as const).map((m) => (
        <button key={m} type="button" class="mode" data-testid={`mode-${m}`} aria-pressed={mode === m ? "true" : "false"} onClick={() => void pick(m)}>
          {m === "ranked" ? "Top" : "Latest"}
        </button>
      ))}
    </div>
  );
}

function NewPostsBanner() {
  const store = useStore();
  const n = store.queue.value.length;
  if (n === 0) return null;
  return (
    <button
      type="button"
      class="banner"
      data-testid="new-posts-banner"
      onClick={() => {
        // Jump (no smooth scroll: rows measured on the way would keep moving the target).
        window.scrollTo(0, 0);
        store.showQueued();
        document.querySelector<HTMLElement>("#main")?.focus({ preventScroll: true });
      }}
    >
      ↑ {n} new {n === 1 ? "post" : "posts"}
    </button>
  );
}

function Composer() {
  const store = useStore();
  const [text, setText] = useState("");
  // Text typed into the server-rendered composer before the script loaded is kept: read it before
  // hydration resets the textarea, then set it after, so the Post button's state follows it too.
  const [early] = useState(() => (typeof document === "undefined" ? "" : (document.getElementById("composer") as HTMLTextAreaElement | null)?.value ?? ""));
  useLayoutEffect(() => {
    if (early) setText(early);
  }, []);
  const [privacy, setPrivacy] = useState<Privacy>("public");
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const attachments = useAttachments((message) => store.fail(message));
  const left = POST_MAX - text.length;
  const hasImages = attachments.items.length > 0;
  const ready = (text.trim() || hasImages) && left >= 0 && attachments.ready;
  const dropped = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes("Files")) return;
    e.preventDefault();
    setDragging(e.type === "dragover");
    if (e.type === "drop") attachments.add(imageFiles(e.dataTransfer.files));
  };
  return (
    <form
      class={dragging ? "composer card dragging" : "composer card"}
      aria-label="New post"
      onDragOver={dropped}
      onDragLeave={() => setDragging(false)}
      onDrop={dropped}
      onSubmit={(e) => {
        e.preventDefault();
        if (!ready) return;
        const body = { content: text, imageUrl: null, privacy, media: attachments.take() };
        setText("");
        window.scrollTo({ top: 0 });
        void store.createPost(body).then((ok) => {
          // Give the words back if the post failed and nothing new was typed.
          if (!ok && input.current && !input.current.value) setText(body.content);
        });
      }}
    >
      <label for="composer" class="sr-only">
        Write a post
      </label>
      <textarea
        id="composer"
        ref={input}
        name="content"
        data-testid="composer-input"
        placeholder="What's happening?"
        rows={2}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onPaste={(e) => {
          const files = imageFiles(e.clipboardData?.files);
          if (files.length === 0) return;
          e.preventDefault();
          attachments.add(files);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) (e.currentTarget.form as HTMLFormElement).requestSubmit();
        }}
      />
      {attachments.items.length > 0 && <AttachmentList attachments={attachments} />}
      <div class="composer-row">
        <input
          ref={picker}
          type="file"
          accept="image/*"
          multiple
          hidden
          data-testid="photo-input"
          onChange={(e) => {
            attachments.add(imageFiles(e.currentTarget.files));
            e.currentTarget.value = "";
          }}
        />
        <button
          type="button"
          class="btn ghost small"
          data-testid="photo-button"
          disabled={attachments.items.length >= MEDIA_PER_POST}
          onPointerEnter={loadPhotoCode}
          onClick={() => {
            loadPhotoCode();
            picker.current?.click();
          }}
        >
          Photo
        </button>
        <label class="privacy">
          <span class="sr-only">Who can see it</span>
          <select name="privacy" data-testid="composer-privacy" value={privacy} onChange={(e) => setPrivacy(e.currentTarget.value as Privacy)}>
            <option value="public">Everyone</option>
            <option value="friends">Friends</option>
          </select>
        </label>
        <span class={left < 0 ? "count over" : "count muted small"} aria-live="polite">
          {left < 200 ? left : ""}
        </span>
        <button type="submit" class="btn" data-testid="post-button" disabled={!ready}>
          {hasImages && !attachments.ready ? "Uploading…" : "Post"}
        </button>
      </div>
    </form>
  );
}
