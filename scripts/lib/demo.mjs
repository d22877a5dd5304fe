/**
 * The demo world `npm start` seeds into an empty database: twenty named people with bios,
 * avatars, friendships and varied posts (text, generated pictures, links, shares, friends-only),
 * likes and comments, and one real celebrity, @nova.
 *
 * A celebrity here is what the worker thinks one is: at least CELEBRITY_THRESHOLD followers
 * (10,000 by default). Rather than lowering the threshold for the demo (which would make the demo
 * behave unlike production), the world includes threshold + 150 quiet "reader" accounts that
 * follow Nova and like her posts: they were last active months ago, so they cost no timeline and
 * no fan-out, and Nova's posts take the pull path exactly as in production.
 */
import { avatar, picture } from "./art.mjs";
import { EdgeList } from "./world.mjs";
import { FIRST, LAST, prng } from "./text.mjs";

const DAY = 86_400_000;
const HOUR = 3_600_000;

export const DEMO_PASSWORD = "edgefeed-demo";
export const DEMO_LOGINS = [
  { username: "ada", note: "backend engineer, friends with most of the cast" },
  { username: "ben", note: "photographer, posts pictures" },
  { username: "nova", note: "the celebrity (pull path), 10,000+ followers" },
];

const PEOPLE = [
  ["ada", "Ada Okafor", "Backend engineer at a small startup. Durable Objects enthusiast. Runs on coffee.", 12],
  ["ben", "Ben Moreau", "Photographer. Mostly mountains, sometimes people. Film when I can afford it.", 200],
  ["chloe", "Chloe Nguyen", "Baker by night, product designer by day. Sourdough evangelist.", 330],
  ["dmitri", "Dmitri Petrov", "Marathoner in training. Data engineer. Spreadsheets of my splits.", 260],
  ["elena", "Elena Garcia", "Primary school teacher. Books, plants, bad puns.", 20],
  ["farah", "Farah Haddad", "Architect. I notice doors. Lots of doors.", 180],
  ["gabriel", "Gabriel Silva", "Jazz bassist and part-time sound engineer.", 45],
  ["hana", "Hana Tanaka", "Illustrator. Cats, clouds and tiny towns.", 300],
  ["ivan", "Ivan Kowalski", "SRE. On call more than I'd like. Climber.", 150],
  ["jade", "Jade Murphy", "Nurse, night shifts, morning swims.", 100],
  ["kofi", "Kofi Mensah", "Founder of a bike repair co-op. Fixing things is a love language.", 30],
  ["lena", "Lena Schmidt", "PhD student in ecology. Counting bees for science.", 90],
  ["mateo", "Mateo Rossi", "Chef. Opinions about olive oil.", 10],
  ["nina", "Nina Ivanova", "Frontend developer. Accessibility matters.", 280],
  ["omar", "Omar Khan", "Urban cyclist, city planner, map collector.", 140],
  ["priya", "Priya Patel", "Product manager. Writing docs nobody reads (you should read them).", 340],
  ["quinn", "Quinn Walsh", "Game designer. Board games > video games (don't tell my boss).", 240],
  ["rosa", "Rosa Lopez", "Gardener and beekeeper. Honey available, ask nicely.", 60],
  ["sami", "Sami Demir", "Student. Learning Rust and Turkish coffee.", 210],
  ["tara", "Tara Singh", "Journalist covering tech and cities.", 350],
];
const NOVA = ["nova", "Nova Reyes", "Singer, songwriter. World tour 2027 ✨ New album 'Edge of Night' out now.", 290];

const POSTS = {
  ada: ["Shipped the new feed today: one object call and one D1 query per page. Feels fast.", "Hot take: most queues should be a table and an alarm.", "Anyone up for climbing on Saturday? 🧗", "Debugging a timezone bug. It is always a timezone."],
  ben: ["Caught first light on the ridge this morning.", "New roll developed. Some keepers!", "The fog rolled in right after this shot."],
  chloe: ["Sourdough attempt #47. The crumb! 🍞", "Cardamom buns for the office, none survived past 10am.", "Friends: bake-off at mine on Sunday, bring an appetite."],
  dmitri: ["18 km long run, negative splits, very happy.", "Rest day. My legs have filed a formal complaint.", "Race bib arrived. It's real now."],
  elena: ["My class planted sunflowers today and named every single one.", "Book club pick for next month: suggestions welcome!", "Parent-teacher evening survived. Pizza earned."],
  farah: ["This door in the old town. Look at it.", "Concrete can be gentle if you let the light in.", "Site visit in the rain, boots fully soaked."],
  gabriel: ["Gig tonight at the Blue Lantern, 9pm. Come say hi!", "New bass strings, new me.", "Recording session ran till 3am. Worth it."],
  hana: ["Drew a tiny town inside a teacup.", "Clouds today looked like whales. Sketchbook's full.", "Commission queue is open again!"],
  ivan: ["Pager went off at 4am. Root cause: a certificate. Of course.", "Wrote a runbook so future me sleeps better.", "Bouldering after work, V5 finally went."],
  jade: ["Night shift done. Sunrise swim. Bed.", "Thank you to everyone who brought snacks to the ward 💙", "Three nights off in a row. Ideas?"],
  kofi: ["Fixed 14 bikes at the co-op today. Volunteers are the best.", "A bike you can repair is a bike you keep.", "Looking for spare inner tubes, any size."],
  lena: ["Counted 212 bees on one lavender bush. Science!", "Field season starts Monday, wish me dry socks.", "Paper accepted!! 🎉"],
  mateo: ["Olive oil tasting tonight. Peppery is a compliment.", "Tomato season means panzanella every day.", "New menu drops Friday."],
  nina: ["Reminder: buttons should be buttons.", "Tested our app with a screen reader today. Humbling and useful.", "Focus outlines are a feature, not a bug."],
  omar: ["New protected bike lane opened downtown! 🚲", "Found a 1920s map of the city at a flea market.", "Traffic calming works. Here's the data."],
  priya: ["Wrote a one-page spec. It was enough.", "Roadmaps are promises to think, not to ship.", "Team offsite: we planned less and decided more."],
  quinn: ["Prototype night: three new card games, one keeper.", "Playtesters are a gift. Feed them.", "Rolling dice is a design tool."],
  rosa: ["First honey harvest of the year 🍯", "The tomatoes are winning the garden.", "Bees were calm today, so was I."],
  sami: ["Rust borrow checker: 1, me: 0. Rematch tomorrow.", "Perfect Turkish coffee, finally. The foam!", "Exam week. Send snacks."],
  tara: ["Reporting on how cities use edge computing for transit data.", "Interviewed three mayors this week. Fascinating.", "Long read coming Sunday."],
  nova: ["Tour dates for 2027 are live! ✨", "Soundcheck in Lisbon. This city!", "Thank you for 10,000+ of you being here. New song Friday.", "Backstage with the band 🎶", "Edge of Night, track 3, wrote it on a night train."],
};
const FRIENDS_ONLY = ["Private-ish: moving house next month, need boxes and good humour.", "Just for friends: birthday drinks at mine Friday!", "Bit of a rough week. Thanks for checking in, you know who you are.", "Friends only: spare ticket for Saturday's gig, who wants it?"];
const LINKS = ["Great explainer on Durable Objects: https://developers.cloudflare.com/durable-objects/", "Why power laws show up everywhere: https://en.wikipedia.org/wiki/Power_law", "Recursive CTEs are underrated: https://www.sqlite.org/lang_with.html"];
const COMMENTS = ["Love this!", "So good 😍", "Where was this taken?", "Congrats!! 🎉", "Count me in.", "Haha, same.", "Need the recipe.", "This made my day.", "Beautiful shot.", "Saving this.", "Tell me more!", "You're on fire this week."];

export function demoWorld({ threshold, now = Date.now(), seed = 7 }) {
  const rand = prng(seed);
  const users = [];
  const index = new Map();
  const addUser = (username, displayName, bioText, hue, createdAt, lastActiveAt) => {
    index.set(username, users.length);
    const initials = displayName.split(" ").map((w) => w[0]).join("").slice(0, 2);
    users.push({ username, displayName, bio: bioText, avatarUrl: hue === null ? null : avatar(initials, hue), createdAt, lastActiveAt });
    return users.length - 1;
  };
  for (const [username, name, bioText, hue] of [NOVA, ...PEOPLE]) addUser(username, name, bioText, hue, now - (200 + rand() * 400) * DAY, now - rand() * 6 * HOUR);
  const named = PEOPLE.map(([u]) => index.get(u));
  const nova = index.get("nova");
  // Quiet readers: enough that Nova truly has >= threshold followers.
  const readers = [];
  for (let i = 1; i <= threshold + 150; i++) {
    const first = FIRST[Math.floor(rand() * FIRST.length)];
    const last = LAST[Math.floor(rand() * LAST.length)];
    const created = now - (60 + rand() * 600) * DAY;
    readers.push(addUser(`reader_${String(i).padStart(5, "0")}`, `${first} ${last}`, null, null, created, Math.max(created + DAY, now - (20 + rand() * 150) * DAY)));
  }

  const follows = new EdgeList(readers.length + 1024);
  const edges = new Set();
  const follow = (a, b, t = now - rand() * 150 * DAY) => {
    const key = `${a}>${b}`;
    if (a === b || edges.has(key)) return;
    edges.add(key);
    follows.push(a, b, Math.max(t, users[a].createdAt, users[b].createdAt));
  };
  const isFriend = (a, b) => edges.has(`${a}>${b}`) && edges.has(`${b}>${a}`);
  for (const r of readers) follow(r, nova);
  for (const r of readers.slice(0, 400)) follow(r, named[Math.floor(rand() * named.length)]);
  for (const a of named) {
    follow(a, nova);
    for (const b of named) if (a !== b && rand() < 0.45) follow(a, b);
  }
  // Friendships (mutual follows): most follows between the named cast are followed back.
  for (const a of named) for (const b of named) if (edges.has(`${a}>${b}`) && rand() < 0.7) follow(b, a);
  // Ada's circle is everyone (a good first login) and Nova follows Ada back.
  const ada = index.get("ada");
  for (const b of named) (follow(ada, b), follow(b, ada));
  follow(nova, ada);
  follow(nova, index.get("ben"));

  const posts = [];
  let pic = 0;
  const addPost = (author, content, extra = {}) => {
    posts.push({ author, content, imageUrl: null, postType: "text", privacy: "public", shared: -1, createdAt: now - rand() * 9 * DAY - 10 * 60_000, ...extra });
    return posts.length - 1;
  };
  for (const [username, lines] of Object.entries(POSTS)) {
    const author = index.get(username);
    for (const line of lines) {
      const withPicture = ["ben", "farah", "hana", "nova", "chloe", "rosa"].includes(username) ? rand() < 0.7 : rand() < 0.15;
      addPost(author, line, withPicture ? { imageUrl: picture(pic++), postType: "image" } : {});
    }
  }
  named.forEach((a, i) => {
    if (i % 3 === 0) addPost(a, FRIENDS_ONLY[i % FRIENDS_ONLY.length], { privacy: "friends" });
    if (i % 4 === 1) addPost(a, LINKS[i % LINKS.length], { postType: "link" });
  });
  addPost(nova, "Friends-only: thank you for the birthday wishes, you lot are the best 💛", { privacy: "friends" });
  // The newest post is Ada's, so her feed opens on something she just wrote.
  addPost(ada, "Welcome to edgefeed! This demo world runs entirely on your machine 👋", { createdAt: now - 5 * 60_000 });
  // Shares: a few of Nova's public posts, re-shared by fans among the cast.
  const novaPosts = posts.map((p, i) => (p.author === nova && p.privacy === "public" ? i : -1)).filter((i) => i >= 0);
  for (const [k, who] of ["sami", "jade", "quinn"].entries()) {
    const original = novaPosts[k % novaPosts.length];
    addPost(index.get(who), k === 0 ? "Can't wait for this!" : "", { postType: "share", shared: original, createdAt: Math.min(now - 60_000, posts[original].createdAt + (1 + rand() * 10) * HOUR) });
  }

  const likes = new EdgeList(8192);
  const comments = [];
  const canSee = (u, p) => p.privacy === "public" || u === p.author || isFriend(u, p.author);
  posts.forEach((p, i) => {
    const span = Math.max(60_000, Math.min(now - p.createdAt, 2 * DAY));
    const likers = new Set();
    for (const u of named.concat([nova])) if (u !== p.author && canSee(u, p) && rand() < 0.35) likers.add(u);
    if (p.author === nova && p.privacy === "public") for (let k = 0; k < 40 + rand() * 300; k++) likers.add(readers[Math.floor(rand() * readers.length)]);
    for (const u of likers) likes.push(i, u, p.createdAt + rand() * span);
    const commenters = named.filter((u) => u !== p.author && canSee(u, p) && rand() < 0.12);
    for (const u of commenters) comments.push({ post: i, author: u, content: COMMENTS[Math.floor(rand() * COMMENTS.length)], createdAt: p.createdAt + rand() * span });
  });
  return { users, follows, posts, likes, comments };
}
