// What the console and `POST /registration-tokens` answer once, next to a new token:
// the one-line import (`kubectl apply` of the manifests the agent API renders for this
// token), the URL it fetches, and the ways to run the agent by hand.
import { PROTOCOL_BASE_PATH } from "../../protocol/index";

/** Single-quote for a POSIX shell. */
const sh = (s: string) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

const LOOPBACK = /^(localhost|.*\.localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0|\[::\])$/i;

/**
 * Why no cluster can reach this control plane at `publicUrl`, or null when it may.
 * A loopback address means "this machine" to every agent, i.e. its own cluster node.
 */
export function unreachablePublicUrl(publicUrl: string): string | null {
  let host: string;
  try {
    host = new URL(publicUrl).hostname;
  } catch {
    return `PUBLIC_URL (${publicUrl}) is not a URL`;
  }
  if (!LOOPBACK.test(host)) return null;
  return `PUBLIC_URL is ${publicUrl}: an agent in a cluster would dial itself, not this control plane. Set PUBLIC_URL to the address clusters reach (e.g. PUBLIC_URL=https://isthmus.example.com in the environment of the console and the agent API) and restart, then create a new token.`;
}

export function installUrl(publicUrl: string, tokenId: string): string {
  return `${publicUrl.replace(/\/+$/, "")}${PROTOCOL_BASE_PATH}/install/${tokenId}.yaml`;
}

export function installSnippet(publicUrl: string, token: string, tokenId: string) {
  const server = publicUrl.replace(/\/+$/, "");
  const url = installUrl(server, tokenId);
  return {
    /**
     * The one line: fetch this token's manifests and apply them to the current kubectl
     * context. The answer is read whole before kubectl sees it, so a refusal (a used-up
     * or expired token) is printed as the server's message and nothing is applied,
     * instead of being piped into kubectl as a document without apiVersion or kind. A
     * subshell, so its `exit` ends only the command, never the user's interactive shell;
     * POSIX only, so it runs the same in sh, bash and zsh.
     */
    command: `(m=$(curl -sSL --fail-with-body -H ${sh(`Authorization: Bearer ${token}`)} ${sh(url)}) || { printf '%s\\n' "$m" >&2; exit 1; }; printf '%s\\n' "$m" | kubectl apply -f -)`,
    /**
     * The same manifests, for where there is no curl (the token then sits in the URL).
     * kubectl prints no refused body, only the status line, which is why refusals carry
     * the server's message as their reason phrase too.
     */
    kubectlOnly: `kubectl apply -f ${sh(`${url}?token=${token}`)}`,
    url,
    /** Null when clusters can reach PUBLIC_URL; otherwise what to change. */
    warning: unreachablePublicUrl(server),
    /** The agent run from a workstation against the current kubeconfig, without installing it. */
    localCommand: `npx isthmus-agent --server ${sh(server)} --token ${sh(token)}`,
    /** For deploy/agent by hand (kustomize): the token Secret it reads. */
    secretManifest: [
      "apiVersion: v1",
      "kind: Secret",
      "metadata:",
      "  name: isthmus-agent-token",
      "  namespace: isthmus-system",
      "type: Opaque",
      "stringData:",
      `  token: ${JSON.stringify(token)}`,
      "",
    ].join("\n"),
  };
}
