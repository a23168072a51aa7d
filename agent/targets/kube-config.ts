import { KubeConfig } from "@kubernetes/client-node";

/** In a pod with no kubeconfig, loadFromDefault falls back to the service account. */
export function loadKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromDefault();
  return kc;
}
