// deploy/kubernetes renders with kubectl kustomize (the Ingress variant and the Gateway
// API one), every object validates against an upstream schema, and the pieces fit: each
// Deployment is probed, has requests and a PodDisruptionBudget, gets the settings its
// process validates at start, and the routes send /api/agent/ straight to the agent API.
//
// Schemas: core v1, apps/v1 and networking.k8s.io/v1 from schemas/upstream/kubernetes;
// HTTPRoute from the Gateway API v1.6.1 CRD (schemas/upstream/gateway-api). There is no
// batch/v1 or policy/v1 document there: a Job's pod template is validated as a core
// PodTemplate's, and the PodDisruptionBudgets are checked field by field below.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, test } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { parseEnv } from "../../server/platform/env";
import { validateUpstream } from "../../server/bundles/manifests";

const DIR = import.meta.dirname;
const hasKubectl = spawnSync("kubectl", ["version", "--client"], { stdio: "ignore" }).status === 0;

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  data?: Record<string, string>;
  stringData?: Record<string, string>;
};
const render = (dir: string) =>
  parseAllDocuments(execFileSync("kubectl", ["kustomize", path.join(DIR, dir)], { encoding: "utf8" }))
    .map((d) => d.toJS() as Obj)
    .filter(Boolean);
const id = (o: Obj) => `${o.kind}/${o.metadata.name}`;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** Strict field validation, as kubectl asks of the API server: declared objects reject unknown fields. */
function strict(node: Json): Json {
  if (Array.isArray(node)) return node.map(strict);
  if (node === null || typeof node !== "object") return node;
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) out[k] = strict(v);
  if (node.type === "object" && node.properties && !("additionalProperties" in node)) out.additionalProperties = false;
  if (node["x-kubernetes-int-or-string"] === true) return { ...out, type: undefined as unknown as Json, anyOf: [{ type: "integer" }, { type: "string" }] };
  return out;
}
const httpRouteCrd = parse(readFileSync(path.resolve(DIR, "../../schemas/upstream/gateway-api/gateway.networking.k8s.io_httproutes.yaml"), "utf8"));
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validateHttpRoute = ajv.compile(strict(httpRouteCrd.spec.versions.find((v: { name: string }) => v.name === "v1").schema.openAPIV3Schema) as object);

function validate(o: Obj): string[] {
  if (o.kind === "Job" && o.apiVersion === "batch/v1") {
    const { template, ...rest } = o.spec;
    const errors: string[] = [...validateUpstream({ apiVersion: "v1", kind: "PodTemplate", metadata: o.metadata, template }).errors];
    const known = ["backoffLimit", "ttlSecondsAfterFinished", "activeDeadlineSeconds", "completions", "parallelism"];
    for (const k of Object.keys(rest)) if (!known.includes(k)) errors.push(`/spec/${k} is not a Job field this check knows`);
    if (!["Never", "OnFailure"].includes(template.spec.restartPolicy)) errors.push("/spec/template/spec/restartPolicy must be Never or OnFailure in a Job");
    return errors;
  }
  if (o.kind === "PodDisruptionBudget" && o.apiVersion === "policy/v1") {
    const errors: string[] = [];
    const keys = Object.keys(o.spec);
    if (!keys.every((k) => ["maxUnavailable", "minAvailable", "selector", "unhealthyPodEvictionPolicy"].includes(k)))
      errors.push(`/spec has unknown fields: ${keys}`);
    if ("maxUnavailable" in o.spec === "minAvailable" in o.spec) errors.push("/spec needs exactly one of maxUnavailable, minAvailable");
    if (!o.spec.selector?.matchLabels) errors.push("/spec/selector/matchLabels is required here");
    return errors;
  }
  if (o.kind === "HTTPRoute" && o.apiVersion === "gateway.networking.k8s.io/v1") {
    return validateHttpRoute(o) ? [] : (validateHttpRoute.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  }
  return validateUpstream(o).errors;
}

describe.skipIf(!hasKubectl)("deploy/kubernetes (skipped: kubectl is not installed; apt-get install -y kubectl)", () => {
  const ingress = hasKubectl ? render(".") : [];
  const gateway = hasKubectl ? render("gateway-api") : [];

  test("both variants render, and every object validates (the checks refuse a typo)", () => {
    expect(ingress.map(id)).toEqual(
      expect.arrayContaining([
        "Deployment/isthmus-web",
        "Deployment/isthmus-agent-api",
        "Deployment/isthmus-workers",
        "Job/isthmus-migrate",
        "Ingress/isthmus",
        "Secret/isthmus-secrets",
        "ConfigMap/isthmus-config",
      ]),
    );
    expect(gateway.map(id)).toContain("HTTPRoute/isthmus");
    expect(gateway.map(id)).not.toContain("Ingress/isthmus");
    for (const o of [...ingress, ...gateway]) expect(validate(o), id(o)).toEqual([]);
    for (const o of ingress) if (o.kind !== "Namespace") expect(o.metadata.namespace, id(o)).toBe("isthmus");

    const route = structuredClone(gateway.find((o) => o.kind === "HTTPRoute")!);
    route.spec.rules[0].matches[0].path.type = "Prefix";
    expect(validate(route).join()).toMatch(/allowed values/);
    const job = structuredClone(ingress.find((o) => o.kind === "Job")!);
    job.spec.template.spec.containers[0].commnd = ["x"];
    expect(validate(job).join()).toMatch(/commnd/);
  });

  test("each Deployment: readiness and liveness probes on a declared port, requests, a PodDisruptionBudget, a non-root read-only container", () => {
    const pdbs = ingress.filter((o) => o.kind === "PodDisruptionBudget");
    for (const d of ingress.filter((o) => o.kind === "Deployment")) {
      const pod = d.spec.template.spec;
      for (const c of pod.containers) {
        const ports = (c.ports ?? []).map((p: { name: string }) => p.name);
        for (const probe of ["readinessProbe", "livenessProbe"]) {
          expect(c[probe], `${id(d)} ${probe}`).toBeDefined();
          const port = c[probe].httpGet?.port ?? c[probe].tcpSocket?.port;
          expect(ports, `${id(d)} ${probe} port`).toContain(port);
        }
        expect(c.resources.requests.cpu, id(d)).toBeDefined();
        expect(c.resources.requests.memory, id(d)).toBeDefined();
        expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      }
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      const labels = d.spec.template.metadata.labels;
      const pdb = pdbs.find((p) => Object.entries(p.spec.selector.matchLabels).every(([k, v]) => labels[k] === v));
      expect(pdb, `${id(d)} has a PodDisruptionBudget`).toBeDefined();
    }
  });

  test("Services select their Deployment's pods; probes: /api/health, /healthz, the workers' /livez and /readyz on WORKERS_HEALTH_PORT", () => {
    const deployment = (n: string) => ingress.find((o) => o.kind === "Deployment" && o.metadata.name === n)!;
    for (const svc of ingress.filter((o) => o.kind === "Service")) {
      const labels = deployment(svc.metadata.name).spec.template.metadata.labels;
      for (const [k, v] of Object.entries(svc.spec.selector)) expect(labels[k], id(svc)).toBe(v);
    }
    const container = (n: string) => deployment(n).spec.template.spec.containers[0];
    expect(container("isthmus-web").readinessProbe.httpGet.path).toBe("/api/health");
    expect(container("isthmus-agent-api").readinessProbe.httpGet.path).toBe("/healthz");
    const w = container("isthmus-workers");
    expect([w.livenessProbe.httpGet.path, w.readinessProbe.httpGet.path]).toEqual(["/livez", "/readyz"]);
    const envOf = (c: { env: Array<{ name: string; value?: string }> }, n: string) => c.env.find((e) => e.name === n)?.value;
    expect(Number(envOf(w, "WORKERS_HEALTH_PORT"))).toBe(w.ports.find((p: { name: string }) => p.name === "health").containerPort);
    expect(envOf(w, "WORKERS_HEALTH_HOST")).toBe("0.0.0.0");
  });

  test("every process gets DATABASE_URL, REDIS_URL, NEXTAUTH_SECRET, PUBLIC_URL, METRICS_TOKEN, TRUSTED_PROXIES, and they pass its start-up check", () => {
    const cm = ingress.find((o) => o.kind === "ConfigMap" && o.metadata.name === "isthmus-config")!;
    const secret = ingress.find((o) => o.kind === "Secret" && o.metadata.name === "isthmus-secrets")!;
    const pods = [...ingress.filter((o) => o.kind === "Deployment"), ingress.find((o) => o.kind === "Job")!];
    for (const w of pods) {
      const c = w.spec.template.spec.containers[0];
      const fromRefs = (c.envFrom ?? []).map(
        (e: { configMapRef?: { name: string }; secretRef?: { name: string } }) => e.configMapRef?.name ?? e.secretRef?.name,
      );
      expect(fromRefs, id(w)).toEqual(["isthmus-config", "isthmus-secrets"]);
      const vars: Record<string, string> = { ...cm.data, ...secret.stringData };
      for (const e of c.env ?? []) if (e.value !== undefined) vars[e.name] = e.value.replace(/\$\((\w+)\)/g, (_: string, n: string) => vars[n] ?? "");
      for (const k of ["DATABASE_URL", "REDIS_URL", "NEXTAUTH_SECRET", "PUBLIC_URL", "METRICS_TOKEN", "TRUSTED_PROXIES"])
        expect(vars[k], `${id(w)} ${k}`).toBeTruthy();
      expect(() => parseEnv(vars), id(w)).not.toThrow();
    }
  });

  test("the Ingress and the HTTPRoute send /api/agent/ straight to the agent API, the rest to the console", () => {
    const ing = ingress.find((o) => o.kind === "Ingress")!;
    const paths = ing.spec.rules[0].http.paths.map((p: { path: string; backend: { service: { name: string } } }) => [p.path, p.backend.service.name]);
    expect(paths).toEqual([
      ["/api/agent/", "isthmus-agent-api"],
      ["/", "isthmus-web"],
    ]);
    const route = gateway.find((o) => o.kind === "HTTPRoute")!;
    const rules = route.spec.rules.map((r: { matches: Array<{ path: { value: string } }>; backendRefs: Array<{ name: string; port: number }> }) => [
      r.matches[0]!.path.value,
      r.backendRefs[0]!.name,
      r.backendRefs[0]!.port,
    ]);
    expect(rules).toEqual([
      ["/api/agent/", "isthmus-agent-api", 3100],
      ["/", "isthmus-web", 3000],
    ]);
  });
});
