#!/usr/bin/env node
// Runs the TypeScript CLI in this very process, with tsx's loader registered from this
// package, so `isthmus` works from any working directory and its exit code and
// signals are the CLI's own.
import { register } from "tsx/esm/api";

register();
await import(new URL("../cli/main.ts", import.meta.url).href);
