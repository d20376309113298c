import { z } from "zod";
import { describeZodError } from "../../validation.js";
import { OfferFetchError, OfferNetworkError } from "./offer-error.js";
import type { OfferService } from "./offer-product.js";

export const DEFAULT_PRICE_LIST_ENDPOINT = "https://pricing.us-east-1.amazonaws.com";

export interface OfferDownloadOptions {
  endpoint: string;
  service: OfferService;
  region: string;
  /** Longest wait for response headers or for the next chunk of a body. */
  timeoutMs: number;
  /** Called as the offer body arrives; `total` when the server sent a Content-Length. */
  onProgress?: (received: number, total: number | undefined) => void;
}

export interface OfferDownload {
  url: string;
  body: AsyncIterable<Uint8Array>;
}

const RegionIndexSchema = z.object({
  regions: z.record(z.string(), z.object({ currentVersionUrl: z.string().min(1) })),
});

/** The region index is a few tens of KB; anything far larger is not one. */
const MAX_REGION_INDEX_BYTES = 16 * 1024 * 1024;

/**
 * Finds a region's current offer file through the service's region index and opens it as a
 * stream: the caller parses the body as it arrives, so the whole file is never held in memory.
 */
export async function openRegionOffer(options: OfferDownloadOptions): Promise<OfferDownload> {
  const base = options.endpoint.replace(/\/+$/, "");
  const indexUrl = `${base}/offers/v1.0/aws/${options.service}/current/region_index.json`;
  const indexText = await fetchText(indexUrl, options.timeoutMs);
  let indexJson: unknown;
  try {
    indexJson = JSON.parse(indexText);
  } catch (error) {
    throw new OfferFetchError(`region index ${indexUrl} is not valid JSON: ${(error as Error).message}`);
  }
  const index = RegionIndexSchema.safeParse(indexJson);
  if (!index.success) {
    throw new OfferFetchError(
      `region index ${indexUrl} is not a Price List region index: ${describeZodError(index.error)}`,
    );
  }
  const region = index.data.regions[options.region];
  if (region === undefined) {
    const known = Object.keys(index.data.regions).sort();
    throw new OfferFetchError(
      `region ${options.region} is not in the ${options.service} region index (${known.length} regions: ${known.slice(0, 8).join(", ")}${known.length > 8 ? ", ..." : ""})`,
    );
  }
  const url = new URL(region.currentVersionUrl, `${base}/`).toString();
  const response = await request(url, options.timeoutMs);
  return { url, body: timedBody(response, url, options.timeoutMs, options.onProgress) };
}

interface OpenResponse {
  response: Response;
  controller: AbortController;
}

async function request(url: string, timeoutMs: number): Promise<OpenResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { signal: controller.signal, redirect: "follow" });
  } catch (error) {
    throw fetchFailure(url, error, controller, timeoutMs);
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok) {
    controller.abort();
    throw new OfferNetworkError(
      `GET ${url} failed: HTTP ${response.status} ${response.statusText}`.trimEnd(),
    );
  }
  if (response.body === null) throw new OfferNetworkError(`GET ${url} returned no body`);
  return { response, controller };
}

async function fetchText(url: string, timeoutMs: number): Promise<string> {
  const opened = await request(url, timeoutMs);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of timedBody(opened, url, timeoutMs)) {
    size += chunk.byteLength;
    if (size > MAX_REGION_INDEX_BYTES) {
      opened.controller.abort();
      throw new OfferFetchError(`region index ${url} is larger than ${MAX_REGION_INDEX_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The body as chunks, failing if no chunk arrives within the timeout; aborts the request if the reader stops early. */
async function* timedBody(
  { response, controller }: OpenResponse,
  url: string,
  timeoutMs: number,
  onProgress?: (received: number, total: number | undefined) => void,
): AsyncGenerator<Uint8Array> {
  const reader = response.body!.getReader();
  const length = Number(response.headers.get("content-length"));
  const total = Number.isFinite(length) && length > 0 ? length : undefined;
  let received = 0;
  let done = false;
  try {
    while (true) {
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw fetchFailure(url, error, controller, timeoutMs);
      } finally {
        clearTimeout(timer);
      }
      if (chunk.done) {
        done = true;
        return;
      }
      received += chunk.value.byteLength;
      onProgress?.(received, total);
      yield chunk.value;
    }
  } finally {
    if (!done) controller.abort();
    reader.releaseLock();
  }
}

function fetchFailure(
  url: string,
  error: unknown,
  controller: AbortController,
  timeoutMs: number,
): OfferNetworkError {
  if (controller.signal.aborted) {
    return new OfferNetworkError(`GET ${url} timed out: no data for ${timeoutMs / 1000} s`);
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (error as Error).message;
  return new OfferNetworkError(`GET ${url} failed: ${detail}`);
}
