/**
 * Generated pictures for seeded worlds: SVG as data: URLs, so the demo shows images with no
 * network and no files to serve (they work on any port and in any deployment).
 */

const toDataUrl = (svg) => `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;

/** A round avatar with initials on a colour picked from `hue`. */
export function avatar(initials, hue) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},70%,62%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360},65%,45%)"/></linearGradient></defs><circle cx="48" cy="48" r="48" fill="url(#g)"/><text x="48" y="60" font-family="system-ui,sans-serif" font-size="36" font-weight="600" fill="#fff" text-anchor="middle">${initials}</text></svg>`;
  return toDataUrl(svg);
}

const SCENES = ["mountains", "sea", "city", "forest", "desert", "night"];

/** A small landscape illustration; `n` picks the scene and palette deterministically. */
export function picture(n) {
  const scene = SCENES[n % SCENES.length];
  const hue = (n * 47) % 360;
  const sky = scene === "night" ? ["#0b1026", "#2b2f77"] : [`hsl(${hue},80%,78%)`, `hsl(${(hue + 30) % 360},85%,92%)`];
  const sun = scene === "night" ? `<circle cx="470" cy="70" r="28" fill="#f4f1c9"/>` : `<circle cx="${120 + ((n * 83) % 360)}" cy="${80 + (n % 4) * 12}" r="36" fill="hsl(${(hue + 20) % 360},95%,62%)"/>`;
  const ground = {
    mountains: `<polygon points="0,300 120,120 220,240 330,90 460,250 600,140 600,340 0,340" fill="hsl(${(hue + 200) % 360},25%,35%)"/><polygon points="0,340 160,220 300,300 450,210 600,290 600,340" fill="hsl(${(hue + 180) % 360},30%,25%)"/>`,
    sea: `<rect y="220" width="600" height="120" fill="hsl(${(hue + 180) % 360},60%,40%)"/><path d="M0 250 Q75 235 150 250 T300 250 T450 250 T600 250" stroke="#fff" stroke-opacity=".5" fill="none" stroke-width="3"/>`,
    city: Array.from({ length: 9 }, (_, i) => `<rect x="${i * 66 + 4}" y="${130 + ((i * 37 + n * 11) % 110)}" width="58" height="${220}" fill="hsl(${(hue + 220) % 360},15%,${22 + (i % 3) * 6}%)"/>`).join(""),
    forest: Array.from({ length: 12 }, (_, i) => `<polygon points="${i * 52},340 ${i * 52 + 30},${150 + ((i * 29 + n * 7) % 90)} ${i * 52 + 60},340" fill="hsl(${120 + (i % 3) * 15},45%,${22 + (i % 2) * 8}%)"/>`).join(""),
    desert: `<path d="M0 260 Q150 200 300 255 T600 240 V340 H0Z" fill="hsl(35,70%,62%)"/><path d="M0 300 Q200 260 380 300 T600 290 V340 H0Z" fill="hsl(28,65%,52%)"/>`,
    night: `<path d="M0 280 Q150 240 300 280 T600 270 V340 H0Z" fill="#141a3a"/>${Array.from({ length: 30 }, (_, i) => `<circle cx="${(i * 97 + n * 13) % 600}" cy="${(i * 53) % 200}" r="1.5" fill="#fff"/>`).join("")}`,
  }[scene];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="340" viewBox="0 0 600 340"><defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${sky[0]}"/><stop offset="1" stop-color="${sky[1]}"/></linearGradient></defs><rect width="600" height="340" fill="url(#s)"/>${sun}${ground}</svg>`;
  return toDataUrl(svg);
}
