/** /home.js: the home feed, and the offline shell (which shows the cached home feed). */
import { attach } from "../attach";
import { start } from "../boot";
import { Missing } from "../components/App";
import { bootFromCache } from "../offline";
import { Home, Suggestions } from "../pages/Home";

// A new user's first screen starts with people to follow, rendered by the server: their code comes
// before hydration, so the page does not flash (everyone else loads it after the first paint).
if (document.querySelector('[data-testid="welcome-suggestions"]')) Suggestions.provide((await import("../components/Suggestions")).Suggestions);
const { store, shell } = start((page) => (page === "home" ? Home : Missing), bootFromCache);
attach(store, shell);
