// Explanations: which objects and rules allowed or denied each part of a pair's
// connections, in tier order, for each direction.
import { describe, expect, it } from "vitest";
import { analyze } from "./analyze";
import { explainLines } from "./format";
import { anp, banp, deployment, inventory, namespace, netpol } from "./test-helpers";

const objects = [
  namespace("a", { team: "front" }),
  namespace("b", { team: "back" }),
  deployment("a", "web", { app: "web" }),
  deployment("b", "db", { app: "db" }, [{ name: "pg", containerPort: 5432 }]),
  anp("deny-telnet", {
    priority: 1,
    subject: { namespaces: {} },
    ingress: [{ name: "no-telnet", action: "Deny", from: [{ namespaces: {} }], ports: [{ portNumber: { port: 23 } }] }],
  }),
  anp("pass-front", {
    priority: 2,
    subject: { namespaces: { matchLabels: { team: "back" } } },
    ingress: [{ action: "Pass", from: [{ namespaces: { matchLabels: { team: "front" } } }], ports: [{ portRange: { start: 1, end: 1000 } }] }],
  }),
  netpol("b", "db", { podSelector: { matchLabels: { app: "db" } }, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: "pg" }, { port: 80 }] }] }),
  banp({ subject: { namespaces: {} }, egress: [{ name: "no-smtp", action: "Deny", to: [{ namespaces: {} }], ports: [{ portNumber: { port: 25 } }] }] }),
];

const pair = (src: string, dst: string) => analyze(inventory(objects), { explain: true }).pairs.find((p) => p.src === src && p.dst === dst)!;

describe("explanations", () => {
  it("lists every tier that decided a part of the ingress, in order, and the egress beside it", () => {
    const p = pair("a/web[Deployment]", "b/db[Deployment]");
    expect(p.conns.toString()).toBe("TCP 80,5432");
    expect(p.ingress!.reasons.map((r) => [r.tier, r.verdict, r.conns.toString(), r.by])).toEqual([
      ["AdminNetworkPolicy", "Deny", "TCP 23", ['AdminNetworkPolicy deny-telnet (priority 1) ingress rule 0 "no-telnet"']],
      ["AdminNetworkPolicy", "Pass", "TCP 1-22,24-1000", ["AdminNetworkPolicy pass-front (priority 2) ingress rule 0"]],
      ["NetworkPolicy", "Allow", "TCP 80,5432", ["NetworkPolicy b/db ingress rule 0"]],
      ["NetworkPolicy", "Deny", "SCTP 1-65535,TCP 1-22,24-79,81-5431,5433-65535,UDP 1-65535", ["NetworkPolicy b/db isolates ingress and no rule allows it"]],
    ]);
    expect(p.egress!.reasons.map((r) => [r.tier, r.verdict, r.conns.toString()])).toEqual([
      ["BaselineAdminNetworkPolicy", "Deny", "TCP 25"],
      ["default", "Allow", "SCTP 1-65535,TCP 1-24,26-65535,UDP 1-65535"],
    ]);
  });

  it("explains each direction on its own: what the source's egress and the destination's ingress closed", () => {
    const p = pair("b/db[Deployment]", "a/web[Deployment]");
    expect(p.conns.toString()).toBe("SCTP 1-65535,TCP 1-22,24,26-65535,UDP 1-65535");
    expect(explainLines(p)).toEqual([
      "  egress from b/db[Deployment]:",
      '    [BaselineAdminNetworkPolicy] Deny TCP 25: BaselineAdminNetworkPolicy default egress rule 0 "no-smtp"',
      "    [default] Allow SCTP 1-65535,TCP 1-24,26-65535,UDP 1-65535: no policy decides it: allowed by default",
      "  ingress to a/web[Deployment]:",
      '    [AdminNetworkPolicy] Deny TCP 23: AdminNetworkPolicy deny-telnet (priority 1) ingress rule 0 "no-telnet"',
      "    [default] Allow SCTP 1-65535,TCP 1-22,24-65535,UDP 1-65535: no policy decides it: allowed by default",
    ]);
  });

  it("keeps pairs without connections when explaining; an outside address has no policy of its own", () => {
    const p = pair("0.0.0.0-255.255.255.255[External]", "b/db[Deployment]");
    expect(p.conns.toString()).toBe("No Connections");
    expect(explainLines(p)).toEqual([
      "  egress from 0.0.0.0-255.255.255.255[External]:",
      "    outside the cluster: no policy applies",
      "  ingress to b/db[Deployment]:",
      "    [NetworkPolicy] Deny All Connections: NetworkPolicy b/db isolates ingress and no rule allows it",
    ]);
  });

  it("without explain, reports only pairs with connections and no reasons", () => {
    const a = analyze(inventory(objects));
    expect(a.pairs.every((p) => !p.conns.isEmpty() && p.egress === undefined && p.ingress === undefined)).toBe(true);
    expect(a.pairs.map((p) => `${p.src} => ${p.dst}`)).not.toContain("0.0.0.0-255.255.255.255[External] => b/db[Deployment]");
  });
});
