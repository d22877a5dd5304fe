/** /auth.js: sign in and sign up (no feed code). */
import { start } from "../boot";
import { forgetOfflineData } from "../offline";
import { Login, Signup } from "../pages/Auth";

start((page) => (page === "signup" ? Signup : Login));
// The worker serves these pages only to a signed-out browser (a log-out done by a plain form post,
// before the script loaded, lands here): nobody's cached feed should outlive that.
forgetOfflineData();
