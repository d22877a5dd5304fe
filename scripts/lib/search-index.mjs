/**
 * Builds the people search's display-name index (user_search_terms) for rows loaded in bulk, through
 * the worker: POST /api/v1/admin/search/reindex pages through the users by id and writes each one's
 * folded name words with the same code sign-ups and profile edits use (core/search.ts), so the seed
 * never re-implements the folding rule.
 */
import { adminFetch } from "./timelines.mjs";
import { progress } from "./ui.mjs";

export async function indexSearch({ url, token, users, pageSize = 1000, label = "search index" }) {
  const bar = progress(label, Math.max(1, users));
  let after = "";
  let done = 0;
  let terms = 0;
  for (;;) {
    let res;
    for (let attempt = 1; ; attempt++) {
      res = await adminFetch(url, token, "/search/reindex", { method: "POST", body: JSON.stringify({ after, limit: pageSize }) }).catch((e) => ({ status: 0, body: { error: { message: String(e) } } }));
      if (res.status === 200) break;
      if (res.status === 401 || res.status === 403 || res.status === 404 || attempt >= 20) throw new Error(`search reindex refused: ${res.status} ${JSON.stringify(res.body.error ?? res.body)}`);
      await new Promise((r) => setTimeout(r, Math.min(5000, 500 * attempt))); // wrangler dev restarting
    }
    done += res.body.data.users;
    terms += res.body.data.terms;
    bar.update(Math.min(done, users), `(${terms.toLocaleString("en-US")} terms)`);
    if (res.body.data.next === null) break;
    after = res.body.data.next;
  }
  const ms = bar.done(`(${terms.toLocaleString("en-US")} terms)`);
  return { users: done, terms, ms };
}
