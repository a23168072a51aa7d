// What the console shows once, next to a new token: the agent command line and a
// Kubernetes Secret for deploy/agent (which reads the token from that Secret's file).

/** Single-quote for a POSIX shell. */
const sh = (s: string) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function installSnippet(publicUrl: string, token: string) {
  const server = publicUrl.replace(/\/+$/, "");
  return {
    command: `npx isthmus-agent --server ${sh(server)} --token ${sh(token)}`,
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
    kubectl: `kubectl create namespace isthmus-system --dry-run=client -o yaml | kubectl apply -f - && kubectl apply -f isthmus-agent-token.yaml && kubectl apply -k deploy/agent  # set ISTHMUS_SERVER=${server} in deploy/agent/deployment.yaml`,
  };
}
