// A supervisor over small dummy children, for scripts/supervise.test.ts: the same
// Supervisor and signal handling as scripts/start.ts, without PostgreSQL, Next.js or a
// build. Every line it writes is JSON: its own log ({log}), its children's output
// ({name, line}), and {ready, pid} once started.
import { stopOnSignals, Supervisor } from "./supervise";

const write = (o: object) => process.stdout.write(JSON.stringify(o) + "\n");

// Each child starts a grandchild in its own process group, and says both pids. The
// "stubborn" one ignores SIGTERM, so only the kill after the stop timeout ends it.
const child = (ignoreTerm: boolean) => `
  const { spawn } = require("node:child_process");
  const g = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  process.on("SIGTERM", () => { if (!${ignoreTerm}) process.exit(0); });
  console.log(JSON.stringify({ pid: process.pid, grandchild: g.pid }));
  setInterval(() => {}, 1000);
`;

const supervisor = new Supervisor({
  log: (message) => write({ log: message }),
  output: (name, _stream, line) => write({ name, line }),
  restart: { minDelayMs: 100 },
  stopTimeoutMs: 1_000,
});
supervisor.start({ name: "steady", args: ["-e", child(false)] });
supervisor.start({ name: "stubborn", args: ["-e", child(true)] });

stopOnSignals(
  (reason) => {
    write({ log: `stopping (${reason})` });
    void supervisor.stop([(n) => n === "steady"]).then(() => {
      write({ log: "stopped" });
      process.exit(0);
    });
  },
  () => supervisor.killAll(),
  { parentCheckMs: 200 },
);
process.on("exit", () => supervisor.killAll());
write({ ready: true, pid: process.pid });
