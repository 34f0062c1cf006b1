/** Writing a configuration file safely: back up, write a temporary file beside it, fsync, rename. */
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, realpathSync, statSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** The file a path names, through symlinks (dotfile managers link configs), so the link survives. */
export function realTarget(path: string): string {
  return existsSync(path) ? realpathSync(path) : path;
}

/** Copy `path` to `path.bak` (keeping its mode); returns the backup's path. */
export function backup(path: string): string {
  const bak = `${path}.bak`;
  copyFileSync(path, bak);
  return bak;
}

/** Replace `path` with `text` so that readers see the old file or the new one, never a part. */
export async function writeAtomic(path: string, text: string, newFileMode = 0o644): Promise<void> {
  const mode = existsSync(path) ? statSync(path).mode & 0o7777 : newFileMode;
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const fh = await open(tmp, "wx", mode);
  try {
    await fh.writeFile(text, "utf8");
    await fh.sync();
    await fh.close();
    await rename(tmp, path);
  } catch (e) {
    await fh.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw e;
  }
}
