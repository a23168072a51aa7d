// The engine's normalized view of an inventory and of the policy objects in it.
// Parsing (parse-*.ts) turns raw manifests into these; evaluation never sees YAML.
import type { IpRange } from "./ip-ranges";
import type { Protocol } from "./conn-set";

export type Labels = Readonly<Record<string, string>>;

export interface Requirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values: string[];
}

/** A metav1.LabelSelector. An empty one ({}) selects everything. */
export interface Selector {
  matchLabels: Labels;
  matchExpressions: Requirement[];
}

export interface Namespace {
  name: string;
  labels: Labels;
}

export interface ContainerPort {
  name?: string;
  port: number;
  protocol: Protocol;
}

/** A workload and the pods it owns: they share the pod template's labels and ports. */
export interface Workload {
  namespace: string;
  name: string;
  kind: string;
  labels: Labels;
  ports: ContainerPort[];
}

/** A port match before named ports are resolved against a destination. */
export type PortSpec = { protocol: Protocol; lo: number; hi: number } | { protocol: Protocol | null; named: string };

export interface NpPeer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: IpRange; except: IpRange[]; text: string };
}

export interface NpRule {
  /** Index of the rule within its direction (0-based) for explanations. */
  index: number;
  /** undefined = the field was empty or absent: every peer. */
  peers?: NpPeer[];
  /** undefined = every port of every protocol. */
  ports?: PortSpec[];
}

export interface NetworkPolicy {
  kind: "NetworkPolicy";
  namespace: string;
  name: string;
  podSelector: Selector;
  ingressIsolates: boolean;
  egressIsolates: boolean;
  ingress: NpRule[];
  egress: NpRule[];
}

export interface AnpPeer {
  namespaces?: Selector;
  pods?: { namespaceSelector: Selector; podSelector: Selector };
  networks?: IpRange[];
  /** Nodes are not part of an inventory: a nodes peer matches no workload or external range. */
  nodes?: Selector;
}

export type AnpAction = "Allow" | "Deny" | "Pass";

export interface AnpRule {
  index: number;
  name?: string;
  action: AnpAction;
  peers: AnpPeer[];
  ports?: PortSpec[];
}

export type AnpSubject = { namespaces: Selector } | { pods: { namespaceSelector: Selector; podSelector: Selector } };

export interface AdminPolicy {
  kind: "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy";
  name: string;
  /** ANP only; lower is evaluated first. */
  priority: number;
  subject: AnpSubject;
  ingress: AnpRule[];
  egress: AnpRule[];
}

export interface Inventory {
  namespaces: Namespace[];
  workloads: Workload[];
  networkPolicies: NetworkPolicy[];
  adminPolicies: AdminPolicy[];
  baselinePolicies: AdminPolicy[];
}
