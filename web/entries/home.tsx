/** /home.js: the home feed, and the offline shell (which shows the cached home feed). */
import { attach } from "../attach";
import { start } from "../boot";
import { Missing } from "../components/App";
import { bootFromCache } from "../offline";
import { Home } from "../pages/Home";

const { store, shell } = start((page) => (page === "home" ? Home : Missing), bootFromCache);
attach(store, shell);
