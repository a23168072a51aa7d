// Preloaded (`node --require server/http/append-peer.cjs`) into the process that runs the
// Next.js server: `npm start`, the e2e server and the Docker web image.
//
// Why: Next.js route handlers never see the socket. Next's own server (16.x,
// base-server.js) sets `x-forwarded-for` to the peer only when the header is absent
// (`??=`), so a client that sends its own X-Forwarded-For erases its real address, and
// the Next rewrite of /api/agent/* forwards the header as sent. This preload makes the
// web process behave like a well-behaved proxy hop: before Next.js sees a request, the
// socket's peer is appended to X-Forwarded-For, so the last entry is always the real
// peer and server/http/client-address.ts can walk the chain from the right, trusting
// only the hops TRUSTED_PROXIES names. It marks the process so that module can refuse
// to believe the header where this preload did not run.
"use strict";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS preload, loaded with --require before any ESM
const http = require("node:http");

const MARK = Symbol.for("isthmus.peerAppended");
if (!globalThis[MARK]) {
  globalThis[MARK] = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function emitWithPeer(event, req) {
    if ((event === "request" || event === "checkContinue" || event === "upgrade") && req && req.headers) {
      // "unknown" is not an address: the reader then reports no address rather than
      // whatever the client wrote before it.
      const peer = (req.socket && req.socket.remoteAddress) || "unknown";
      const prior = req.headers["x-forwarded-for"];
      req.headers["x-forwarded-for"] = prior ? `${prior}, ${peer}` : peer;
    }
    return emit.apply(this, arguments);
  };
}
