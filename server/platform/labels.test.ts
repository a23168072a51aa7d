import { describe, expect, test } from "vitest";
import { labelKeyProblem, parseLabelSelector, ZLabels } from "./labels";

describe("labels", () => {
  test("accepts Kubernetes-style keys and values", () => {
    expect(ZLabels.safeParse({ env: "prod", "topology.kubernetes.io/region": "eu-west-1", "example.com/tier": "", a_b: "x.y" }).success).toBe(true);
  });

  test("refuses bad keys and values, naming the label", () => {
    const res = ZLabels.safeParse({ "-bad": "x", ok: "no spaces" });
    expect(res.success).toBe(false);
    const paths = res.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["-bad", "ok"]));
    expect(labelKeyProblem("Upper.Case/name")).toMatch(/prefix/);
    expect(labelKeyProblem("x".repeat(64))).toMatch(/1-63/);
    expect(labelKeyProblem("/name")).toMatch(/prefix/);
  });

  test("selectors: every pair, spaces allowed, bad parts named", () => {
    expect(parseLabelSelector("env=prod, region = eu")).toEqual({ ok: true, pairs: { env: "prod", region: "eu" } });
    expect(parseLabelSelector("env==prod")).toEqual({ ok: true, pairs: { env: "prod" } });
    expect(parseLabelSelector("env")).toMatchObject({ ok: false, message: expect.stringContaining('"env"') });
    expect(parseLabelSelector("env!=prod")).toMatchObject({ ok: false });
    expect(parseLabelSelector("bad key=x")).toMatchObject({ ok: false });
  });
});
