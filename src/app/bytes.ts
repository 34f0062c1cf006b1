/** Media-type sniffing without Node-only APIs. */
export { toBase64, fromBase64 } from "../protocol/base64.js";

const EXT: Record<string, string> = {
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp", svg: "image/svg+xml",
  bmp: "image/bmp", ico: "image/x-icon", avif: "image/avif",
  wav: "audio/wav", mp3: "audio/mpeg", ogg: "audio/ogg", oga: "audio/ogg", flac: "audio/flac", m4a: "audio/mp4", aac: "audio/aac", webm: "audio/webm",
  txt: "text/plain", md: "text/markdown", html: "text/html", csv: "text/csv", json: "application/json", pdf: "application/pdf",
};

/** The media type named by a path's extension or a bare format ("png"). */
export function mimeFromName(nameOrFormat: string): string | undefined {
  const ext = nameOrFormat.includes(".") ? nameOrFormat.slice(nameOrFormat.lastIndexOf(".") + 1) : nameOrFormat;
  return EXT[ext.toLowerCase()];
}

const at = (b: Uint8Array, off: number, sig: number[]) => sig.every((x, i) => b[off + i] === x);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The media type found from a file's first bytes, when it is a common image or audio format. */
export function sniffMime(b: Uint8Array): string | undefined {
  if (at(b, 0, [0x89, 0x50, 0x4e, 0x47])) return "image/png";
  if (at(b, 0, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (at(b, 0, ascii("GIF8"))) return "image/gif";
  if (at(b, 0, ascii("RIFF")) && at(b, 8, ascii("WEBP"))) return "image/webp";
  if (at(b, 0, ascii("RIFF")) && at(b, 8, ascii("WAVE"))) return "audio/wav";
  if (at(b, 0, ascii("BM"))) return "image/bmp";
  if (at(b, 0, ascii("OggS"))) return "audio/ogg";
  if (at(b, 0, ascii("fLaC"))) return "audio/flac";
  if (at(b, 0, ascii("ID3")) || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0)) return "audio/mpeg";
  if (at(b, 4, ascii("ftyp"))) return "audio/mp4";
  const head = new TextDecoder().decode(b.subarray(0, 256)).trimStart();
  if (head.startsWith("<svg") || (head.startsWith("<?xml") && head.includes("<svg"))) return "image/svg+xml";
  return undefined;
}

/** Read a file where the runtime has a file system (Node, Bun, Deno). */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  const fs = await import("node:fs/promises" as string);
  return new Uint8Array(await fs.readFile(path));
}
