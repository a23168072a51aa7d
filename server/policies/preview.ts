// The reachability preview and matrix (read-only, VIEWER+): what the current or a
// proposed policy set will enforce, evaluated over the compiled objects plus each
// cluster's own reported objects.
import { z } from "zod";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { AppError, fieldError } from "../platform/errors";
import { parseInput } from "../platform/validation";
import { PROTOCOLS } from "../netpol/engine/conn-set";
import { loadFleet, type Fleet } from "../netpol/fleet";
import { POLICY_LABEL } from "../netpol/compile";
import { compactMatrix } from "./matrix";
import { Evaluator, type DecidedBy } from "./reachability";
import type { PolicyRule } from "../netpol/rules";
import { ZPolicyInput } from "./schema";

const ZRef = z.object({ cluster: z.string().max(63), namespace: z.string().max(63), workload: z.string().max(253).optional() }).strict();
const ZProposed = z.array(ZPolicyInput).max(500).optional().describe("The proposed policy set (replacing the current one); omitted = the current policies");

export const ZPreviewInput = z
  .object({
    policies: ZProposed,
    query: z.object({ from: ZRef, to: ZRef, protocol: z.enum(PROTOCOLS).default("TCP"), port: z.int().min(1).max(65535) }).strict(),
  })
  .strict();
export type PreviewInput = z.input<typeof ZPreviewInput>;

/** A matrix answer is bounded: a console page, not a dump of the fleet. */
export const MAX_MATRIX_CELLS = 40_000;

export const ZMatrixInput = z
  .object({
    policies: ZProposed,
    protocol: z.enum(PROTOCOLS).default("TCP"),
    port: z.int().min(1).max(65535),
    clusters: z.array(z.string().max(63)).max(500).optional(),
    namespaces: z.array(z.string().max(63)).max(500).optional(),
    diff: z.boolean().default(false).describe("Only the cells whose decision differs between the current and the proposed policies"),
  })
  .strict();
export type MatrixInput = z.input<typeof ZMatrixInput>;

/** A proposed set as rules: ids kept for policies that exist by name, slices by name. */
function proposedRules(fleet: Fleet, current: Array<{ id: string; name: string }>, proposed: z.infer<typeof ZPolicyInput>[]): PolicyRule[] {
  const seen = new Set<string>();
  return proposed.map((p, i) => {
    if (seen.has(p.name)) throw fieldError(`policies.${i}.name`, `${p.name} appears twice in the proposed set`);
    seen.add(p.name);
    const sliceId = p.slice ? fleet.slices.find((s) => s.name === p.slice)?.id : null;
    if (sliceId === undefined) throw fieldError(`policies.${i}.slice`, `there is no slice named ${p.slice}`);
    const id = current.find((c) => c.name === p.name)?.id ?? `proposed-${p.name}`;
    return { id, name: p.name, enabled: p.enabled, priority: p.priority, action: p.action, sliceId, from: p.from, to: p.to, ports: p.ports };
  });
}

async function fleetOf(ctx: TenantContext) {
  return db().$transaction((tx) => loadFleet(tx, ctx.tenantId));
}

function checkRef(ev: Evaluator, field: string, ref: z.infer<typeof ZRef>) {
  const e = ev.cluster(ref.cluster);
  if (!e) throw fieldError(`${field}.cluster`, `no cluster is named ${ref.cluster}`);
  if (ref.workload && !e.inventory.workloads.some((w) => w.namespace === ref.namespace && w.name === ref.workload)) {
    throw fieldError(`${field}.workload`, `cluster ${ref.cluster} reports no workload ${ref.namespace}/${ref.workload}`);
  }
}

export async function previewConnection(ctx: TenantContext, input: PreviewInput) {
  const data = parseInput(ZPreviewInput, input);
  const fleet = await fleetOf(ctx);
  const rules = data.policies ? proposedRules(fleet, fleet.policies, data.policies) : fleet.policies;
  const ev = new Evaluator(fleet, rules);
  checkRef(ev, "query.from", data.query.from);
  checkRef(ev, "query.to", data.query.to);
  return ev.decide(data.query.from, data.query.to, data.query.protocol, data.query.port);
}

export interface MatrixCell {
  from: { cluster: string; namespace: string };
  to: { cluster: string; namespace: string };
  decision: "ALLOW" | "DENY";
  decidedBy: DecidedBy[];
  /** With diff: the decision under the current policies. */
  current?: "ALLOW" | "DENY";
}

/** The endpoints of a matrix: every (cluster, namespace) asked for, clusters grouped by site type. */
export function matrixEndpoints(fleet: Fleet, clusters?: string[], namespaces?: string[]) {
  const order = { EDGE: 0, CLOUD: 1, ONPREM: 2 } as const;
  const picked = fleet.clusters
    .filter((c) => !clusters || clusters.includes(c.name))
    .sort((a, b) => order[a.siteType] - order[b.siteType] || (a.name < b.name ? -1 : 1));
  const out: Array<{ cluster: string; siteType: string; namespace: string }> = [];
  for (const c of picked) {
    const names = c.namespaces ? c.namespaces.map((n) => n.name).filter((n) => !namespaces || namespaces.includes(n)) : (namespaces ?? []);
    for (const namespace of [...new Set(names)].sort()) out.push({ cluster: c.name, siteType: c.siteType, namespace });
  }
  return out;
}

/** Pure: every cell of the matrix (or only the differing ones with `base`), as objects: for the API's bounded matrices. */
export function computeMatrix(
  ev: Evaluator,
  endpoints: Array<{ cluster: string; namespace: string }>,
  protocol: (typeof PROTOCOLS)[number],
  port: number,
  base?: Evaluator,
): MatrixCell[] {
  const cells: MatrixCell[] = [];
  // One ref object per endpoint, shared by its row and its column.
  const refs = endpoints.map((e) => ({ cluster: e.cluster, namespace: e.namespace }));
  const now = compactMatrix(ev, refs, protocol, port);
  const was = base ? compactMatrix(base, refs, protocol, port) : null;
  const n = refs.length;
  for (let f = 0; f < n; f++) {
    for (let t = 0; t < n; t++) {
      if (f === t) continue;
      const d = now.decisions[now.cells[f * n + t]!]!;
      if (was) {
        const current = was.decisions[was.cells[f * n + t]!]!.decision;
        if (current !== d.decision) cells.push({ from: refs[f]!, to: refs[t]!, decision: d.decision, decidedBy: d.decidedBy, current });
      } else cells.push({ from: refs[f]!, to: refs[t]!, decision: d.decision, decidedBy: d.decidedBy });
    }
  }
  return cells;
}

export async function reachabilityMatrix(ctx: TenantContext, input: MatrixInput) {
  const data = parseInput(ZMatrixInput, input);
  const fleet = await fleetOf(ctx);
  if (data.diff && !data.policies) throw fieldError("diff", "needs a proposed policy set (policies) to compare with the current one");
  const rules = data.policies ? proposedRules(fleet, fleet.policies, data.policies) : fleet.policies;
  const endpoints = matrixEndpoints(fleet, data.clusters, data.namespaces);
  if (endpoints.length * endpoints.length > MAX_MATRIX_CELLS) {
    throw new AppError(
      "BAD_REQUEST",
      `the matrix would have ${endpoints.length}² cells, more than ${MAX_MATRIX_CELLS}: narrow it with clusters or namespaces`,
      {
        fieldErrors: { clusters: [`${endpoints.length} cluster/namespace endpoints are too many: narrow with clusters or namespaces`] },
      },
    );
  }
  const ev = new Evaluator(fleet, rules);
  const cells = computeMatrix(ev, endpoints, data.protocol, data.port, data.diff ? new Evaluator(fleet, fleet.policies) : undefined);
  return { protocol: data.protocol, port: data.port, endpoints, cells };
}

/** The compiled objects of each cluster under the current (or a proposed) set, with what could not be compiled. */
export async function compiledManifests(ctx: TenantContext, input: { cluster: string; policies?: z.input<typeof ZProposed> }) {
  const fleet = await fleetOf(ctx);
  const proposed = input.policies ? parseInput(ZProposed, input.policies) : undefined;
  const rules = proposed ? proposedRules(fleet, fleet.policies, proposed) : fleet.policies;
  const e = new Evaluator(fleet, rules).cluster(input.cluster);
  if (!e) throw new AppError("NOT_FOUND", "cluster not found");
  // What the cluster runs now: the policy objects of the revision its agent last applied.
  const c = await db().cluster.findFirst({ where: { tenantId: ctx.tenantId, id: e.cluster.id }, select: { appliedRevision: true } });
  const row =
    c && c.appliedRevision > 0
      ? await db().configRevision.findFirst({
          where: { tenantId: ctx.tenantId, clusterId: e.cluster.id, revision: c.appliedRevision },
          select: { bundle: true },
        })
      : null;
  const appliedManifests = ((row?.bundle as { manifests?: Array<{ metadata?: { labels?: Record<string, string> } }> } | null)?.manifests ?? []).filter(
    (m) => m.metadata?.labels?.[POLICY_LABEL],
  );
  return {
    cluster: input.cluster,
    manifests: e.compiled,
    problems: e.problems,
    appliedRevision: c?.appliedRevision ?? 0,
    applied: appliedManifests as unknown as typeof e.compiled,
  };
}
