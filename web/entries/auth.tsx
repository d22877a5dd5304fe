/** /auth.js: sign in and sign up (no feed code). */
import { start } from "../boot";
import { Login, Signup } from "../pages/Auth";

start((page) => (page === "signup" ? Signup : Login));
