// Node flags the agent API process runs with (npm start, the benchmark; docker-compose.yml
// and the Dockerfile's usage line repeat them).
// * A heartbeat's garbage is short-lived: a larger young generation lets most of it die
//   in a cheap scavenge instead of being promoted and marked later, which is where the
//   agent API spent most of its GC time under load.
// * No memory reducer. It is meant for a process gone idle, but it also fired under
//   steady load (10,000 clusters, 5,000 heartbeats/s, after about two minutes): a full
//   GC of 278 MiB with a 69 ms pause, after which V8 kept the heap limit just above the
//   live heap and ran a full GC every ~20 s. Without it, none came in a 120 s window, for
//   ~80 MiB more resident memory at that load.
// * No allocation-site pretenuring. V8 watches where objects are allocated and, when a
//   site's objects mostly survive a scavenge, allocates that site's later objects
//   straight in the old generation. A burst (enrolment, the fleet's first heartbeats,
//   any stall with thousands of requests in flight) teaches it exactly that about the
//   request, response and sample objects of a heartbeat, and the decision stuck: every
//   heartbeat then allocated them in old space, ~19 MiB/s at 5,000/s, a full GC every
//   ~17 s, scavenges of 9 ms (p50) with 35–118 ms event-loop stalls around each full GC.
//   Without it: 2.6 MiB/s, scavenges of 3.9 ms, p99 at 5,000/s from 109–164 ms to 26 ms
//   (bench/README.md, "Allocation-site pretenuring").
// * The old generation may grow to four times what the last full GC kept
//   (--heap-growing-percent=300) before the next one starts. Left to itself V8 picks that
//   factor (1.1 to 4) after each full GC, aiming to spend ~3 % of the time collecting: the
//   less the agent API promotes, the faster its collections look and the smaller the
//   factor it picks, so after a few minutes it settled at ~1.25 and ran a full GC every
//   ~10 s (each with a second or two of slower heartbeats) although only ~1 MiB/s reached
//   the old generation. At four times the ~105 MiB live at 10,000 clusters, one comes every
//   few minutes, for ~300 MiB more heap at the peak. V8 still never plans past halfway to
//   the heap's maximum, which Node derives from the container's memory limit.
//   (bench/README.md, "Long windows".)
export const AGENT_API_NODE_FLAGS = ["--max-semi-space-size=32", "--no-memory-reducer", "--no-allocation-site-pretenuring", "--heap-growing-percent=300"];
