/**
 * The people search in the top bar: an ARIA 1.2 combobox with a listbox popup. Results come as
 * you type (debounced, and a late answer to an older query is dropped); ArrowDown/ArrowUp move
 * through them, Enter opens the chosen person's profile (the first when none is chosen), Escape
 * closes the list, then clears the box. The list is links, so a click or a middle-click works too.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { SearchResponse, SearchUser } from "../../schema/api";
import { Avatar } from "./Avatar";
import { useStore } from "./context";
import { profileHref } from "./PersonRow";

const DEBOUNCE_MS = 150;
const LIST_ID = "people-search-list";
const optionId = (i: number) => `people-search-${i}`;

export function Search() {
  const store = useStore();
  const [q, setQ] = useState("");
  const [results, setResults] = useState<SearchUser[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState("");
  const asked = useRef(0);
  const box = useRef<HTMLInputElement>(null);
  // What was typed before the page hydrated is in the box but not in `q`: take it over.
  useEffect(() => {
    const typed = box.current?.value ?? "";
    if (typed === "") return;
    setQ(typed);
    if (document.activeElement === box.current) setOpen(true);
  }, []);

  useEffect(() => {
    const query = q.trim();
    if (!query) {
      asked.current++;
      setResults([]);
      setStatus("");
      return;
    }
    const timer = setTimeout(async () => {
      const seq = ++asked.current;
      const res = await store.api.call<SearchResponse>("GET", `/api/v1/search/users?q=${encodeURIComponent(query.slice(0, 50))}&limit=8`);
      if (seq !== asked.current) return; // a newer query is on its way
      const users = res.ok ? res.data.users : [];
      setResults(users);
      setActive(-1);
      setOpen(true);
      setStatus(!res.ok ? "Search is not available right now." : users.length === 0 ? "No one found." : `${users.length} ${users.length === 1 ? "person" : "people"} found.`);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [q]);

  const go = (user: SearchUser | undefined) => user && location.assign(profileHref(user.username));
  const expanded = open && q.trim() !== "" && (results.length > 0 || status !== "");

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) return setOpen(true);
      if (results.length === 0) return;
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((i) => (i + step + results.length) % results.length);
    } else if (e.key === "Enter") {
      if (!expanded || results.length === 0) return;
      e.preventDefault();
      go(results[active >= 0 ? active : 0]);
    } else if (e.key === "Escape") {
      e.preventDefault();
      if (expanded) setOpen(false);
      else setQ("");
      setActive(-1);
    }
  }

  return (
    <div class="search" role="search">
      <label for="people-search" class="sr-only">
        Search people
      </label>
      <input
        id="people-search"
        ref={box}
        type="search"
        data-testid="search-input"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded ? "true" : "false"}
        aria-controls={LIST_ID}
        aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
        autocomplete="off"
        spellcheck={false}
        maxLength={50}
        placeholder="Search people"
        value={q}
        onInput={(e) => {
          setQ(e.currentTarget.value);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      <ul id={LIST_ID} role="listbox" aria-label="People" class="search-list" hidden={!expanded || results.length === 0}>
        {results.map((u, i) => (
          <li key={u.id} id={optionId(i)} role="option" aria-selected={i === active ? "true" : "false"} data-testid="search-result" onMouseEnter={() => setActive(i)}>
            <a href={profileHref(u.username)} tabIndex={-1}>
              <Avatar user={u} />
              <span class="who">
                <span class="name">{u.displayName}</span>
                <span class="muted small">
                  @{u.username}
                  {u.mutualFriendCount > 0 ? ` · ${u.mutualFriendCount} mutual` : u.isFollowing ? " · following" : ""}
                </span>
              </span>
            </a>
          </li>
        ))}
      </ul>
      <span class="sr-only" role="status" aria-live="polite">
        {expanded ? status : ""}
      </span>
      {expanded && results.length === 0 && status && (
        <p class="search-list muted small" data-testid="search-empty">
          {status}
        </p>
      )}
    </div>
  );
}
