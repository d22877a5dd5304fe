/** Terminal output for the scripts: a TTY-aware progress bar, tables, durations. */

const tty = Boolean(process.stdout.isTTY);

export function formatMs(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export const formatInt = (n) => Number(n).toLocaleString("en-US");

/**
 * A progress bar on one line when stdout is a terminal; otherwise a plain line every ~10%, so logs
 * and CI output stay readable.
 */
export function progress(label, total) {
  const started = Date.now();
  let lastDecile = -1;
  let lastDraw = 0;
  const draw = (done, extra = "") => {
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    if (tty) {
      const now = Date.now();
      if (now - lastDraw < 80 && done < total) return;
      lastDraw = now;
      const width = 28;
      const filled = Math.round(ratio * width);
      const elapsed = (now - started) / 1000;
      const rate = elapsed > 0 ? done / elapsed : 0;
      const eta = rate > 0 && done < total ? ` eta ${formatMs(((total - done) / rate) * 1000)}` : "";
      process.stdout.write(
        `\r  ${label.padEnd(18)} [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${formatInt(done)}/${formatInt(total)}${eta} ${extra}\x1b[K`,
      );
    } else {
      const decile = Math.floor(ratio * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        console.log(`  ${label}: ${formatInt(done)}/${formatInt(total)} (${Math.round(ratio * 100)}%) ${extra}`.trimEnd());
      }
    }
  };
  return {
    update: draw,
    done(extra = "") {
      draw(total, extra);
      if (tty) process.stdout.write(`\r  ${label.padEnd(18)} done: ${formatInt(total)} in ${formatMs(Date.now() - started)} ${extra}\x1b[K\n`);
      return Date.now() - started;
    },
  };
}

/** A step that prints its label, runs, and prints its duration. */
export async function step(label, work) {
  const started = Date.now();
  if (tty) process.stdout.write(`  ${label} …`);
  else console.log(`  ${label} …`);
  const result = await work();
  const ms = Date.now() - started;
  if (tty) process.stdout.write(`\r  ${label} (${formatMs(ms)})\x1b[K\n`);
  else console.log(`  ${label}: ${formatMs(ms)}`);
  return { result, ms };
}

/** A plain box-drawn table. `rows` are arrays of cells; numbers are right-aligned. */
export function table(rows, { head } = {}) {
  const all = head ? [head, ...rows] : rows;
  const cells = all.map((r) => r.map((c) => (c === null || c === undefined ? "–" : typeof c === "number" ? formatInt(c) : String(c))));
  const widths = [];
  for (const r of cells) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  const numeric = all.map((r) => r.map((c) => typeof c === "number"));
  const line = (l, m, r) => `${l}${widths.map((w) => "─".repeat(w + 2)).join(m)}${r}`;
  const out = [line("┌", "┬", "┐")];
  cells.forEach((r, ri) => {
    out.push(`│${widths.map((w, i) => ` ${numeric[ri][i] ? (r[i] ?? "").padStart(w) : (r[i] ?? "").padEnd(w)} `).join("│")}│`);
    if (head && ri === 0) out.push(line("├", "┼", "┤"));
  });
  out.push(line("└", "┴", "┘"));
  return out.join("\n");
}
