/**
 * The feed, virtualized over the window (@tanstack/virtual-core) with measured row heights and
 * `getItemKey` = post id, so prepending keeps every measurement. Rows stay in normal flow between
 * two spacers: the server renders the first page as plain rows, the client hydrates the same
 * markup and only then lets the virtualizer choose the rows (no flash, no refetch).
 */
import { observeWindowOffset, observeWindowRect, Virtualizer, windowScroll, type VirtualizerOptions } from "@tanstack/virtual-core";
import { Component } from "preact";
import { useEffect, useLayoutEffect, useReducer, useRef, useState } from "preact/hooks";
import type { ComponentChildren } from "preact";
import { PostCard } from "./PostCard";
import { useStore } from "./context";

type V = Virtualizer<Window, HTMLElement>;
type CardProps = { id: string; index: number; setSize: number };

/** The feed re-renders on every scroll frame; a card re-renders only when its own props or signals change. */
class Card extends Component<CardProps> {
  override shouldComponentUpdate(next: CardProps) {
    const p = this.props;
    return next.id !== p.id || next.index !== p.index || next.setSize !== p.setSize;
  }
  override render() {
    return <PostCard {...this.props} />;
  }
}
const PREFETCH = 10;

/** `extra`: something shown in the feed below the post at index `at` (or the last, if fewer), e.g. a suggestions card. */
export function Feed({ empty, extra }: { empty: string; extra?: { at: number; node: ComponentChildren } }) {
  const store = useStore();
  const ids = store.feedIds.value;
  const hasMore = store.hasMore.value;
  const loading = store.loading.value;
  const list = useRef<HTMLDivElement>(null);
  const idsRef = useRef(ids);
  idsRef.current = ids;
  const [v, setV] = useState<V | null>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);

  const options = (): VirtualizerOptions<Window, HTMLElement> => ({
    count: idsRef.current.length,
    getScrollElement: () => window,
    estimateSize: () => 170,
    overscan: 5,
    getItemKey: (i) => idsRef.current[i] ?? i,
    observeElementRect: observeWindowRect,
    observeElementOffset: observeWindowOffset,
    scrollToFn: windowScroll,
    scrollMargin: list.current ? list.current.getBoundingClientRect().top + window.scrollY : 0,
    initialOffset: () => window.scrollY,
    onChange: () => rerender(0),
  });

  useLayoutEffect(() => {
    const virt = new Virtualizer<Window, HTMLElement>(options());
    const unmount = virt._didMount();
    virt._willUpdate();
    setV(virt);
    return unmount;
  }, []);
  if (v) v.setOptions(options());
  useLayoutEffect(() => {
    v?._willUpdate();
  });

  const items = v ? v.getVirtualItems() : ids.map((key, index) => ({ key, index, start: 0, end: 0 }));
  const extraAt = extra ? Math.min(extra.at, ids.length - 1) : -1;
  const margin = v?.options.scrollMargin ?? 0;
  const first = items[0];
  const last = items[items.length - 1];
  const top = v && first ? first.start - margin : 0;
  const bottom = v && last ? Math.max(0, v.getTotalSize() - (last.end - margin)) : 0;

  // Posts put on top while the reader is further down (a share, a catch-up) must not move what
  // the reader is looking at: scroll by the height they add above.
  const previous = useRef(ids);
  useLayoutEffect(() => {
    const before = previous.current;
    previous.current = ids;
    const k = before.length ? ids.indexOf(before[0]) : -1;
    if (!v || k <= 0 || window.scrollY < 120) return;
    const m = v.measurementsCache;
    if (m[k] && m[0]) window.scrollBy(0, m[k].start - m[0].start);
  }, [ids]);

  useEffect(() => {
    if (last && last.index >= ids.length - PREFETCH && hasMore && !loading) void store.loadMore();
    const shown = items.map((i) => ids[i.index]).filter(Boolean);
    if (shown.join() !== store.onScreen.value.join()) store.onScreen.value = shown;
  });

  return (
    <div class="feed" data-testid="feed" role="feed" aria-busy={loading ? "true" : "false"} aria-label="Posts" ref={list}>
      <div style={{ paddingTop: `${top}px`, paddingBottom: `${bottom}px` }}>
        {items.map((item) => {
          const id = ids[item.index];
          return id ? (
            <div class="row" key={id} data-index={item.index} ref={v ? v.measureElement : undefined}>
              <Card id={id} index={item.index} setSize={hasMore ? -1 : ids.length} />
              {item.index === extraAt && extra!.node}
            </div>
          ) : null;
        })}
      </div>
      {ids.length === 0 && !loading && <p class="empty">{empty}</p>}
      {loading && <p class="muted center" role="status">Loading…</p>}
      {!hasMore && ids.length > 0 && <p class="muted center small">You're all caught up.</p>}
    </div>
  );
}
