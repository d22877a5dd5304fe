/**
 * A component whose code is not needed for a page's first paint, loaded the first time it is
 * rendered (a chunk of its own in the home feed's build: scripts/build-web.mjs). Until then it
 * renders `fallback` (nothing by default: a fallback with the same markup keeps its DOM, focus
 * included, when the real one takes over); `provide` gives it up front (the server's renderer,
 * pages that always show it).
 */
import type { ComponentType } from "preact";
import { useEffect, useReducer } from "preact/hooks";

export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>, fallback: ComponentType<P> | null = null) {
  let Loaded: ComponentType<P> | null = null;
  let loading: Promise<unknown> | null = null;
  const preload = () => (loading ??= load().then((component) => (Loaded = component)));
  function Lazy(props: P) {
    const [, loaded] = useReducer((n: number) => n + 1, 0);
    useEffect(() => {
      if (!Loaded) void preload().then(loaded);
    }, []);
    const Shown = Loaded ?? fallback;
    return Shown ? <Shown {...props} /> : null;
  }
  Lazy.provide = (component: ComponentType<P>) => void (Loaded = component);
  /** Fetches the code now, before the first render needs it (e.g. while the network is still there). */
  Lazy.preload = () => void preload().catch(() => (loading = null));
  return Lazy;
}
