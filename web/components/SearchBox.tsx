/**
 * The people search in the top bar: its code (web/components/Search.tsx, the combobox) loads right
 * after the first paint, not with the page. Until then this renders the same search box, so the
 * combobox takes over the very same input (focus and anything typed stay; Search reads it).
 */
import { lazyComponent } from "./lazy";

function SearchPlaceholder() {
  return (
    <div class="search" role="search">
      <label for="people-search" class="sr-only">
        Search people
      </label>
      <input id="people-search" type="search" data-testid="search-input" role="combobox" aria-autocomplete="list" aria-expanded="false" autocomplete="off" spellcheck={false} maxLength={50} placeholder="Search people" />
    </div>
  );
}

export const SearchBox = lazyComponent(() => import("./Search").then((m) => m.Search), SearchPlaceholder);
