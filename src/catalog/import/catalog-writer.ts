import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { CatalogFile } from "../schema.js";
import { validateCatalog } from "./offer-catalog.js";

/** Catalog JSON in the embedded file's layout, validated against the catalog schema first. */
export function serializeCatalog(catalog: CatalogFile): string {
  return `${JSON.stringify(validateCatalog(catalog), null, 1)}\n`;
}

/**
 * Writes a catalog through a temp file in the same directory and a rename, so a reader sees
 * either the old file or the whole new one, never a half-written catalog.
 */
export function writeCatalogFile(path: string, catalog: CatalogFile): void {
  const content = serializeCatalog(catalog);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, "wx", 0o644);
    writeSync(fd, content);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // The temp file was never created or is already gone.
    }
    throw error;
  }
}
