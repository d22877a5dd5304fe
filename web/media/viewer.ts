/**
 * The image viewer (lazy: web/media/lazy.ts): a modal <dialog> over the page showing one of a
 * post's images at full size with its alt text. The keyboard works: Escape closes (the dialog's
 * own cancel), ← and → move between images, Tab stays inside; focus returns to the image that
 * opened it. Plain DOM, so it costs the page nothing until an image is opened; all user text is
 * set as text (textContent, alt), never as markup.
 */
import type { PostMedia } from "../../schema/api";

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> & Record<string, unknown> = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.assign(node, props);
  return node;
}

export function openViewer(items: readonly PostMedia[], start: number, opener?: HTMLElement | null): void {
  if (items.length === 0) return;
  let index = Math.min(Math.max(0, start), items.length - 1);
  const dialog = el("dialog", { className: "viewer" });
  dialog.setAttribute("aria-label", "Image viewer");
  dialog.dataset.testid = "image-viewer";
  const figure = el("figure");
  const img = el("img", { decoding: "async" });
  img.dataset.testid = "viewer-image";
  const caption = el("figcaption");
  caption.dataset.testid = "viewer-alt";
  const position = el("span", { className: "muted small" });
  position.setAttribute("aria-live", "polite");
  const close = el("button", { type: "button", className: "btn ghost small viewer-close", textContent: "Close" });
  close.dataset.testid = "viewer-close";
  const prev = el("button", { type: "button", className: "btn ghost small", textContent: "← Previous" });
  const next = el("button", { type: "button", className: "btn ghost small", textContent: "Next →" });
  prev.dataset.testid = "viewer-prev";
  next.dataset.testid = "viewer-next";
  const bar = el("div", { className: "viewer-bar" });
  for (const part of [position, prev, next, close]) bar.appendChild(part);
  figure.appendChild(img);
  figure.appendChild(caption);
  dialog.appendChild(bar);
  dialog.appendChild(figure);

  const show = () => {
    const item = items[index];
    img.src = item.url;
    img.alt = item.alt;
    img.width = item.width;
    img.height = item.height;
    caption.textContent = item.alt || "No description was written for this image.";
    caption.classList.toggle("muted", !item.alt);
    position.textContent = items.length > 1 ? `Image ${index + 1} of ${items.length}` : "";
    prev.hidden = next.hidden = items.length < 2;
    prev.disabled = index === 0;
    next.disabled = index === items.length - 1;
  };
  const move = (by: number) => {
    const to = index + by;
    if (to < 0 || to >= items.length) return;
    index = to;
    show();
  };

  prev.addEventListener("click", () => move(-1));
  next.addEventListener("click", () => move(1));
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("keydown", (e) => {
    if (e.key === "ArrowLeft") (e.preventDefault(), move(-1));
    if (e.key === "ArrowRight") (e.preventDefault(), move(1));
  });
  // A click on the backdrop (the dialog itself, outside its content) closes it too.
  dialog.addEventListener("click", (e) => e.target === dialog && dialog.close());
  dialog.addEventListener("close", () => {
    dialog.remove();
    opener?.focus();
  });

  show();
  document.body.appendChild(dialog);
  dialog.showModal();
  close.focus();
}
