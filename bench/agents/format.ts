// Formatting and small helpers of the agent benchmark's output.
import os from "node:os";

export const log = (msg: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "–");
export const f0 = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–");
export const mb = (kb: number | null | undefined) => (kb ? `${(kb / 1024).toFixed(0)} MiB` : "–");
export const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" / ");
