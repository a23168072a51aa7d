// @kubernetes/client-node 2.0.1 depends on undici 8, which declares Node ≥ 22.19. On
// Node 20 it fails while loading (zlib.createZstdDecompress, worker_threads.
// markAsUncloneable) and on its first request (Promise.withResolvers). None of the
// three matters here: the API server never answers zstd (it compresses with gzip only),
// marking objects uncloneable only guards structuredClone misuse, and withResolvers is
// a two-line standard helper. These stubs let the client run on Node 20 (the project's
// minimum); on newer Node they do nothing. Must be imported before the client.
import wt from "node:worker_threads";
import zlib from "node:zlib";

const z = zlib as unknown as Record<string, unknown>;
if (typeof z.createZstdDecompress !== "function") {
  z.createZstdDecompress = () => {
    throw new Error("zstd content-encoding needs Node ≥ 22.15");
  };
}
const w = wt as unknown as Record<string, unknown>;
if (typeof w.markAsUncloneable !== "function") w.markAsUncloneable = () => {};

const P = Promise as unknown as Record<string, unknown>;
if (typeof P.withResolvers !== "function") {
  P.withResolvers = function withResolvers<T>() {
    let resolve!: (v: T | PromiseLike<T>) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
