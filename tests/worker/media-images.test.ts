/**
 * The image checks (core/media/): the type from the bytes' own signature, the size from the
 * image's own header, malformed files refused, and metadata stripped at the container level, for
 * JPEG, PNG, WebP and GIF. Pure functions, on fixtures built byte by byte (tests/fixtures/images.ts).
 */
import { describe, expect, it } from "vitest";
import { ApiError } from "../../core/errors";
import { cleanImage } from "../../core/media/image";
import { exifOrientation } from "../../core/media/jpeg";
import { sniffImageType } from "../../core/media/sniff";
import {
  BASE_GIF,
  BASE_JPEG,
  BASE_PNG,
  BASE_WEBP,
  BASE_WEBP_LOSSLESS,
  concat,
  containsText,
  jpegSegments,
  leaks,
  LOOPING_EXTENSION,
  metadataGif,
  metadataPng,
  metadataWebp,
  phoneJpeg,
  pngChunk,
  pngChunkNames,
  pngWith,
  riff,
  riffChunk,
  riffSize,
  segment,
  simpleWebp,
  text,
  webpChunks,
} from "../fixtures/images";

function refusal(bytes: Uint8Array): ApiError {
  try {
    cleanImage(bytes);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected the image to be refused");
}
const invalid = (bytes: Uint8Array) => {
  const error = refusal(bytes);
  expect([error.status, error.code]).toEqual([400, "INVALID_IMAGE"]);
  return error;
};

describe("the type comes from the bytes' signature", () => {
  it.each([
    ["JPEG", BASE_JPEG, "image/jpeg"],
    ["PNG", BASE_PNG, "image/png"],
    ["WebP", BASE_WEBP, "image/webp"],
    ["GIF", BASE_GIF, "image/gif"],
  ])("%s", (_name, bytes, type) => {
    expect(sniffImageType(bytes)).toBe(type);
    expect(cleanImage(bytes).mimeType).toBe(type);
  });

  it.each([
    ["text", text("hello, this is not an image")],
    ["SVG", text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ["HTML", text("<!doctype html><script>alert(1)</script>")],
    ["a RIFF that is not WebP (WAVE)", concat(text("RIFF"), Uint8Array.of(4, 0, 0, 0), text("WAVE"))],
    ["BMP", concat(text("BM"), new Uint8Array(60))],
    ["HEIC (ftyp)", concat(Uint8Array.of(0, 0, 0, 24), text("ftypheic"), new Uint8Array(16))],
    ["one byte", Uint8Array.of(0xff)],
  ])("%s is 415 UNSUPPORTED_MEDIA_TYPE", (_name, bytes) => {
    const error = refusal(bytes);
    expect([error.status, error.code]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
  });

  it("an empty upload is 400 INVALID_IMAGE", () => invalid(new Uint8Array()));
});

describe("JPEG", () => {
  it("reads the size from the frame header", () => {
    expect(cleanImage(BASE_JPEG)).toMatchObject({ width: 24, height: 16 });
  });

  it("a phone's JPEG loses its GPS, EXIF, XMP, IPTC, MPF, comment, thumbnail and secondary image; ICC and the picture stay", () => {
    const phone = phoneJpeg();
    expect(leaks(phone)).toEqual(expect.arrayContaining(["GPS", "48.8584", "PhoneCo", "xmpmeta", "SECONDARY", "private comment"]));
    const { bytes, width, height } = cleanImage(phone);
    expect(leaks(bytes)).toEqual([]);
    expect([width, height]).toEqual([24, 16]);
    const markers = jpegSegments(bytes).map(([m]) => m);
    expect(markers).not.toContain(0xe1); // no EXIF or XMP (orientation 1: nothing to keep)
    expect(markers).not.toContain(0xed);
    expect(markers).not.toContain(0xfe);
    const app2 = jpegSegments(bytes).filter(([m]) => m === 0xe2);
    expect(app2.map(([, p]) => containsText(p, "ICC_PROFILE"))).toEqual([true]); // MPF gone, ICC kept
    const jfif = jpegSegments(bytes).find(([m]) => m === 0xe0)![1];
    expect(jfif.length).toBe(14); // JFIF without its thumbnail
    expect([jfif[12], jfif[13]]).toEqual([0, 0]);
    // The scan data is untouched and the file ends at its end marker.
    const scan = (b: Uint8Array) => b.subarray(b.indexOf(0xda, b.length - 400) - 1);
    expect(bytes.slice(-2)).toEqual(Uint8Array.of(0xff, 0xd9));
    expect(scan(bytes)).toEqual(scan(BASE_JPEG));
    // Cleaning is stable: a clean file comes back byte for byte.
    expect(cleanImage(bytes).bytes).toEqual(bytes);
  });

  it("keeps EXIF orientation (only it) and reports the size as displayed", () => {
    for (const orientation of [3, 6, 8]) {
      const { bytes, width, height } = cleanImage(phoneJpeg({ orientation }));
      expect(leaks(bytes)).toEqual([]);
      const exif = jpegSegments(bytes).filter(([m]) => m === 0xe1);
      expect(exif).toHaveLength(1);
      expect(exifOrientation(exif[0][1].subarray(6))).toBe(orientation);
      expect(exif[0][1].length).toBe(32); // Exif\0\0 + an 8-byte header + one entry: nothing else
      expect([width, height]).toEqual(orientation >= 5 ? [16, 24] : [24, 16]);
      expect(jpegSegments(bytes)[0][0]).toBe(0xe0); // JFIF stays first
    }
  });

  it("an EXIF block it cannot read is dropped, not trusted", () => {
    const broken = concat(BASE_JPEG.subarray(0, 2), segment(0xe1, concat(text("Exif\0\0MM\0*"), Uint8Array.of(0xff, 0xff, 0xff, 0xff))), BASE_JPEG.subarray(2));
    const { bytes } = cleanImage(broken);
    expect(jpegSegments(bytes).some(([m]) => m === 0xe1)).toBe(false);
  });

  it("refuses files that are not well-formed", () => {
    const sofAt = BASE_JPEG.findIndex((b, i) => b === 0xff && BASE_JPEG[i + 1] === 0xc0);
    const sosAt = BASE_JPEG.findIndex((b, i) => b === 0xff && BASE_JPEG[i + 1] === 0xda);
    invalid(BASE_JPEG.subarray(0, BASE_JPEG.length - 2)); // no end marker
    invalid(BASE_JPEG.subarray(0, sosAt + 20)); // ends inside the scan
    invalid(BASE_JPEG.subarray(0, 40)); // ends inside a segment
    invalid(concat(BASE_JPEG.subarray(0, sofAt), BASE_JPEG.subarray(sosAt))); // a scan before any frame
    invalid(concat(BASE_JPEG.subarray(0, sosAt), Uint8Array.of(0xff, 0xd9))); // a frame but no scan
    const zeroWidth = BASE_JPEG.slice();
    zeroWidth[sofAt + 7] = 0;
    zeroWidth[sofAt + 8] = 0;
    invalid(zeroWidth);
    const badLength = BASE_JPEG.slice();
    badLength[sofAt + 3] = 1; // a segment length below 2
    badLength[sofAt + 2] = 0;
    invalid(badLength);
    invalid(concat(Uint8Array.of(0xff, 0xd8, 0xff), text("garbage after the signature")));
  });
});

describe("PNG", () => {
  it("reads the size from IHDR", () => {
    expect(cleanImage(BASE_PNG)).toMatchObject({ width: 20, height: 10 });
  });

  it("drops text, XMP, EXIF, time, private chunks and what follows IEND; keeps what affects the picture", () => {
    const file = metadataPng();
    expect(leaks(file).length).toBeGreaterThan(3);
    const { bytes, width, height } = cleanImage(file);
    expect(leaks(bytes)).toEqual([]);
    expect([width, height]).toEqual([20, 10]);
    expect(pngChunkNames(bytes)).toEqual(["IHDR", "gAMA", ...pngChunkNames(BASE_PNG).slice(1)]);
    expect(bytes.slice(-12)).toEqual(BASE_PNG.slice(-12)); // IEND is last
    expect(cleanImage(bytes).bytes).toEqual(bytes);
  });

  it("refuses a bad checksum, a missing IHDR or image data, an unknown critical chunk, and truncation", () => {
    const badCrc = BASE_PNG.slice();
    badCrc[8 + 8 + 3] ^= 1; // a byte of IHDR's data
    expect(invalid(badCrc).message).toMatch(/checksum/);
    invalid(concat(BASE_PNG.subarray(0, 8), BASE_PNG.subarray(33))); // no IHDR
    invalid(concat(BASE_PNG.subarray(0, 33), pngChunk("IEND", new Uint8Array()))); // no IDAT
    invalid(pngWith(pngChunk("ZZZZ", text("critical and unknown"))));
    invalid(BASE_PNG.subarray(0, BASE_PNG.length - 12)); // no IEND
    invalid(BASE_PNG.subarray(0, 30));
    const huge = BASE_PNG.slice();
    huge.set([0x7f, 0xff, 0xff, 0xff], 33); // a chunk longer than the file
    invalid(huge);
  });
});

describe("WebP", () => {
  it("reads the size from VP8 , VP8L and VP8X", () => {
    expect(cleanImage(BASE_WEBP)).toMatchObject({ width: 24, height: 16 });
    expect(cleanImage(BASE_WEBP_LOSSLESS)).toMatchObject({ width: 12, height: 8 });
    expect(cleanImage(simpleWebp())).toMatchObject({ width: 24, height: 16 });
    const lossless = webpChunks(BASE_WEBP_LOSSLESS).find(([f]) => f === "VP8L")!;
    expect(cleanImage(riff([riffChunk("VP8L", lossless[1])]))).toMatchObject({ width: 12, height: 8 });
  });

  it("drops EXIF and XMP (and unknown chunks), clears their VP8X flags, fixes the RIFF size", () => {
    for (const base of [BASE_WEBP, BASE_WEBP_LOSSLESS]) {
      const file = metadataWebp(base);
      expect(webpChunks(file)[0][1][0] & 0x0c).toBe(0x0c);
      const { bytes } = cleanImage(file);
      expect(leaks(bytes)).toEqual([]);
      const chunks = webpChunks(bytes);
      expect(chunks.map(([f]) => f)).toEqual(webpChunks(base).map(([f]) => f));
      expect(chunks[0][1][0] & 0x0c).toBe(0); // neither EXIF nor XMP announced
      expect(chunks[0][1][0] & 0x20).toBe(0x20); // the ICC profile still is
      expect(riffSize(bytes)).toBe(bytes.length - 8);
      expect(bytes).toEqual(base); // exactly the image Chromium wrote
    }
  });

  it("clears the ICC flag when the file claims a profile it does not carry", () => {
    const [vp8x, , image] = webpChunks(BASE_WEBP);
    const file = riff([riffChunk("VP8X", vp8x[1]), riffChunk(image[0], image[1])]);
    expect(webpChunks(cleanImage(file).bytes)[0][1][0] & 0x20).toBe(0);
  });

  it("refuses files that are not well-formed", () => {
    invalid(BASE_WEBP.subarray(0, BASE_WEBP.length - 10)); // the RIFF says more than there is
    const [vp8x, iccp] = webpChunks(BASE_WEBP);
    invalid(riff([riffChunk("VP8X", vp8x[1]), riffChunk("ICCP", iccp[1])])); // no image data
    invalid(riff([riffChunk("VP8X", vp8x[1].subarray(0, 6))])); // a short VP8X
    invalid(riff([riffChunk("ZZZZ", text("x"))])); // an unknown first chunk
    const vp8 = webpChunks(BASE_WEBP).find(([f]) => f === "VP8 ")![1].slice();
    vp8[3] = 0; // no start code
    invalid(riff([riffChunk("VP8 ", vp8)]));
    const animated = Uint8Array.of(0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    invalid(riff([riffChunk("VP8X", animated), riffChunk("ANIM", new Uint8Array(6))])); // an animation without frames
  });
});

describe("GIF", () => {
  it("reads the size from the logical screen", () => {
    expect(cleanImage(BASE_GIF)).toMatchObject({ width: 1, height: 1 });
  });

  it("drops comments and application extensions except the looping one, and what follows the trailer", () => {
    const file = metadataGif();
    const { bytes } = cleanImage(file);
    expect(leaks(bytes)).toEqual([]);
    expect(containsText(bytes, "NETSCAPE2.0")).toBe(true);
    expect(bytes).toEqual(concat(BASE_GIF.subarray(0, 19), LOOPING_EXTENSION, BASE_GIF.subarray(19)));
    expect(cleanImage(bytes).bytes).toEqual(bytes);
  });

  it("refuses files that are not well-formed", () => {
    invalid(BASE_GIF.subarray(0, BASE_GIF.length - 1)); // no trailer
    invalid(concat(BASE_GIF.subarray(0, 19), Uint8Array.of(0x3b))); // no image
    invalid(concat(BASE_GIF.subarray(0, 19), Uint8Array.of(0x99), BASE_GIF.subarray(19))); // an unknown block
    const noSize = BASE_GIF.slice();
    noSize[6] = 0;
    invalid(noSize);
    invalid(BASE_GIF.subarray(0, 30)); // inside the image
  });
});

describe("limits and robustness", () => {
  it("refuses images past 16,384 px a side or 100 megapixels", () => {
    const ihdr = (w: number, h: number) => {
      const data = new Uint8Array(13);
      new DataView(data.buffer).setUint32(0, w);
      new DataView(data.buffer).setUint32(4, h);
      data.set([8, 6, 0, 0, 0], 8);
      return pngChunk("IHDR", data);
    };
    const png = (w: number, h: number) => concat(BASE_PNG.subarray(0, 8), ihdr(w, h), BASE_PNG.subarray(33));
    expect(cleanImage(png(16_384, 6_000))).toMatchObject({ width: 16_384, height: 6_000 });
    expect(invalid(png(16_385, 10)).details).toMatchObject({ maxSide: 16_384 });
    expect(invalid(png(12_000, 9_000)).details).toMatchObject({ maxPixels: 100_000_000 });
  });

  it("every truncation and every single corrupted byte of each fixture is either accepted or a 400/415, never another error", () => {
    for (const file of [phoneJpeg({ orientation: 6 }), metadataPng(), metadataWebp(), metadataGif()]) {
      for (let cut = 0; cut < file.length; cut += Math.max(1, Math.floor(file.length / 97))) {
        try {
          cleanImage(file.subarray(0, cut));
        } catch (error) {
          expect(error).toBeInstanceOf(ApiError);
          expect([400, 415]).toContain((error as ApiError).status);
        }
      }
      for (let at = 0; at < file.length; at += Math.max(1, Math.floor(file.length / 131))) {
        const corrupted = file.slice();
        corrupted[at] ^= 0xa5;
        try {
          const { bytes } = cleanImage(corrupted);
          expect(bytes.length).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(ApiError);
          expect([400, 415]).toContain((error as ApiError).status);
        }
      }
    }
  });
});
