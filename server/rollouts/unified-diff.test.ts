import { describe, expect, test } from "vitest";
import { unifiedDiff } from "./unified-diff";

const labels = { from: "a", to: "b" };

describe("unifiedDiff", () => {
  test("equal texts have no diff", () => {
    expect(unifiedDiff("x\ny\n", "x\ny\n", labels)).toBe("");
  });

  test("one changed line among many: a hunk with three lines of context on each side", () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n");
    const after = before.replace("line 10", "line ten");
    expect(unifiedDiff(before, after, labels)).toBe(
      ["--- a", "+++ b", "@@ -7,7 +7,7 @@", " line 7", " line 8", " line 9", "-line 10", "+line ten", " line 11", " line 12", " line 13", ""].join("\n"),
    );
  });

  test("from nothing: every line added; to nothing: every line removed", () => {
    expect(unifiedDiff("", "a\nb\n", labels)).toBe("--- a\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b\n");
    expect(unifiedDiff("a\nb\n", "", labels)).toBe("--- a\n+++ b\n@@ -1,2 +0,0 @@\n-a\n-b\n");
  });

  test("changes far apart make separate hunks; close ones share one", () => {
    const before = Array.from({ length: 30 }, (_, i) => `l${i + 1}`).join("\n");
    const far = unifiedDiff(before, before.replace("l2\n", "L2\n").replace("l28", "L28"), labels);
    expect(far.match(/^@@/gm)).toHaveLength(2);
    const near = unifiedDiff(before, before.replace("l10", "L10").replace("l14", "L14"), labels);
    expect(near.match(/^@@/gm)).toHaveLength(1);
    expect(near).toContain("@@ -7,11 +7,11 @@");
  });

  test("an inserted block keeps the lines around it as context, not as changes", () => {
    const d = unifiedDiff("a\nb\nc\n", "a\nb\nnew 1\nnew 2\nc\n", labels);
    expect(d).toBe("--- a\n+++ b\n@@ -1,3 +1,5 @@\n a\n b\n+new 1\n+new 2\n c\n");
  });
});
