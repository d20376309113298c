import { open } from "node:fs/promises";
import { basename } from "node:path";
import { JsonSyntaxError } from "./json-stream.js";
import { type OfferCatalog, type OfferCatalogOptions, offerToCatalog } from "./offer-catalog.js";
import { OfferFetchError, OfferImportError } from "./offer-error.js";
import { type ScanOptions, scanOffer } from "./offer-scan.js";

export type ImportOfferOptions = ScanOptions & OfferCatalogOptions;

/** Streams an offer file (bytes or text) into a catalog; every failure is one line naming the source. */
export async function importOffer(
  source: AsyncIterable<Uint8Array | string>,
  options: ImportOfferOptions,
): Promise<OfferCatalog> {
  try {
    return offerToCatalog(await scanOffer(source, options), options);
  } catch (error) {
    throw describeImportError(error, options.sourceName);
  }
}

/** Imports a local offer file; provenance names the file, not the directory it sits in. */
export async function importOfferFile(
  path: string,
  options: ScanOptions &
    Omit<OfferCatalogOptions, "sourceName"> & {
      /** Called as the file is read: bytes read so far and the file's size (for a progress line). */
      onProgress?: (read: number, total: number) => void;
    },
): Promise<OfferCatalog> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OfferImportError(
      `cannot read offer file ${path}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
    );
  }
  const stream = handle.createReadStream({ highWaterMark: 64 * 1024 });
  const { onProgress, ...importOptions } = options;
  try {
    const total = onProgress ? (await handle.stat()).size : 0;
    const source = onProgress ? counted(stream, (read) => onProgress(read, total)) : stream;
    return await importOffer(source, { ...importOptions, sourceName: basename(path) });
  } finally {
    stream.destroy();
    await handle.close().catch(() => undefined);
  }
}

/** The chunks as they are, reporting the bytes read so far after each. */
async function* counted(
  chunks: AsyncIterable<Uint8Array | string>,
  onRead: (read: number) => void,
): AsyncGenerator<Uint8Array | string> {
  let read = 0;
  for await (const chunk of chunks) {
    read += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
    onRead(read);
    yield chunk;
  }
}

function describeImportError(error: unknown, sourceName: string): Error {
  if (error instanceof OfferFetchError) return error;
  if (error instanceof JsonSyntaxError)
    return new OfferImportError(`${sourceName}: not valid JSON: ${error.message}`);
  if (error instanceof OfferImportError) return new OfferImportError(`${sourceName}: ${error.message}`);
  if ((error as NodeJS.ErrnoException).code === "ERR_ENCODING_INVALID_ENCODED_DATA") {
    return new OfferImportError(`${sourceName}: not valid UTF-8 text`);
  }
  return error as Error;
}
