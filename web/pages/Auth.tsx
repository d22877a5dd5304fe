/** Sign in and sign up. Errors from the API's codes are shown in an alert region. */
import { useState } from "preact/hooks";
import type { AuthResponse, LoginBody, SignupBody } from "../../schema/api";
import { call } from "../lib/api";
import { DISPLAY_NAME_MAX } from "../lib/limits";
import { errorText } from "../store";
import { useStore } from "../components/context";

const AUTH_MESSAGES: Record<string, string> = {
  INVALID_CREDENTIALS: "Wrong username or password.",
  RATE_LIMITED: "Too many sign-in attempts. Wait a minute and try again.",
  USERNAME_TAKEN: "That username is taken.",
  INVALID_USERNAME: "Usernames are 3–30 characters: a–z, 0–9 and _.",
  WEAK_PASSWORD: "Passwords need at least 8 characters.",
};

export function Login() {
  return <Auth mode="login" />;
}
export function Signup() {
  return <Auth mode="signup" />;
}

function Auth({ mode }: { mode: "login" | "signup" }) {
  // A form posted before the script loaded comes back from the worker with its error.
  const failed = useStore().boot.authError;
  const [error, setError] = useState(failed ? errorText(failed.code, failed.message, AUTH_MESSAGES) : "");
  const [busy, setBusy] = useState(false);
  const signup = mode === "signup";
  return (
    <section class="auth card" aria-labelledby="auth-title">
      <h1 id="auth-title">{signup ? "Create your account" : "Sign in to edgefeed"}</h1>
      {/* method/action make the form work before hydration; once hydrated, the JSON API is used. */}
      <form
        method="post"
        action={`/${mode}`}
        onSubmit={async (e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const username = String(form.get("username") ?? "").trim().toLowerCase();
          const login: LoginBody = { username, password: String(form.get("password") ?? "") };
          const body: LoginBody | SignupBody = signup ? { ...login, displayName: String(form.get("displayName") ?? "").trim() || username } : login;
          setBusy(true);
          setError("");
          const res = await call<AuthResponse>("POST", `/api/v1/auth/${mode}`, body);
          if (res.ok) return location.assign("/");
          setBusy(false);
          setError(errorText(res.code, res.message, AUTH_MESSAGES));
        }}
      >
        <label>
          Username
          <input name="username" autoComplete="username" required autoCapitalize="none" spellcheck={false} maxLength={30} />
        </label>
        {signup && (
          <label>
            Display name
            <input name="displayName" autoComplete="name" maxLength={DISPLAY_NAME_MAX} />
          </label>
        )}
        <label>
          Password
          <input name="password" type="password" autoComplete={signup ? "new-password" : "current-password"} required minLength={signup ? 8 : undefined} />
        </label>
        <p class="form-error" role="alert" data-testid="auth-error">
          {error}
        </p>
        <button type="submit" class="btn wide" disabled={busy}>
          {signup ? "Sign up" : "Sign in"}
        </button>
      </form>
      <p class="muted small center">
        {signup ? (
          <>
            Have an account? <a href="/login">Sign in</a>
          </>
        ) : (
          <>
            New here? <a href="/signup">Create an account</a>
          </>
        )}
      </p>
    </section>
  );
}
