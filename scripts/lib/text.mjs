/** Words for generated people, bios, posts and comments, so seeded worlds read like real ones. */

export const FIRST = ["Ada", "Ben", "Chloe", "Dmitri", "Elena", "Farah", "Gabriel", "Hana", "Ivan", "Jade", "Kofi", "Lena", "Mateo", "Nina", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zoe", "Aiko", "Bruno", "Camila", "Diego", "Emeka", "Freya", "Grace", "Hugo", "Isla", "Jonas", "Kai", "Leila", "Marco", "Noor", "Oscar", "Paula", "Rafael", "Sofia", "Tomas", "Uma", "Victor", "Wanda", "Yara", "Zain"];
export const LAST = ["Lovelace", "Okafor", "Nguyen", "Petrov", "Garcia", "Haddad", "Silva", "Tanaka", "Kowalski", "Moreau", "Mensah", "Schmidt", "Rossi", "Ivanova", "Khan", "Patel", "Murphy", "Lopez", "Berg", "Singh", "Ali", "Novak", "Chen", "Ortiz", "Demir", "Walsh", "Sato", "Costa", "Fischer", "Adeyemi"];

const BIO_ROLES = ["Backend engineer", "Photographer", "Nurse", "Teacher", "Product designer", "Cyclist", "Home cook", "PhD student", "Bookseller", "Climber", "Data nerd", "Gardener", "Musician", "Barista", "Architect", "Runner", "Civil engineer", "Illustrator"];
const BIO_TAILS = ["Coffee first.", "Opinions are my cat's.", "Always learning.", "Weekend hiker.", "Collecting maps and stories.", "Slow mornings, fast code.", "Writing things down.", "Probably outside.", "Trying every noodle shop in town.", "Plants > people (mostly).", "Building small useful things."];

const TOPICS = [
  ["Finally fixed the flaky test that haunted us for a week.", "Turns out it was a timezone. It is always a timezone.", "Pair programming saved the day again."],
  ["Sunday market haul: peaches, basil, far too much bread.", "Tried a new ramen place downtown. The broth was unreal.", "Made focaccia from scratch and the kitchen smells amazing."],
  ["Morning run along the river, 8 km and the fog was lifting.", "New personal best on the climbing wall today!", "Rest day. My legs have filed a formal complaint."],
  ["Halfway through a brilliant novel, no spoilers please.", "Library haul for the long weekend.", "Re-reading an old favourite and noticing everything I missed."],
  ["The light this evening was ridiculous.", "Caught the first snow on the ridge this morning.", "Golden hour from the balcony."],
  ["Anyone else think meetings should have a maximum of 25 minutes?", "Hot take: tabs vs spaces matters less than naming things well.", "Shipping small changes every day beats one big release."],
  ["Train delayed again, so here is a thread about what I'm reading.", "Working from the café around the corner today.", "Tiny wins: inbox zero before lunch."],
];
const ENDINGS = ["", "", " 🙌", " ☕", " 🌿", " 🎉", " Thoughts?", " Highly recommend.", " More soon."];
const LINKS = ["https://developers.cloudflare.com/durable-objects/", "https://en.wikipedia.org/wiki/Power_law", "https://www.sqlite.org/lang_with.html", "https://hono.dev/docs/", "https://example.com/article/edge-computing"];
const COMMENTS = ["Love this!", "So true.", "Where is this?", "Congrats! 🎉", "Haha, same here.", "Thanks for sharing.", "This made my day.", "Need the recipe please.", "Wow, beautiful.", "Couldn't agree more.", "Saving this for later.", "Great point.", "Tell me more!", "Ha! Classic."];

export const pick = (rand, list) => list[Math.floor(rand() * list.length)];

export function bio(rand) {
  return `${pick(rand, BIO_ROLES)}. ${pick(rand, BIO_TAILS)}`;
}

export function postText(rand) {
  const topic = pick(rand, TOPICS);
  return pick(rand, topic) + pick(rand, ENDINGS);
}

export function linkText(rand) {
  return `Worth a read: ${pick(rand, LINKS)}`;
}

export function commentText(rand) {
  return pick(rand, COMMENTS);
}

/** A seeded PRNG (mulberry32), so a world is reproducible from its --seed. */
export function prng(seed) {
  let a = seed >>> 0;
  return function rand() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
