/** /profile.js: a profile page. */
import { attach } from "../attach";
import { start } from "../boot";
import { Missing } from "../components/App";
import { Profile } from "../pages/Profile";

const { store } = start((page) => (page === "profile" ? Profile : Missing));
attach(store, false);
