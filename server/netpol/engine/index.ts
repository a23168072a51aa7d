// The policy engine: pure evaluation of NetworkPolicy, AdminNetworkPolicy and
// BaselineAdminNetworkPolicy over an inventory. No database, no network, no framework,
// so the CLI, the server and the agent-side preview all run the same code.
export { ConnSet, PROTOCOLS, type Protocol } from "./conn-set";
export { parseCidr, formatRange, type IpRange } from "./ip-ranges";
export { parseManifests, type ManifestFile, type ParseResult } from "./parse-manifests";
export { analyze, between, prepare, workloadName, externalName, type Analysis, type PairResult } from "./analyze";
export { format, explainLines, FORMATS, type Format } from "./format";
export type { Reason, Tier, Verdict } from "./tiers";
export type * from "./types";
