"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fieldMessage, toFormError, type FormError } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Field } from "../ui/field";
import { Input } from "../ui/input";

// What the slug would be for a name, until the user edits the slug themselves.
function slugify(name: string) {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
}

export function CreateTenantForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugTouched, setSlugTouched] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const create = useMutation(
    trpc.tenants.create.mutationOptions({
      onSuccess: (t) => {
        router.push(`/t/${t.slug}`);
        router.refresh();
      },
      onError: (err) => setError(toFormError(err)),
    }),
  );
  const fe = error?.fieldErrors;
  const nameError = fieldMessage(fe, "name", "Name");
  const slugError = fieldMessage(fe, "slug", "Slug");
  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        create.mutate({ name, slug });
      }}
    >
      {error && !nameError && !slugError ? <Alert tone="danger">{error.message}</Alert> : null}
      <Field label="Name" error={nameError} hint="Your organisation or team, e.g. Acme Platform.">
        <Input
          name="name"
          autoFocus
          value={name}
          maxLength={100}
          onChange={(e) => {
            setName(e.target.value);
            if (!slugTouched) setSlug(slugify(e.target.value));
          }}
        />
      </Field>
      <Field label="Slug" error={slugError} hint="Lower-case letters, digits and '-'; used in URLs: /t/your-slug.">
        <Input
          name="slug"
          value={slug}
          maxLength={40}
          spellCheck={false}
          autoCapitalize="none"
          className="font-mono text-[13px]"
          onChange={(e) => {
            setSlugTouched(true);
            setSlug(e.target.value);
          }}
        />
      </Field>
      <Button type="submit" size="lg" className="mt-1 w-full" loading={create.isPending}>
        Create tenant
      </Button>
    </form>
  );
}
