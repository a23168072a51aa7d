// The one seam between the protocol loop and a cluster: the runner never knows whether
// it drives a real cluster or a simulated one, and neither does the control plane.
import type { z } from "zod";
import type { AppInventory } from "../../protocol/app-inventory";
import type { AckRequest, Bundle, ClusterInfo, GatewaySample, ZComponentStatus } from "../../protocol/index";

export type ComponentStatus = z.infer<typeof ZComponentStatus>;
export type AckObject = NonNullable<AckRequest["objects"]>[number];

export interface ApplyResult {
  ok: boolean;
  message?: string;
  objects: AckObject[];
}

/** An object Isthmus owns found changed by hand, and what the agent did about it. */
export interface DriftReport {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  drift: "deleted" | "edited" | "unknown";
  result: string;
}

export interface Target {
  readonly kind: "kube" | "simulated";
  inventory(): Promise<ClusterInfo>;
  /** Namespaces, workloads and the policy objects Isthmus did not create, for the reachability preview. */
  appInventory?(): Promise<AppInventory>;
  apply(bundle: Bundle, revision: number): Promise<ApplyResult>;
  /** Latest measurement per gateway link; cheap, called on every heartbeat. */
  gatewaySamples(): GatewaySample[];
  components(): ComponentStatus[];
  /** Puts back desired state changed by hand since the last apply; reports what it found. */
  reconcile?(): Promise<DriftReport[]>;
  /** What the target needs after a restart (e.g. what it applied, to prune it later). */
  snapshot?(): unknown;
  restore?(snapshot: unknown): void;
  close?(): Promise<void>;
}
