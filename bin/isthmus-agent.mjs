#!/usr/bin/env node
// Runs the TypeScript agent in this very process, with tsx's loader registered from
// this package (so it works from any working directory). No child process: signals,
// argv and the exit code are the agent's own — a forwarding parent would deliver a
// terminal's Ctrl+C twice, and the agent reads a second signal as "exit now".
import { register } from "tsx/esm/api";

register();
await import(new URL("../agent/main.ts", import.meta.url).href);
