/**
 * Browser start-up shared by the page bundles: hydrate the server-rendered page from its embedded
 * state (nothing is refetched), or, in the offline shell, render from the cache at once.
 */
import { hydrate, render, type ComponentType } from "preact";
import { App } from "./components/App";
import { browserApi } from "./lib/api";
import { createStore, type BootState, type Page, type Store } from "./store";

export function start(pick: (page: Page) => ComponentType, fromShell?: (path: string) => BootState): { store: Store; shell: boolean } {
  let boot = JSON.parse(document.getElementById("ef-state")?.textContent || "null") as BootState;
  const root = document.getElementById("app")!;
  const shell = boot.page === "shell" && !!fromShell;
  if (shell) boot = fromShell!(location.pathname);
  const store = createStore(boot, { api: browserApi });
  const app = <App store={store} page={pick(boot.page)} />;
  if (shell) {
    root.textContent = "";
    render(app, root);
  } else hydrate(app, root);
  store.now.value = Date.now();
  setInterval(() => (store.now.value = Date.now()), 30_000);
  return { store, shell };
}
