/**
 * Serving the playground (the built web app) on this machine: a static file server that sends the
 * cross-origin-isolation headers (COOP/COEP), so the page may use SharedArrayBuffer and run the
 * WebAssembly kernels on threads. Node only.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { type Server, createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { BraintsError } from "../base/errors.ts";

/** The playground has not been built, or cannot be served as asked. */
export class PlaygroundError extends BraintsError {
  override name = "PlaygroundError";
}

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** The headers that make a page cross-origin isolated, and let its own files load under COEP. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};

/** A running playground server. */
export interface PlaygroundServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * Serves the files of `dir` (the output of `npm run build:web`) on `host:port` (port 0: any free one).
 * @throws PlaygroundError when `dir` has no index.html
 * @example const { url, close } = await servePlayground("web/dist"); // open url in a browser
 */
export function servePlayground(dir: string, port = 0, host = "127.0.0.1"): Promise<PlaygroundServer> {
  const root = resolve(dir);
  if (!existsSync(join(root, "index.html"))) {
    throw new PlaygroundError(
      `playground: ${join(root, "index.html")} does not exist; build the page first with npm run build:web`,
    );
  }
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response
        .writeHead(404, { "Content-Type": "text/plain", ...ISOLATION_HEADERS })
        .end(`not found: ${path}`);
      return;
    }
    response
      .writeHead(200, {
        "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
        "Cache-Control": "no-cache",
        ...ISOLATION_HEADERS,
      })
      .end(readFileSync(file));
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", (e) =>
      reject(new PlaygroundError(`playground: cannot listen on ${host}:${port} (${e.message})`)),
    );
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === "object" && address ? address.port : port;
      resolvePromise({
        url: `http://${host}:${actual}/`,
        server,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
