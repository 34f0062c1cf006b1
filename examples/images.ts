/**
 * The README's "Images": a tool that makes a thumbnail of a PNG and returns it
 * as image content with `new Image({ data, format: "png" })`.
 *
 *   npx tsx examples/images.ts        # stdio
 *
 * Try it on examples/data/sample.png. PNG decoding and encoding use `pngjs`
 * (pure JavaScript); the resize is a box filter, like PIL's `thumbnail`: the
 * image shrinks to fit 100×100, keeps its aspect ratio, and is never enlarged.
 */
import { readFile } from "node:fs/promises";
import { Image, McpServer } from "mcpkit";
import { PNG } from "pngjs";
import { z } from "zod";

const mcp = new McpServer("My App");

mcp.tool("create_thumbnail", { description: "Create a thumbnail from an image", input: { image_path: z.string() } }, async ({ image_path }) => {
  const img = PNG.sync.read(await readFile(image_path));
  const thumb = thumbnail(img, 100, 100);
  return new Image({ data: PNG.sync.write(thumb), format: "png" });
});

/** Shrink `src` to fit `maxW`×`maxH`, averaging the source pixels under each target pixel. */
function thumbnail(src: PNG, maxW: number, maxH: number): PNG {
  const scale = Math.min(1, maxW / src.width, maxH / src.height);
  const width = Math.max(1, Math.round(src.width * scale));
  const height = Math.max(1, Math.round(src.height * scale));
  const out = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * src.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * src.height) / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * src.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * src.width) / width));
      const sum = [0, 0, 0, 0];
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) {
          const i = (sy * src.width + sx) * 4;
          for (let c = 0; c < 4; c++) sum[c] += src.data[i + c];
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const o = (y * width + x) * 4;
      for (let c = 0; c < 4; c++) out.data[o + c] = Math.round(sum[c] / n);
    }
  }
  return out;
}

await mcp.run();
