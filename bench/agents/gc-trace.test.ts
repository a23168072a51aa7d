// The agent benchmark's GC figures come from these lines: a format the parser misses
// silently reports "no major GC, nothing promoted", which is how Node 24's lines (with a
// thread id after the isolate) went unread.
import { describe, expect, it } from "vitest";
import { apiMajorGcs, apiPromoted, mainIsolates, takeTraceGc } from "./gc-trace";

const scavenge = (prefix: string) =>
  `${prefix}    62986 ms: pause=3.8 mutator=185.5 gc=s reduce_memory=0 scavenge=3.82 promoted=123456 total_size_before=1000 total_size_after=900`;
const major = (prefix: string) =>
  prefix.endsWith(":0]")
    ? `${prefix}    64995 ms: pause=15.7 mutator=458.4 gc=mc incremental=22.5 start_object_size=${300 * 1048576} end_object_size=${100 * 1048576} promoted=0`
    : `${prefix}    64995 ms: pause=15.7 mutator=458.4 gc=mc incremental=22.5 promoted=0 total_size_before=${300 * 1048576} total_size_after=${100 * 1048576}`;

describe("takeTraceGc", () => {
  it.each([
    ["Node 20/22", "[9877:0x1e0cc000]"],
    ["Node 24 (thread id)", "[9877:0x1e0cc000:0]"],
  ])("reads promotion and major collections from %s lines", (_name, prefix) => {
    mainIsolates.clear();
    apiPromoted.length = 0;
    apiMajorGcs.length = 0;
    expect(takeTraceGc(scavenge(prefix))).toBe(true);
    expect(takeTraceGc(major(prefix))).toBe(true);
    expect(apiPromoted.map(([, b]) => b)).toEqual([123456, 0]);
    expect(apiMajorGcs).toHaveLength(1);
    expect(apiMajorGcs[0]).toMatchObject({ fromMib: 300, toMib: 100, pauseMs: 15.7, markingMs: 22.5 });
  });

  it("leaves other lines to the log, and skips another isolate's collections", () => {
    mainIsolates.clear();
    apiPromoted.length = 0;
    expect(takeTraceGc('{"level":40,"msg":"slow"}')).toBe(false);
    expect(takeTraceGc(scavenge("[1:0xaaa:0]"))).toBe(true);
    expect(takeTraceGc(scavenge("[1:0xbbb:1]"))).toBe(true);
    expect(apiPromoted).toHaveLength(1);
  });
});
