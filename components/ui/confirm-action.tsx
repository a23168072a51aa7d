"use client";
import { useMutation, type UseMutationOptions } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { toFormError, type FormError } from "@/lib/errors";

/**
 * The wiring of a destructive action behind a ConfirmDialog: which thing is being
 * confirmed, the mutation, and the error the dialog shows (it stays open on failure).
 *
 *   const revoke = useConfirmAction({
 *     mutation: trpc.apiTokens.revoke.mutationOptions(),
 *     variables: (t: Token) => ({ tenant: slug, id: t.id }),
 *     onDone: (_, t) => toast(`Token “${t.name}” revoked`),
 *   });
 *   <Button onClick={() => revoke.ask(t)}>Revoke</Button>
 *   <ConfirmDialog {...revoke.dialog} title={`Revoke “${revoke.target?.name ?? ""}”?`} … />
 *
 * A button that confirms one fixed thing asks with `true` (the default target type).
 * On success the dialog closes first, then `onDone` runs with the confirmed target.
 */
export function useConfirmAction<TTarget = true, TData = unknown, TError = unknown, TVariables = void>({
  mutation,
  variables,
  onDone,
  errorMessage,
}: {
  /** The mutation's options without callbacks (e.g. `trpc.x.delete.mutationOptions()`). */
  mutation: UseMutationOptions<TData, TError, TVariables>;
  variables: (target: TTarget) => TVariables;
  onDone?: (data: TData, target: TTarget) => unknown;
  /** What the dialog says when the call fails; the server's message by default. */
  errorMessage?: (error: FormError, target: TTarget) => string;
}) {
  const [target, setTarget] = useState<TTarget | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The target as it was when confirmed: the callbacks below run after a re-render.
  const confirmed = useRef<TTarget | null>(null);
  const m = useMutation<TData, TError, TVariables>({
    ...mutation,
    onSuccess: async (data) => {
      setTarget(null);
      const t = confirmed.current;
      if (onDone && t !== null) await onDone(data, t);
    },
    onError: (err) => {
      const e = toFormError(err);
      const t = confirmed.current;
      setError(errorMessage && t !== null ? errorMessage(e, t) : e.message);
    },
  });
  return {
    target,
    isPending: m.isPending,
    /** The variables of the call in flight (or last made). */
    variables: m.variables,
    error,
    /** Opens the dialog for `t`, clearing any earlier error. */
    ask: (t: TTarget) => {
      setError(null);
      setTarget(t);
    },
    /** Runs the action on `t` without asking (a harmless one beside confirmed ones); a failure lands in `error`. */
    run: (t: TTarget) => {
      setError(null);
      confirmed.current = t;
      m.mutate(variables(t));
    },
    /** Props for <ConfirmDialog>: open state, pending, error and the confirm handler. */
    dialog: {
      open: target !== null,
      onOpenChange: (open: boolean) => {
        if (!open) setTarget(null);
      },
      pending: m.isPending,
      error,
      onConfirm: () => {
        if (target === null) return;
        confirmed.current = target;
        m.mutate(variables(target));
      },
    },
  };
}
