// A Lua script run by SHA (EVALSHA), loaded on first use or after a Redis restart.
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

export type RedisScript = (r: Redis, keys: readonly string[], args: ReadonlyArray<string | number | Buffer>) => Promise<unknown>;

export function redisScript(lua: string): RedisScript {
  const sha = createHash("sha1").update(lua).digest("hex");
  return async (r, keys, args) => {
    try {
      return await r.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!String((err as Error)?.message).startsWith("NOSCRIPT")) throw err;
      return r.eval(lua, keys.length, ...keys, ...args);
    }
  };
}
