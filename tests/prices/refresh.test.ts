/**
 * `prices refresh` against a local stand-in for pricing.us-east-1.amazonaws.com serving the
 * recorded, trimmed region index and offer file (the real endpoint is not reachable from tests).
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureBuilt, expectUsageError, runCli } from "../support/cli.js";
import { FIXTURES } from "./support/fixtures.js";

const INDEX_PATH = "/offers/v1.0/aws/AmazonEC2/current/region_index.json";
const OFFER_PATH = "/offers/v1.0/aws/AmazonEC2/20260720134430/us-east-1/index.json";
const regionIndex = readFileSync(join(FIXTURES, "ec2-region-index.json"));
const offer = readFileSync(join(FIXTURES, "ec2-us-east-1.offer.json"));
const golden = JSON.parse(readFileSync(join(FIXTURES, "ec2-us-east-1.catalog.golden.json"), "utf8"));

type Route = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Route>();
let server: Server;
let endpoint: string;
let dir: string;

/** Sends a body in small pieces, as a slow network would. */
function trickle(body: Buffer, size = 1024): Route {
  return (_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    let at = 0;
    const next = () => {
      if (at >= body.length) return void res.end();
      res.write(body.subarray(at, at + size));
      at += size;
      setImmediate(next);
    };
    next();
  };
}

const status =
  (code: number): Route =>
  (_req, res) => {
    res.writeHead(code).end("<Error>nope</Error>");
  };

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "computeguard-refresh-"));
  server = createServer((req, res) => (routes.get(req.url ?? "") ?? status(404))(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  routes.clear();
  routes.set(INDEX_PATH, trickle(regionIndex, 256));
  routes.set(OFFER_PATH, trickle(offer));
});

const refreshArgs = (...extra: string[]) => [
  "refresh",
  "--endpoint",
  endpoint,
  "--specs-catalog",
  join(FIXTURES, "specs-catalog.json"),
  ...extra,
];

/** The command's one-line error without its prefix: bad input (2) unless another code is expected. */
async function refreshError(...extra: string[]): Promise<string> {
  return failure(2, ...extra);
}

/** The Price List out of reach (HTTP error, timeout, refused): could not evaluate, exit 3. */
async function networkError(...extra: string[]): Promise<string> {
  return failure(3, ...extra);
}

async function failure(code: number, ...extra: string[]): Promise<string> {
  const result = await runCli(["prices", ...refreshArgs(...extra)]);
  expect(result.stdout).toBe("");
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).toMatch(/^computeguard: [^\n]*\n$/);
  return result.stderr.slice("computeguard: ".length, -1);
}

describe("prices refresh", () => {
  it("follows the region index to the region's offer file and imports it as it streams in", async () => {
    const out = join(dir, "us-east-1.json");
    const result = await runCli(["prices", ...refreshArgs("--region", "us-east-1", "--out", out)]);
    expect(result.code, result.stderr).toBe(0);
    // stderr is not a terminal here, so no progress line: only the summary.
    expect(result.stderr).toBe(
      `computeguard: wrote 11 entries (9 priced, 2 unpriced), catalog 2026-07-20, to ${out}\n`,
    );
    const catalog = JSON.parse(readFileSync(out, "utf8"));
    expect(catalog.entries).toEqual(golden.entries);
    expect(catalog.sources["aws-price-list-AmazonEC2-us-east-1-2026-07-20"]).toEqual({
      title: "AWS Price List AmazonEC2 offer for us-east-1 (Linux, shared tenancy, on-demand)",
      reference: `${endpoint}${OFFER_PATH} (formatVersion v1.0, offer version 20260720134430, published 2026-07-20T13:44:30Z)`,
      date: "2026-07-20",
    });
  });

  it("fails in one line, exit 3 (could not evaluate), on HTTP 404 for the region index", async () => {
    routes.delete(INDEX_PATH);
    expect(await networkError("--region", "us-east-1")).toBe(
      `GET ${endpoint}${INDEX_PATH} failed: HTTP 404 Not Found`,
    );
  });

  it("fails in one line, exit 2, on a region index that is not JSON", async () => {
    routes.set(INDEX_PATH, trickle(regionIndex.subarray(0, 200)));
    expectUsageError(
      await runCli(["prices", ...refreshArgs("--region", "us-east-1")]),
      new RegExp(`^computeguard: region index ${endpoint}${INDEX_PATH} is not valid JSON: `),
    );
  });

  it("names the failing URL on HTTP 500 for the offer file", async () => {
    routes.set(OFFER_PATH, status(500));
    expect(await networkError("--region", "us-east-1")).toBe(
      `GET ${endpoint}${OFFER_PATH} failed: HTTP 500 Internal Server Error`,
    );
  });

  it("names where a malformed offer file breaks", async () => {
    routes.set(OFFER_PATH, trickle(offer.subarray(0, 20_000)));
    expect(await refreshError("--region", "us-east-1")).toMatch(
      new RegExp(
        `^${endpoint}${OFFER_PATH}: not valid JSON: unexpected end of input inside .+ at line \\d+, column \\d+$`,
      ),
    );
  });

  it("says what a region index lacks", async () => {
    routes.set(INDEX_PATH, trickle(Buffer.from('{"regions": {"us-east-1": {"regionCode": "us-east-1"}}}')));
    expect(await refreshError("--region", "us-east-1")).toBe(
      `region index ${endpoint}${INDEX_PATH} is not a Price List region index: regions.us-east-1.currentVersionUrl: Invalid input: expected string, received undefined`,
    );
  });

  it("names the regions it knows when the region is not in the index", async () => {
    expect(await refreshError("--region", "mars-north-1")).toBe(
      "region mars-north-1 is not in the AmazonEC2 region index (3 regions: eu-west-1, us-east-1, us-west-2)",
    );
  });

  it("gives up after --timeout when the server stops sending or never answers", async () => {
    routes.set(OFFER_PATH, (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(offer.subarray(0, 4096)); // then nothing more
    });
    expect(await networkError("--region", "us-east-1", "--timeout", "0.3")).toBe(
      `GET ${endpoint}${OFFER_PATH} timed out: no data for 0.3 s`,
    );
    routes.set(INDEX_PATH, () => {});
    expect(await networkError("--region", "us-east-1", "--timeout", "0.3")).toBe(
      `GET ${endpoint}${INDEX_PATH} timed out: no data for 0.3 s`,
    );
  });

  it("says so when nothing listens at the endpoint, and checks its flags", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await runCli([
      "prices",
      "refresh",
      "--region",
      "us-east-1",
      "--endpoint",
      `http://127.0.0.1:${port}`,
    ]);
    expect(refused).toEqual({
      code: 3,
      stdout: "",
      stderr: `computeguard: GET http://127.0.0.1:${port}${INDEX_PATH} failed: ECONNREFUSED\n`,
    });
    expect(await refreshError()).toBe("prices refresh needs --region REGION");
    expect(await refreshError("--region", "us-east-1", "--timeout", "0")).toBe(
      '--timeout must be a number of seconds in (0, 3600], got "0"',
    );
    expect(await refreshError("--region", "us-east-1", "--service", "AmazonS3")).toBe(
      '--service must be AmazonEC2 or AmazonSageMaker, got "AmazonS3"',
    );
    expectUsageError(
      await runCli(["prices", "refresh", "--region", "us-east-1", "--endpoint", "ftp://example"]),
      'computeguard: --endpoint must be an http(s) URL, got "ftp://example"',
    );
  });
});
