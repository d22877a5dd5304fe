/** The package ships no types for its password list alone (worker/lib/passwords.ts imports it). */
declare module "@zxcvbn-ts/language-common/dist/passwords.json.mjs" {
  /** The commonest passwords, most frequent first. */
  const passwords: string[];
  export default passwords;
}
