// The demo fleet's registration token is minted once and reused by later starts, so the
// tokens page shows one demo token, not one per `npm start`; a revoked one is replaced.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeTenant, tenantCtx, type TenantFixture } from "../test/fixtures";
import { db } from "../server/platform/db/client";
import { revokeRegistrationToken } from "../server/registration-tokens/revoke-registration-token";
import { demoRegistrationToken } from "./demo-fleet";

let t: TenantFixture;
const dir = mkdtempSync(path.join(tmpdir(), "isthmus-demo-"));
beforeAll(async () => {
  t = await makeTenant("demo-fleet");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("demo registration token", () => {
  test("two starts, one token; kept with mode 0600; a revoked one is replaced at the next start", async () => {
    const first = await demoRegistrationToken(dir, t.slug);
    const second = await demoRegistrationToken(dir, t.slug);
    expect(first).toMatch(/^isr_/);
    expect(second).toBe(first);
    expect(statSync(path.join(dir, "demo-token")).mode & 0o777).toBe(0o600);
    expect(await db().registrationToken.count({ where: { tenantId: t.id } })).toBe(1);

    await revokeRegistrationToken(tenantCtx(t), first!.slice(4).split(".")[0]!);
    const third = await demoRegistrationToken(dir, t.slug);
    expect(third).not.toBe(first);
    expect(await db().registrationToken.count({ where: { tenantId: t.id, revokedAt: null } })).toBe(1);
  });
});
