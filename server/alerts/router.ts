import { router, tenantProcedure } from "../trpc/trpc";
import { acknowledgeAlert, listAlerts } from "./alerts";
import { createRule, deleteRule, listRules, updateRule } from "./rules";
import {
  ZAlert,
  ZAlertPage,
  ZCreatedWebhook,
  ZCreateRuleInput,
  ZCreateWebhookInput,
  ZDeletedId,
  ZDeliveryList,
  ZId,
  ZListAlertsInput,
  ZRule,
  ZRuleList,
  ZTestDelivery,
  ZUpdateRuleInput,
  ZWebhookList,
} from "./schema";
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, sendTest } from "./webhooks";

export const alertsRouter = router({
  list: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/alerts", tags: ["alerts"], summary: "Alerts, newest first, with their evidence; filter by state" } })
    .input(ZListAlertsInput)
    .output(ZAlertPage)
    .query(({ ctx, input }) => listAlerts(ctx.tenant, input)),
  acknowledge: tenantProcedure
    .meta({ openapi: { method: "POST", path: "/alerts/{id}/acknowledge", tags: ["alerts"], summary: "Acknowledge an OPEN alert (OPERATOR+)" } })
    .input(ZId)
    .output(ZAlert)
    .mutation(({ ctx, input }) => acknowledgeAlert(ctx.tenant, input.id)),
  rules: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/alert-rules", tags: ["alerts"], summary: "Alert rules" } })
    .output(ZRuleList)
    .query(({ ctx }) => listRules(ctx.tenant)),
  createRule: tenantProcedure
    .meta({ openapi: { method: "POST", path: "/alert-rules", tags: ["alerts"], summary: "Create an alert rule (ADMIN+)" } })
    .input(ZCreateRuleInput)
    .output(ZRule)
    .mutation(({ ctx, input }) => createRule(ctx.tenant, input)),
  updateRule: tenantProcedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/alert-rules/{id}",
        tags: ["alerts"],
        summary: "Change an alert rule's name, threshold, duration or enablement (ADMIN+)",
      },
    })
    .input(ZUpdateRuleInput)
    .output(ZRule)
    .mutation(({ ctx, input }) => updateRule(ctx.tenant, input)),
  deleteRule: tenantProcedure
    .meta({ openapi: { method: "DELETE", path: "/alert-rules/{id}", tags: ["alerts"], summary: "Delete an alert rule and its alerts (ADMIN+)" } })
    .input(ZId)
    .output(ZDeletedId)
    .mutation(({ ctx, input }) => deleteRule(ctx.tenant, input.id)),
  webhooks: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/webhooks", tags: ["alerts"], summary: "Webhooks (ADMIN+; secrets are never shown again)" } })
    .output(ZWebhookList)
    .query(({ ctx }) => listWebhooks(ctx.tenant)),
  createWebhook: tenantProcedure
    .meta({
      openapi: { method: "POST", path: "/webhooks", tags: ["alerts"], summary: "Add a webhook; the answer holds its signing secret, shown this once (ADMIN+)" },
    })
    .input(ZCreateWebhookInput)
    .output(ZCreatedWebhook)
    .mutation(({ ctx, input }) => createWebhook(ctx.tenant, input)),
  deleteWebhook: tenantProcedure
    .meta({ openapi: { method: "DELETE", path: "/webhooks/{id}", tags: ["alerts"], summary: "Remove a webhook (ADMIN+)" } })
    .input(ZId)
    .output(ZDeletedId)
    .mutation(({ ctx, input }) => deleteWebhook(ctx.tenant, input.id)),
  testWebhook: tenantProcedure
    .meta({ openapi: { method: "POST", path: "/webhooks/{id}/test", tags: ["alerts"], summary: "Send a signed test message (ADMIN+)" } })
    .input(ZId)
    .output(ZTestDelivery)
    .mutation(({ ctx, input }) => sendTest(ctx.tenant, input.id)),
  deliveries: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/webhooks/{id}/deliveries", tags: ["alerts"], summary: "A webhook's delivery log, newest first (ADMIN+)" } })
    .input(ZId)
    .output(ZDeliveryList)
    .query(({ ctx, input }) => listDeliveries(ctx.tenant, input.id)),
});
