"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { toFormError } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { useTenant } from "../../shell/tenant-context";
import { Button } from "../../ui/button";
import { Field } from "../../ui/field";
import { Input, Textarea } from "../../ui/input";
import { Select } from "../../ui/select";
import { SparkleIcon } from "@/components/icons";
import { fieldError } from "../slice-meta";
import type { StepProps } from "./step-props";

const IMMUTABLE_HINT = "Fixed when the slice was created: changing it would re-address or rebuild every tunnel. Create a new slice instead.";

export function StepBasics({ draft, update, errors, editing }: StepProps) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const [suggestError, setSuggestError] = useState<string | undefined>();
  const suggest = useMutation(
    trpc.slices.suggestSubnet.mutationOptions({
      onSuccess: (r) => {
        setSuggestError(undefined);
        update({ subnet: r.subnet }, ["subnet"]);
      },
      onError: (err) => setSuggestError(toFormError(err).message),
    }),
  );
  const subnetError = suggestError ?? fieldError(errors, "subnet", "Subnet");

  return (
    <div className="grid gap-5 sm:grid-cols-2">
      <Field label="Name" hint="Lower-case letters, digits and '-'; used in every cluster's resources." error={fieldError(errors, "name", "Name")}>
        <Input
          value={draft.name}
          onChange={(e) => update({ name: e.target.value }, ["name"])}
          placeholder="payments"
          autoComplete="off"
          spellCheck={false}
          maxLength={63}
        />
      </Field>
      <Field
        label="Gateway type"
        hint={editing ? IMMUTABLE_HINT : "The tunnel software on every member's gateway."}
        error={fieldError(errors, "gatewayType", "Gateway type")}
      >
        <Select
          value={draft.gatewayType}
          disabled={editing}
          onValueChange={(v) => update({ gatewayType: v }, ["gatewayType"])}
          options={[
            { value: "OPENVPN", label: "OpenVPN", hint: "TLS tunnels, as KubeSlice runs by default" },
            { value: "WIREGUARD", label: "WireGuard", hint: "Kernel tunnels, lower overhead" },
          ]}
        />
      </Field>
      <Field label="Description" className="sm:col-span-2" error={fieldError(errors, "description", "Description")}>
        <Textarea
          value={draft.description}
          onChange={(e) => update({ description: e.target.value }, ["description"])}
          rows={2}
          maxLength={500}
          placeholder="What runs on this slice, who owns it"
        />
      </Field>
      <Field
        label="Slice subnet"
        hint={editing ? IMMUTABLE_HINT : "A private IPv4 range that overlaps no member's pod or service range; each member gets a share."}
        error={subnetError}
      >
        <div className="flex gap-2">
          <Input
            value={draft.subnet}
            disabled={editing}
            onChange={(e) => {
              setSuggestError(undefined);
              update({ subnet: e.target.value }, ["subnet"]);
            }}
            placeholder="10.10.0.0/16"
            className="font-mono"
            autoComplete="off"
            spellCheck={false}
          />
          {editing ? null : (
            <Button
              variant="secondary"
              loading={suggest.isPending}
              onClick={() => suggest.mutate({ tenant: slug, prefix: 16 })}
              title="A free /16 that overlaps no slice and no cluster of this tenant"
            >
              {suggest.isPending ? null : <SparkleIcon className="size-4" />}
              Suggest
            </Button>
          )}
        </div>
      </Field>
      <Field
        label="Max clusters"
        hint={editing ? IMMUTABLE_HINT : "From 2 to 64. Sets the size of each member's share, so it cannot grow later."}
        error={fieldError(errors, "maxClusters", "Max clusters")}
      >
        <Input
          value={draft.maxClusters}
          disabled={editing}
          onChange={(e) => update({ maxClusters: e.target.value }, ["maxClusters"])}
          inputMode="numeric"
          className="w-32 tabular-nums"
        />
      </Field>
      <Field label="Gateway service" hint="How each gateway is exposed to its peers." error={fieldError(errors, "gatewayService", "Gateway service", true)}>
        <div className="flex gap-2">
          <Select
            aria-label="Service type"
            value={draft.gatewayService.type}
            className="w-40"
            onValueChange={(v) => update((d) => ({ ...d, gatewayService: { ...d.gatewayService, type: v } }), ["gatewayService"])}
            options={[
              { value: "NodePort", label: "NodePort" },
              { value: "LoadBalancer", label: "LoadBalancer" },
            ]}
          />
          <Select
            id="slice-gateway-protocol"
            aria-label="Protocol"
            value={draft.gatewayService.protocol}
            className="w-24"
            onValueChange={(v) => update((d) => ({ ...d, gatewayService: { ...d.gatewayService, protocol: v } }), ["gatewayService"])}
            options={[
              { value: "UDP", label: "UDP" },
              { value: "TCP", label: "TCP" },
            ]}
          />
        </div>
      </Field>
    </div>
  );
}
