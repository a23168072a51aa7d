// Output formats of `netpol list`: txt, json, csv and md as netpol-analyzer writes
// them (so its users can diff), and the same with explanations appended.
import type { Analysis, PairResult } from "./analyze";
import type { Reason, Verdict } from "./tiers";

export const FORMATS = ["txt", "json", "csv", "md"] as const;
export type Format = (typeof FORMATS)[number];

function reasonText(r: Reason): string {
  return `${r.verdict} ${r.conns.toString()}: ${r.by.join("; ")}`;
}

/** Explanation lines in tier order: the source's egress first, then the destination's ingress. */
export function explainLines(pair: PairResult): string[] {
  const out: string[] = [];
  const side = (title: string, v: Verdict | undefined, outside: string) => {
    out.push(`  ${title}:`);
    if (!v) out.push(`    ${outside}`);
    else for (const r of v.reasons) out.push(`    [${r.tier}] ${reasonText(r)}`);
  };
  side(`egress from ${pair.src}`, pair.egress, "outside the cluster: no policy applies");
  side(`ingress to ${pair.dst}`, pair.ingress, "outside the cluster: no policy applies");
  return out;
}

const reasonJson = (v: Verdict | undefined) => v?.reasons.map((r) => ({ tier: r.tier, verdict: r.verdict, conn: r.conns.toString(), by: r.by })) ?? null;

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function format(analysis: Analysis, fmt: Format, explain = false): string {
  const rows = analysis.pairs;
  // A row's cells for the tables (csv, md); the explanation's lines joined by `sep`.
  const cells = (r: PairResult, sep: string) => [
    r.src,
    r.dst,
    r.conns.toString(),
    ...(explain
      ? [
          explainLines(r)
            .map((l) => l.trim())
            .join(sep),
        ]
      : []),
  ];
  switch (fmt) {
    case "txt":
      if (!explain) return rows.map((r) => `${r.src} => ${r.dst} : ${r.conns.toString()}\n`).join("");
      return rows.map((r) => [`${r.src} => ${r.dst} : ${r.conns.toString()}`, ...explainLines(r)].join("\n") + "\n").join("");
    case "json":
      return (
        JSON.stringify(
          rows.map((r) => ({
            src: r.src,
            dst: r.dst,
            conn: r.conns.toString(),
            ...(explain ? { explanation: { egress: reasonJson(r.egress), ingress: reasonJson(r.ingress) } } : {}),
          })),
          null,
          2,
        ) + "\n"
      );
    case "csv": {
      const head = explain ? "src,dst,conn,explanation" : "src,dst,conn";
      const line = (r: PairResult) => cells(r, " | ").map(csvField).join(",");
      return [head, ...rows.map(line)].join("\n") + "\n";
    }
    case "md": {
      const cell = (s: string) => s.replace(/\|/g, "\\|");
      const head = explain ? ["| src | dst | conn | explanation |", "|-----|-----|------|-------------|"] : ["| src | dst | conn |", "|-----|-----|------|"];
      const line = (r: PairResult) => `| ${cells(r, "<br>").map(cell).join(" | ")} |`;
      return [...head, ...rows.map(line)].join("\n") + "\n";
    }
  }
}
