/** /settings.js: the settings page. */
import { start } from "../boot";
import { Missing } from "../components/App";
import { Settings } from "../pages/Settings";

start((page) => (page === "settings" ? Settings : Missing));
