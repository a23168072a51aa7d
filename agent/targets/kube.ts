// The real target: a Kubernetes cluster, from inside (service account) or outside
// (kubeconfig). Its first rule is to never harm the cluster it runs in:
// * ownership: an object is Isthmus's only if Isthmus created it (201); an object that
//   already existed (409) is never modified or deleted (see kube-plan.ts);
// * the whole bundle is dry-run on the server (strict field validation) before anything
//   changes; then namespaces, allow policies, deny policies, in that order, stopping at
//   the first failure with the previous revision's objects left in place;
// * cleanup is per object: one failure never stops the others;
// * manifests go to the server as compiled (raw JSON, see kube-http.ts).
import type { AppInventory } from "../../protocol/app-inventory";
import { readAppInventory } from "./kube-app-inventory";
import type { KubeConfig } from "@kubernetes/client-node";
import { loadKubeConfig } from "./kube-config";
import type { Bundle, ClusterInfo, GatewaySample, Manifest } from "../../protocol/index";
import { bundleLinks, type BundleLink } from "../bundle";
import {
  carriesOwnership,
  FIELD_MANAGER,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  isDenyPolicy,
  isNamespace,
  orderForApply,
  planPrune,
  refKey,
  refOf,
  withOwnership,
  type ObjectRef,
  type OwnedRef,
} from "../kube-plan";
import type { Logger } from "../logger";
import { readInventory, type InventoryEnv } from "./kube-inventory-read";
import { errorText, KubeApiError, KubeHttp, statusOf } from "./kube-http";
import { GatewayProber, type ProberOptions } from "./probe";
import type { AckObject, ApplyResult, ComponentStatus, DriftReport, Target } from "./types";

export { loadKubeConfig };

export interface KubeTargetOptions {
  logger: Logger;
  kubeConfig?: KubeConfig;
  /** Site facts the API cannot tell: ISTHMUS_CLUSTER_NAME, _SITE_TYPE, _PROVIDER, _REGION, _GATEWAY_ENDPOINTS, _BEHIND_NAT. */
  env?: InventoryEnv;
  probe?: ProberOptions;
  /** Page size for lists (nodes, pods): bounds the agent's memory on large clusters. */
  listLimit?: number;
}

const ackRef = (r: ObjectRef, result: string): AckObject => ({
  apiVersion: r.apiVersion,
  kind: r.kind,
  name: r.name,
  ...(r.namespace ? { namespace: r.namespace } : {}),
  result: result.slice(0, 1024),
});

interface Live {
  metadata?: { uid?: string; labels?: Record<string, string>; annotations?: Record<string, string>; managedFields?: Array<{ manager?: string }> };
}

/** What one object of the bundle needs, decided before anything is written. */
type Step =
  | { m: Manifest; action: "create" }
  | { m: Manifest; action: "update"; uid: string }
  | { m: Manifest; action: "present" }
  | { m: Manifest; action: "skip"; reason: string };

const managersOf = (live: Live) => [...new Set((live.metadata?.managedFields ?? []).map((f) => f.manager).filter(Boolean))].join(", ") || "unknown";

/** A conflict or refusal, in words an operator can act on. */
function describe(err: unknown): string {
  if (err instanceof KubeApiError && err.status === 409 && err.causes?.some((c) => c.reason === "FieldManagerConflict")) {
    return `conflict with another field manager (${err.causes.map((c) => `${c.message} ${c.field ?? ""}`.trim()).join("; ")}); not taken over`;
  }
  // NetworkPolicy writes are granted per namespace (deploy/agent/README.md, RBAC).
  if (err instanceof KubeApiError && err.status === 403)
    return `${errorText(err)} (grant the agent this namespace: bind ClusterRole isthmus-agent-policies with a RoleBinding there)`;
  return errorText(err);
}

export class KubeTarget implements Target {
  readonly kind = "kube" as const;
  readonly http: KubeHttp;
  private readonly prober: GatewayProber;
  private readonly env: InventoryEnv;
  private owned = new Map<string, OwnedRef>();
  /** The last revision's applicable objects (with ownership markers): what drift is measured against. */
  private desired: Manifest[] = [];
  private clusterId = "";
  private apiError: string | undefined;
  private probeErrors: string[] = [];
  /** apply() and reconcile() never overlap: a drift check must not re-create what an apply is pruning. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: KubeTargetOptions) {
    this.http = new KubeHttp(opts.kubeConfig ?? loadKubeConfig());
    this.prober = new GatewayProber(opts.probe);
    this.env = opts.env ?? process.env;
  }

  async inventory(): Promise<ClusterInfo> {
    try {
      const { info, errors } = await readInventory(this.http, this.env, this.opts.listLimit);
      this.apiError = undefined;
      this.probeErrors = errors.map((e) => `${e.probe}: ${e.error}`);
      return info;
    } catch (err) {
      this.apiError = errorText(err);
      throw err;
    }
  }

  async appInventory(): Promise<AppInventory> {
    return readAppInventory(this.http, this.opts.listLimit);
  }

  private async live(m: ObjectRef): Promise<Live | null> {
    try {
      return await this.http.request<Live>("GET", await this.http.objectPath(m));
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
  }

  /** Decides, from what is in the cluster now, what each object needs. Reads only. */
  private async decide(m: Manifest, namespaces: Map<string, boolean>): Promise<Step> {
    const ns = m.metadata.namespace;
    if (ns && namespaces.get(ns) === false) return { m, action: "skip", reason: "skipped: namespace absent" };
    const recorded = this.owned.get(refKey(refOf(m)));
    const live = await this.live(refOf(m));
    if (!live) return { m, action: "create" };
    // An existing namespace is never changed, even one Isthmus created: the agent holds no
    // patch on namespaces (it could relabel Pod Security levels), only create.
    if (isNamespace(m)) return { m, action: "present" };
    const uid = live.metadata?.uid ?? "";
    // Ours: the object we created (same UID), or one carrying our markers for this
    // cluster (created by this cluster's agent before its state was lost).
    if ((recorded && recorded.uid === uid) || carriesOwnership(live, this.clusterId) || (recorded?.legacy && legacyMarked(live)))
      return { m, action: "update", uid };
    throw new KubeApiError(409, "AlreadyExists", `exists and was not created by Isthmus (managed by ${managersOf(live)}); left untouched`);
  }

  private query(dryRun: boolean, force: boolean): Record<string, string | undefined> {
    return { fieldManager: FIELD_MANAGER, fieldValidation: "Strict", dryRun: dryRun ? "All" : undefined, force: force ? "true" : undefined };
  }

  private async write(step: Step, dryRun: boolean): Promise<string | undefined> {
    const { m } = step;
    if (step.action === "create") {
      const { path } = await this.http.collectionPath(m.apiVersion, m.kind, m.metadata.namespace);
      // Create, never apply, to a name not yet taken: 201 makes it ours; 409 means
      // someone created it since we looked, and it stays theirs.
      const created = await this.http.request<Live>("POST", path, { body: m, query: this.query(dryRun, false) }).catch((err: unknown) => {
        if (statusOf(err) === 409) throw new KubeApiError(409, "AlreadyExists", "created by someone else meanwhile; left untouched");
        throw err;
      });
      return created.metadata?.uid;
    }
    if (step.action === "update") {
      // Forced only here, on an object Isthmus created: the fields in the bundle are ours.
      await this.http.request("PATCH", await this.http.objectPath(refOf(m)), {
        body: m,
        contentType: "application/apply-patch+yaml",
        query: this.query(dryRun, true),
      });
      return step.uid;
    }
    return undefined;
  }

  private async namespacePresence(manifests: Manifest[]): Promise<Map<string, boolean>> {
    const inBundle = new Set(manifests.filter(isNamespace).map((m) => m.metadata.name));
    const out = new Map<string, boolean>();
    for (const ns of new Set(manifests.map((m) => m.metadata.namespace).filter((n): n is string => !!n))) {
      if (inBundle.has(ns)) out.set(ns, true);
      else out.set(ns, (await this.live({ apiVersion: "v1", kind: "Namespace", name: ns })) !== null);
    }
    return out;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.turn.then(fn, fn);
    this.turn = run.catch(() => {});
    return run;
  }

  apply(bundle: Bundle, revision: number): Promise<ApplyResult> {
    return this.exclusive(() => this.applyNow(bundle, revision));
  }

  private async applyNow(bundle: Bundle, _revision: number): Promise<ApplyResult> {
    this.clusterId = bundle.cluster.id;
    const ordered = orderForApply(bundle.manifests).map((m) => withOwnership(m, this.clusterId));
    const namespaces = await this.namespacePresence(ordered);
    const steps: Step[] = [];
    const failures = new Map<string, string>();
    for (const m of ordered) {
      try {
        steps.push(await this.decide(m, namespaces));
      } catch (err) {
        failures.set(refKey(refOf(m)), describe(err));
      }
    }
    // Dry run: every stage of every write but persistence, with strict field validation.
    // An object whose namespace this bundle creates cannot be dry-run before it exists;
    // the server validates it when it is written.
    const creating = new Set(steps.filter((s) => s.action === "create" && isNamespace(s.m)).map((s) => s.m.metadata.name));
    for (const s of steps) {
      if (s.action === "present" || s.action === "skip" || (s.m.metadata.namespace && creating.has(s.m.metadata.namespace))) continue;
      try {
        await this.write(s, true);
      } catch (err) {
        failures.set(refKey(refOf(s.m)), `dry run: ${describe(err)}`);
      }
    }
    if (failures.size) {
      const objects = ordered.map((m) =>
        ackRef(refOf(m), failures.has(refKey(refOf(m))) ? `failed: ${failures.get(refKey(refOf(m)))}` : "not applied: the revision failed its dry run"),
      );
      const list = [...failures.entries()].map(([k, v]) => `${k}: ${v}`);
      return { ok: false, message: `${failures.size} of ${ordered.length} objects failed the dry run; nothing was changed: ${list.join("; ")}`, objects };
    }

    const objects: AckObject[] = [];
    const applied: Manifest[] = [];
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i]!;
      const ref = refOf(s.m);
      if (s.action === "skip" || s.action === "present") {
        objects.push(
          ackRef(
            ref,
            s.action === "skip" ? s.reason : this.owned.has(refKey(ref)) ? "present: left unchanged" : "present: not created by Isthmus, left unchanged",
          ),
        );
        continue;
      }
      try {
        const uid = await this.write(s, false);
        if (uid) this.owned.set(refKey(ref), { ...ref, uid, ...(isDenyPolicy(s.m) ? { deny: true } : {}) });
        applied.push(s.m);
        objects.push(ackRef(ref, s.action === "create" ? "created" : "applied"));
      } catch (err) {
        // Stop here: later objects (deny policies last) must not go in without the ones
        // before them, and nothing of the previous revision is pruned.
        objects.push(ackRef(ref, `failed: ${describe(err)}`));
        for (const rest of steps.slice(i + 1)) objects.push(ackRef(refOf(rest.m), "not applied: stopped at an earlier failure"));
        // What did go in is what drift is now measured against, so a drift check does
        // not put the previous revision's version of it back before the retry.
        const merged = new Map(this.desired.map((m) => [refKey(refOf(m)), m]));
        for (const m of applied) merged.set(refKey(refOf(m)), m);
        this.desired = [...merged.values()];
        return { ok: false, message: `${ref.kind}/${ref.name}: ${describe(err)}; stopped, previous objects left in place`, objects };
      }
    }

    const cleanupFailures = await this.prune(
      steps.filter((s) => s.action !== "skip").map((s) => s.m),
      objects,
    );
    this.desired = applied;
    this.prober.setLinks(bundleLinks(bundle));
    if (cleanupFailures.length) return { ok: false, message: `applied, but cleanup failed: ${cleanupFailures.join("; ")}`, objects };
    return { ok: true, objects };
  }

  /** Removes what Isthmus created and the bundle no longer has; each object on its own. */
  private async prune(keep: Manifest[], objects: AckObject[]): Promise<string[]> {
    const plan = planPrune([...this.owned.values()], keep);
    const failures: string[] = [];
    for (const r of plan.remove) {
      try {
        let uid = r.uid;
        if (r.legacy) {
          const live = await this.live(r);
          if (live && !legacyMarked(live)) {
            objects.push(ackRef(r, "left in place: no longer marked as Isthmus's"));
            this.owned.delete(refKey(r));
            continue;
          }
          uid = live?.metadata?.uid ?? "";
          if (!live) throw new KubeApiError(404, "NotFound", "gone");
        }
        // Conditional on the UID recorded at creation: an object someone re-created
        // under the same name is theirs and survives.
        await this.http.request("DELETE", await this.http.objectPath(r), {
          body: { kind: "DeleteOptions", apiVersion: "v1", preconditions: { uid }, propagationPolicy: "Background" },
        });
        objects.push(ackRef(r, "pruned"));
        this.owned.delete(refKey(r));
      } catch (err) {
        if (statusOf(err) === 404) {
          objects.push(ackRef(r, "pruned (already gone)"));
          this.owned.delete(refKey(r));
        } else if (statusOf(err) === 409) {
          objects.push(ackRef(r, "left in place: re-created by someone else since Isthmus created it"));
          this.owned.delete(refKey(r));
        } else {
          failures.push(`delete ${r.kind}/${r.name}: ${errorText(err)}`);
          objects.push(ackRef(r, `prune failed: ${errorText(err)}`));
        }
      }
    }
    for (const r of plan.forget) {
      objects.push(ackRef(r, "left in place: Isthmus never deletes a namespace"));
      this.owned.delete(refKey(r));
    }
    return failures;
  }

  /**
   * Drift: puts back what the last applied revision set, for objects Isthmus owns that
   * were deleted or edited by hand. Runs on a timer (a periodic read of each object, not
   * a watch: a revision holds tens of objects, and a watch per kind would hold
   * connections open in every cluster for little gain). Objects Isthmus does not own
   * are not looked at.
   */
  reconcile(): Promise<DriftReport[]> {
    return this.exclusive(() => this.reconcileNow());
  }

  private async reconcileNow(): Promise<DriftReport[]> {
    const out: DriftReport[] = [];
    for (const m of this.desired) {
      const ref = refOf(m);
      const rec = this.owned.get(refKey(ref));
      if (!rec) continue;
      try {
        const live = await this.live(ref);
        if (!live) {
          const uid = await this.write({ m, action: "create" }, false);
          if (uid) this.owned.set(refKey(ref), { ...rec, uid });
          out.push({ ...ref, drift: "deleted", result: "re-created" });
          continue;
        }
        if (live.metadata?.uid !== rec.uid) continue; // someone else's object now: never touched
        if (!matches(m, live)) {
          await this.write({ m, action: "update", uid: rec.uid }, false);
          out.push({ ...ref, drift: "edited", result: "re-applied" });
        }
      } catch (err) {
        out.push({ ...ref, drift: "unknown", result: `failed: ${describe(err)}` });
      }
    }
    return out;
  }

  gatewaySamples(): GatewaySample[] {
    return this.prober.samples();
  }

  components(): ComponentStatus[] {
    if (this.apiError) return [{ name: "kube-api", status: "DEGRADED", message: this.apiError }];
    const inv: ComponentStatus[] = this.probeErrors.length
      ? [{ name: "inventory", status: "DEGRADED", message: this.probeErrors.join("; ").slice(0, 1024) }]
      : [];
    return [{ name: "kube-api", status: "OK" }, ...inv];
  }

  snapshot(): unknown {
    return { owned: [...this.owned.values()], desired: this.desired, clusterId: this.clusterId, links: this.prober.getLinks() };
  }

  restore(snapshot: unknown): void {
    const s = snapshot as
      { owned?: OwnedRef[]; applied?: Array<ObjectRef & { adopted?: boolean }>; desired?: Manifest[]; clusterId?: string; links?: BundleLink[] } | undefined;
    const owned = (Array.isArray(s?.owned) ? s.owned : []).filter((r) => r && typeof r.uid === "string");
    // State from before ownership was recorded by UID: what that agent created (not
    // "adopted") stays Isthmus's while it still carries the label it was given, so an
    // upgrade neither fails on its own objects nor orphans them. What it had adopted was
    // never Isthmus's and is dropped here: nothing will touch it.
    if (!s?.owned && Array.isArray(s?.applied)) {
      for (const r of s.applied)
        if (r && !r.adopted && typeof r.name === "string")
          owned.push({ apiVersion: r.apiVersion, kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}), uid: "", legacy: true });
    }
    this.owned = new Map(owned.map((r) => [refKey(r), r]));
    this.desired = Array.isArray(s?.desired) ? s.desired : [];
    this.clusterId = typeof s?.clusterId === "string" ? s.clusterId : "";
    if (Array.isArray(s?.links)) this.prober.setLinks(s.links);
  }

  async close(): Promise<void> {
    this.prober.stop();
  }
}

/** What an agent from before UIDs were kept put on every object it applied. */
const legacyMarked = (live: Live) => live.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;

/** Every field the manifest sets has the same value in the live object (fields others added are not drift). */
function matches(want: unknown, live: unknown): boolean {
  if (want === null || typeof want !== "object" || Array.isArray(want)) return JSON.stringify(want) === JSON.stringify(live);
  if (live === null || typeof live !== "object") return false;
  return Object.entries(want as Record<string, unknown>).every(([k, v]) => matches(v, (live as Record<string, unknown>)[k]));
}
