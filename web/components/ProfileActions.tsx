/**
 * Mute and block, from someone's profile. Mute is a toggle (their posts leave your home feed).
 * Block asks first; once blocked, the profile is gone for you (as you are for them), so the page
 * says so and offers Undo (Settings lists every block too).
 */
import { useState } from "preact/hooks";
import type { BlockResponse, MuteResponse } from "../../schema/api";
import { errorText } from "../store";
import { useStore } from "./context";

export function ProfileActions({ onBlocked }: { onBlocked: (blocked: boolean) => void }) {
  const store = useStore();
  const p = store.profile.value!;
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const path = `/api/v1/users/${encodeURIComponent(p.username)}`;

  async function toggleMute() {
    const mute = !p.isMuted;
    store.profile.value = { ...p, isMuted: mute };
    const res = await store.api.call<MuteResponse>(mute ? "POST" : "DELETE", `${path}/mute`, undefined, store.api.newKey());
    if (!res.ok) {
      store.profile.value = { ...store.profile.value!, isMuted: !mute };
      store.fail(`Couldn't ${mute ? "mute" : "unmute"} @${p.username}. ${errorText(res.code, res.message)}`);
    }
  }

  async function block() {
    const res = await store.api.call<BlockResponse>("POST", `${path}/block`, undefined, store.api.newKey());
    if (res.ok) onBlocked(true);
    else store.fail(`Couldn't block @${p.username}. ${errorText(res.code, res.message)}`);
  }

  if (confirming)
    return (
      <div class="confirm" role="group" aria-label={`Block @${p.username}?`} data-testid="block-confirm">
        <span>
          Block @{p.username}? You stop following each other, and neither of you sees the other anywhere.
        </span>
        <button type="button" class="btn small danger" data-testid="block-confirm-button" onClick={() => void block()}>
          Block
        </button>
        <button type="button" class="btn ghost small" onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </div>
    );
  return (
    <span class="menu-wrap" onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
      <button type="button" class="btn ghost small" data-testid="profile-menu" aria-haspopup="true" aria-expanded={open ? "true" : "false"} aria-controls="profile-menu" onClick={() => setOpen(!open)}>
        ⋯<span class="sr-only"> More for @{p.username}</span>
      </button>
      {open && (
        <span class="menu" id="profile-menu">
          <button type="button" data-testid="mute-button" aria-pressed={p.isMuted ? "true" : "false"} onClick={() => (setOpen(false), void toggleMute())}>
            {p.isMuted ? "Unmute" : "Mute"}
          </button>
          <button type="button" data-testid="block-button" onClick={() => (setOpen(false), setConfirming(true))}>
            Block
          </button>
        </span>
      )}
    </span>
  );
}
