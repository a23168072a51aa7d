"use client";
// A labelled form control with a hint and an error. Controls inside (Input, Select,
// Textarea) pick up the id, aria-invalid and aria-describedby from this context, so
// screen readers announce the error with the field.
import { createContext, useContext, useId } from "react";
import { cn } from "@/lib/cn";
import { Label } from "./label";

interface FieldCtx {
  id: string;
  describedBy?: string;
  invalid: boolean;
}
const FieldContext = createContext<FieldCtx | null>(null);

export function useField() {
  return useContext(FieldContext);
}

export interface FieldProps {
  label: React.ReactNode;
  hint?: React.ReactNode;
  error?: string;
  className?: string;
  /** Use a given id for the control (otherwise one is generated). */
  id?: string;
  children: React.ReactNode;
}

export function Field({ label, hint, error, className, id, children }: FieldProps) {
  const generated = useId();
  const controlId = id ?? `f${generated}`;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <FieldContext.Provider value={{ id: controlId, describedBy, invalid: !!error }}>
      <div className={cn("flex flex-col gap-1.5", className)}>
        <Label htmlFor={controlId}>{label}</Label>
        {children}
        {error ? (
          <p id={errorId} className="text-[13px] text-danger-subtle-foreground">
            {error}
          </p>
        ) : hint ? (
          <p id={hintId} className="text-[13px] text-muted-foreground">
            {hint}
          </p>
        ) : null}
      </div>
    </FieldContext.Provider>
  );
}
