// A unified diff of two texts, line by line (what `diff -u` prints), for the plan's
// per-cluster manifest diff. Pure. Common head and tail lines are set aside first, so
// the quadratic part only sees the lines around the change.

const MAX_CELLS = 4_000_000;

type Op = { kind: " " | "-" | "+"; line: string };

function lineOps(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const middle: Op[] = [];
  if ((x.length + 1) * (y.length + 1) > MAX_CELLS) {
    // Too large to align: everything between the common head and tail is replaced.
    middle.push(...x.map((line) => ({ kind: "-" as const, line })), ...y.map((line) => ({ kind: "+" as const, line })));
  } else {
    // Longest common subsequence, from the end, then walked from the start.
    const w = y.length + 1;
    const lcs = new Uint32Array((x.length + 1) * w);
    for (let i = x.length - 1; i >= 0; i--)
      for (let j = y.length - 1; j >= 0; j--)
        lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i] === y[j]) {
        middle.push({ kind: " ", line: x[i]! });
        i++;
        j++;
      } else if (i < x.length && (j === y.length || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) middle.push({ kind: "-", line: x[i++]! });
      else middle.push({ kind: "+", line: y[j++]! });
    }
  }
  return [
    ...a.slice(0, head).map((line) => ({ kind: " " as const, line })),
    ...middle,
    ...a.slice(a.length - tail).map((line) => ({ kind: " " as const, line })),
  ];
}

const lines = (s: string) => (s === "" ? [] : s.replace(/\n$/, "").split("\n"));

/** `--- from` / `+++ to` and @@ hunks with `context` lines around each change; "" when equal. */
export function unifiedDiff(before: string, after: string, labels: { from: string; to: string }, context = 3): string {
  const ops = lineOps(lines(before), lines(after));
  const changed = ops.flatMap((o, k) => (o.kind === " " ? [] : [k]));
  if (changed.length === 0) return "";
  const out = [`--- ${labels.from}`, `+++ ${labels.to}`];
  // Line numbers before each op, in the old and new text.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 1;
  let n = 1;
  for (const op of ops) {
    oldAt.push(o);
    newAt.push(n);
    if (op.kind !== "+") o++;
    if (op.kind !== "-") n++;
  }
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - context);
    let end = Math.min(ops.length, changed[k]! + context + 1);
    while (k + 1 < changed.length && changed[k + 1]! - context <= end) end = Math.min(ops.length, changed[++k]! + context + 1);
    k++;
    const hunk = ops.slice(start, end);
    const oldLen = hunk.filter((h) => h.kind !== "+").length;
    const newLen = hunk.filter((h) => h.kind !== "-").length;
    const range = (at: number, len: number) => `${len === 0 ? at - 1 : at}${len === 1 ? "" : `,${len}`}`;
    out.push(`@@ -${range(oldAt[start]!, oldLen)} +${range(newAt[start]!, newLen)} @@`, ...hunk.map((h) => `${h.kind}${h.line}`));
  }
  return `${out.join("\n")}\n`;
}
