// `new Image({ path })` and `new Audio({ path })`: the file is read, base64-encoded, and its
// mime type worked out from the file: the extension first (any case), then the first bytes
// when the name says nothing. Explicit `mimeType` / `format` still win.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Audio, Image, McpServer } from "../../src/app/index.js";
import { connect, LEGACY_LATEST, MODERN } from "../helpers/app.js";

const hex = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));
const PNG = hex("89504e470d0a1a0a0000000d4948445200000001000000010806000000");
const JPEG = hex("ffd8ffe000104a46494600010100000100010000");
const WAV = Uint8Array.from(Buffer.concat([Buffer.from("RIFF"), Buffer.from([36, 0, 0, 0]), Buffer.from("WAVEfmt "), Buffer.alloc(20)]));
const OGG = Uint8Array.from(Buffer.concat([Buffer.from("OggS"), Buffer.alloc(24)]));
const MP3 = Uint8Array.from(Buffer.concat([Buffer.from("ID3"), Buffer.from([4, 0, 0, 0, 0, 0, 0])]));

let dir = "";
const file = (name: string) => path.join(dir, name);
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mcpkit-media-"));
  const files: Record<string, Uint8Array> = {
    "cat.png": PNG,
    "PHOTO.JPG": JPEG,
    "clip.wav": WAV,
    "song.mp3": MP3,
    "png-without-extension": PNG,
    "voice-memo": OGG,
    "mystery.bin": hex("00010203"),
  };
  for (const [name, bytes] of Object.entries(files)) await writeFile(file(name), bytes);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("Image / Audio from a path", () => {
  it("reads the file and takes the mime type from its extension (any case)", async () => {
    const cases: [Image | Audio, string, string, Uint8Array][] = [
      [new Image({ path: file("cat.png") }), "image", "image/png", PNG],
      [new Image({ path: file("PHOTO.JPG") }), "image", "image/jpeg", JPEG],
      [new Audio({ path: file("clip.wav") }), "audio", "audio/wav", WAV],
      [new Audio({ path: file("song.mp3") }), "audio", "audio/mpeg", MP3],
    ];
    for (const [media, type, mimeType, bytes] of cases) {
      assert.deepEqual(await media.toContent(), { type, mimeType, data: Buffer.from(bytes).toString("base64") }, mimeType);
    }
  });

  it("without an extension, sniffs the first bytes; unknown bytes fall back to png / wav", async () => {
    assert.equal(((await new Image({ path: file("png-without-extension") }).toContent()) as any).mimeType, "image/png");
    assert.equal(((await new Audio({ path: file("voice-memo") }).toContent()) as any).mimeType, "audio/ogg");
    assert.equal(((await new Image({ path: file("mystery.bin") }).toContent()) as any).mimeType, "image/png");
    assert.equal(((await new Audio({ path: file("mystery.bin") }).toContent()) as any).mimeType, "audio/wav");
  });

  it("an explicit mimeType or format wins over the file name", async () => {
    assert.equal(((await new Image({ path: file("cat.png"), mimeType: "image/x-custom" }).toContent()) as any).mimeType, "image/x-custom");
    assert.equal(((await new Audio({ path: file("clip.wav"), format: "flac" }).toContent()) as any).mimeType, "audio/flac");
  });

  it("a missing file is a tool error (ENOENT), and the server keeps serving", async () => {
    const mcp = new McpServer("Media");
    mcp.tool("missing", () => new Image({ path: file("nope.png") }));
    mcp.tool("ok", () => "fine");
    const client = await connect(mcp, MODERN.opts);
    try {
      const r = await client.callTool("missing");
      assert.equal(r.isError, true);
      assert.match((r.content[0] as any).text, /ENOENT/);
      assert.equal(((await client.callTool("ok")).content[0] as any).text, "fine");
    } finally {
      await client.close();
      await mcp.close();
    }
  });

  for (const era of [LEGACY_LATEST, MODERN]) {
    it(`${era.label}: a tool returning both reaches our Client with data and mime types`, async () => {
      const mcp = new McpServer("Media");
      mcp.tool("media", () => [new Image({ path: file("PHOTO.JPG") }), new Audio({ path: file("song.mp3") })]);
      const client = await connect(mcp, era.opts);
      try {
        const r = await client.callTool("media");
        assert.deepEqual(r.content, [
          { type: "image", mimeType: "image/jpeg", data: Buffer.from(JPEG).toString("base64") },
          { type: "audio", mimeType: "audio/mpeg", data: Buffer.from(MP3).toString("base64") },
        ]);
      } finally {
        await client.close();
        await mcp.close();
      }
    });
  }
});
