/** What each container parser returns: the size as displayed and the file rebuilt without metadata. */
export interface ParsedImage {
  width: number;
  height: number;
  bytes: Uint8Array<ArrayBuffer>;
}
