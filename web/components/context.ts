import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Store } from "../store";

/** The store reaches components through context: one per request on the server, one per tab in the browser. */
export const StoreContext = createContext<Store | null>(null);
export function useStore(): Store {
  const store = useContext(StoreContext);
  if (!store) throw new Error("StoreContext missing");
  return store;
}
