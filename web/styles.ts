/**
 * The app's CSS, inlined into every page by the worker (no render-blocking stylesheet request on a
 * slow link) and into the offline shell by the build. Kept small on purpose.
 */
export const CSS = `
:root{--bg:#f5f6f8;--card:#fff;--fg:#14171a;--muted:#5b6570;--line:#e3e6ea;--accent:#2563eb;--accent-fg:#fff;--like:#e0245e;--warn:#b42318;--radius:14px;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0f1115;--card:#181b21;--fg:#e8eaed;--muted:#9aa3ad;--line:#2a2f37;--accent:#5b8def;--like:#f4577f;--warn:#ff8a80}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--accent)}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px;border-radius:6px}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;left:8px;top:-40px;background:var(--card);padding:8px;z-index:20}.skip:focus{top:8px}
.top{position:sticky;top:0;z-index:10;background:color-mix(in srgb,var(--bg) 85%,transparent);backdrop-filter:blur(8px);border-bottom:1px solid var(--line)}
.bar{max-width:640px;margin:0 auto;padding:10px 16px;display:flex;align-items:center;gap:12px}
.brand{font-weight:800;font-size:19px;letter-spacing:-.02em;text-decoration:none;color:var(--fg)}
.grow-right{margin-left:auto;display:flex;align-items:center;gap:8px}
form.inline{display:contents}
main{max-width:640px;margin:0 auto;padding:16px}
main:focus{outline:none}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:14px 16px}
.row{padding-bottom:12px;overflow-anchor:none}
.feed{overflow-anchor:none}
.byline{display:flex;align-items:center;gap:6px;flex-wrap:wrap;min-width:0}
.name{font-weight:650;color:var(--fg);text-decoration:none}.name:hover{text-decoration:underline}
.muted{color:var(--muted)}.small{font-size:13px}.center{text-align:center}
.avatar{display:inline-grid;place-items:center;width:32px;height:32px;border-radius:50%;background:linear-gradient(135deg,#6366f1,#06b6d4);color:#fff;font-weight:700;font-size:14px;flex:none}
.avatar.big{width:64px;height:64px;font-size:26px}
.content{margin:8px 0 4px;white-space:pre-wrap;overflow-wrap:anywhere}
.shots{display:grid;gap:4px;margin-top:8px;border-radius:10px;overflow:hidden}
.shots.many{grid-template-columns:1fr 1fr}.shots.n3 .shot:first-child{grid-column:span 2;aspect-ratio:2/1}
.shot{display:block;padding:0;border:0;margin:0;background:var(--line);cursor:zoom-in;width:100%;max-height:512px;overflow:hidden}
.shots.many .shot{aspect-ratio:4/3}
.shot img{display:block;width:100%;height:100%;object-fit:cover}.shots.one .shot img{object-fit:contain}
img.avatar{object-fit:cover;padding:0}.avatar-upload{display:flex;align-items:center;gap:12px;flex-wrap:wrap}
.attachments{list-style:none;margin:8px 0;padding:0;display:grid;gap:8px}
.attachment{display:flex;gap:10px;align-items:flex-start;border:1px solid var(--line);border-radius:10px;padding:8px}
.thumb{width:72px;height:72px;object-fit:cover;border-radius:8px;flex:none;background:var(--line)}
.attachment-body{flex:1;min-width:0}.attachment textarea{font-size:14px;padding:6px 8px}.attachment progress{width:100%;height:6px;margin-bottom:6px}
.hint{margin:4px 0 0}.remove{flex:none}
.composer.dragging{outline:2px dashed var(--accent);outline-offset:2px}
.viewer{border:0;padding:0;background:transparent;max-width:100vw;max-height:100vh;width:100vw;height:100vh;color:#fff}
.viewer::backdrop{background:rgba(0,0,0,.88)}
.viewer figure{margin:0;height:calc(100% - 56px);display:flex;flex-direction:column;align-items:center;justify-content:center;gap:10px;padding:0 16px 16px}
.viewer img{max-width:100%;max-height:calc(100% - 4em);width:auto;height:auto;object-fit:contain}
.viewer figcaption{max-width:70ch;white-space:pre-wrap;overflow-wrap:anywhere;text-align:center}
.viewer-bar{display:flex;gap:8px;align-items:center;justify-content:flex-end;padding:10px 16px;height:56px}.viewer-bar .btn{color:#fff;border-color:rgba(255,255,255,.4)}.viewer-bar .muted{color:#ccc;margin-right:auto}
.media{display:block;max-width:100%;max-height:420px;border-radius:10px;margin-top:8px;border:1px solid var(--line)}
.quoted{border:1px solid var(--line);border-radius:10px;padding:10px 12px;margin-top:8px}
.badge{font-size:12px;padding:1px 8px;border-radius:99px;background:color-mix(in srgb,var(--accent) 14%,transparent);color:var(--accent);margin-left:6px}
.actions{display:flex;gap:4px;margin:6px -8px -6px}
.act{display:inline-flex;align-items:center;gap:6px;background:none;border:0;color:var(--muted);padding:6px 10px;border-radius:99px;font:inherit;cursor:pointer;min-height:36px}
.act:hover{background:color-mix(in srgb,var(--fg) 7%,transparent)}
.act svg{width:18px;height:18px;fill:none;stroke:currentColor;stroke-width:2;stroke-linejoin:round;stroke-linecap:round}
.like[aria-pressed=true]{color:var(--like)}.like[aria-pressed=true] svg{fill:currentColor}
.sending{opacity:.65}
.btn{font:inherit;font-weight:600;border:1px solid transparent;background:var(--accent);color:var(--accent-fg);padding:8px 18px;border-radius:99px;cursor:pointer}
.btn:disabled{opacity:.45;cursor:not-allowed}
.btn.ghost{background:transparent;color:var(--fg);border-color:var(--line)}
.btn.small{padding:4px 12px;font-size:13px}.btn.wide{width:100%;padding:10px}
.link{background:none;border:0;color:var(--accent);font:inherit;cursor:pointer;padding:4px 0}
textarea,input,select{font:inherit;color:inherit;background:transparent;border:1px solid var(--line);border-radius:10px;padding:8px 10px;width:100%}
.composer{margin-bottom:12px}.composer textarea{border:0;resize:vertical;font-size:17px;padding:4px 0;min-height:56px}
.composer-row{display:flex;align-items:center;gap:8px;border-top:1px solid var(--line);padding-top:10px}
.composer-row .count{margin-left:auto}.count.over{color:var(--warn);margin-left:auto}
.privacy select{width:auto;padding:4px 8px}
.extras label{display:block;font-size:13px;color:var(--muted);margin-bottom:8px}
.modes{display:flex;gap:4px;margin:0 0 12px;background:var(--card);border:1px solid var(--line);border-radius:99px;padding:4px;width:max-content}
.mode{font:inherit;border:0;background:none;color:var(--muted);padding:6px 16px;border-radius:99px;cursor:pointer;font-weight:600}
.mode[aria-pressed=true]{background:var(--accent);color:var(--accent-fg)}
.banner{position:fixed;top:64px;left:50%;transform:translateX(-50%);z-index:11;font:inherit;font-weight:650;background:var(--accent);color:var(--accent-fg);border:0;border-radius:99px;padding:8px 18px;box-shadow:0 6px 20px rgba(0,0,0,.2);cursor:pointer;animation:drop .2s ease-out}
@keyframes drop{from{transform:translate(-50%,-12px);opacity:0}}
.status{display:inline-flex;align-items:center;gap:6px;font-size:12px;color:var(--muted);border:1px solid var(--line);border-radius:99px;padding:2px 10px;min-width:76px;box-sizing:border-box}
.dot{width:8px;height:8px;border-radius:50%;background:#9aa3ad}.live .dot{background:#16a34a}.offline .dot{background:var(--warn)}.offline{color:var(--warn)}
.notice-wrap{position:fixed;bottom:16px;left:0;right:0;display:flex;justify-content:center;z-index:30;pointer-events:none}
.notice{pointer-events:auto;display:flex;align-items:center;gap:12px;background:var(--fg);color:var(--bg);padding:10px 12px 10px 16px;border-radius:12px;max-width:92vw;box-shadow:0 8px 28px rgba(0,0,0,.25)}
.notice .btn{color:var(--bg);border-color:transparent}
.comments{border-top:1px solid var(--line);margin-top:10px;padding-top:8px}
.comments ul{list-style:none;margin:0;padding:0}.comments li{padding:6px 0}.comments li .content{margin:2px 0}
.comment-form{display:flex;gap:8px;margin-top:6px}
.replies{margin:4px 0 0 14px!important;padding-left:12px!important;border-left:2px solid var(--line)}
.c-actions{display:flex;align-items:center;gap:10px;font-size:13px}.c-actions .act{min-height:28px;padding:2px 8px;font-size:13px}
.mention{font-weight:600;text-decoration:none}.mention:hover{text-decoration:underline}
.when{text-decoration:none}.when:hover{text-decoration:underline}
.bell{position:relative;display:inline-grid;place-items:center;width:36px;height:36px;border-radius:50%;color:var(--fg)}
.bell svg{width:22px;height:22px;fill:none;stroke:currentColor;stroke-width:2;stroke-linejoin:round;stroke-linecap:round}
.bell[aria-current=page]{color:var(--accent)}
.bell-count{position:absolute;top:0;right:-2px;min-width:18px;height:18px;padding:0 5px;border-radius:99px;background:var(--like);color:#fff;font-size:11px;font-weight:700;line-height:18px;text-align:center}
.page-title{font-size:20px;margin:4px 0 12px}
.notifications{list-style:none;margin:0 0 12px;padding:0;display:grid;gap:8px}
.note{padding:0}.note.unread{border-color:var(--accent);background:color-mix(in srgb,var(--accent) 6%,var(--card))}
.note-link{display:flex;gap:12px;padding:12px 14px;color:var(--fg);text-decoration:none}.note-link:hover .note-text strong{text-decoration:underline}
.avatars{display:flex}.avatars .avatar+.avatar{margin-left:-10px;box-shadow:0 0 0 2px var(--card)}
.note-text{display:grid;gap:2px;min-width:0}.preview{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.profile{margin-bottom:16px}.profile-head{display:flex;gap:14px;align-items:center}.profile h1{margin:0;font-size:22px}.profile p{margin:2px 0}
.follow{margin-left:auto}.stats{display:flex;gap:16px;margin-top:10px!important}
.auth{max-width:380px;margin:40px auto}.auth h1{font-size:22px;margin:0 0 16px}
.auth label{display:block;font-weight:600;font-size:14px;margin-bottom:12px}.auth input{margin-top:4px}
.form-error{color:var(--warn);min-height:1.2em;margin:4px 0 10px}
.empty{text-align:center;color:var(--muted);padding:40px 16px}
.bar{flex-wrap:wrap}
.search{position:relative;flex:1 1 160px;min-width:120px}.search input{padding:6px 12px;border-radius:99px}
.search-list{position:absolute;left:0;right:0;top:calc(100% + 4px);z-index:15;list-style:none;margin:0;padding:4px;background:var(--card);border:1px solid var(--line);border-radius:12px;box-shadow:0 8px 28px rgba(0,0,0,.18)}
p.search-list{padding:10px 12px}
.search-list li a{display:flex;gap:10px;align-items:center;padding:6px 8px;border-radius:8px;color:var(--fg);text-decoration:none}
.search-list li[aria-selected=true] a,.search-list li a:hover{background:color-mix(in srgb,var(--accent) 14%,transparent)}
.who{display:flex;flex-direction:column;min-width:0;flex:1}.who .name,.who span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
img.avatar{object-fit:cover;padding:0}
.people{list-style:none;margin:0;padding:0}
.person{display:flex;align-items:center;gap:10px;padding:8px 0;border-top:1px solid var(--line)}.person:first-child{border-top:0}
.row-actions{display:flex;gap:6px;flex:none}
.suggestions{margin:0 0 12px}.row .suggestions{margin:12px 0 0}.suggestions h2,.settings h2{font-size:16px;margin:0 0 6px}
.menu-wrap{position:relative;margin-left:auto}
.menu{position:absolute;right:0;top:100%;z-index:5;display:flex;flex-direction:column;min-width:120px;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:4px;box-shadow:0 6px 20px rgba(0,0,0,.15)}
.menu button{font:inherit;text-align:left;background:none;border:0;color:var(--fg);padding:8px 10px;border-radius:6px;cursor:pointer}.menu button:hover{background:color-mix(in srgb,var(--fg) 7%,transparent)}
.confirm{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin-top:8px}
.btn.danger{background:var(--warn);color:#fff}
.form-ok{color:#15803d;min-height:1.2em;margin:4px 0 10px}
.settings,.profile-edit{margin-bottom:12px}.settings label,.profile-edit label{display:block;font-weight:600;font-size:14px;margin-bottom:10px}.settings input,.profile-edit input,.profile-edit textarea{margin-top:4px}
.settings label.check{font-weight:400;display:flex;gap:8px;align-items:center}.check input{width:auto;margin:0}
.avatar-field{display:flex;gap:12px;align-items:flex-start;flex-wrap:wrap}.avatar-field label{flex:1}
.edit textarea{margin:8px 0}
.stats a{color:var(--fg);text-decoration:none}.stats a:hover{text-decoration:underline}
.mutual summary{cursor:pointer;margin-top:8px}.inline-list{list-style:none;padding:0;margin:6px 0 0;display:flex;flex-wrap:wrap;gap:4px 12px}
a.mode,a.btn{text-decoration:none}
main>h1,.card>h1{font-size:22px;margin:4px 0 12px}.mode[aria-current=page]{background:var(--accent);color:var(--accent-fg)}
@media (prefers-reduced-motion:reduce){*,*::before,*::after{animation:none!important;transition:none!important;scroll-behavior:auto!important}}
`.replace(/\n/g, "");
