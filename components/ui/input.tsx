"use client";
import { forwardRef } from "react";
import { cn } from "@/lib/cn";
import { useField } from "./field";

export const controlClass = cn(
  "w-full rounded-md border border-input bg-surface px-2.5 text-sm text-foreground shadow-card transition-colors",
  "placeholder:text-muted-foreground/70",
  "focus-visible:border-ring focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-ring/40",
  "disabled:cursor-not-allowed disabled:opacity-60",
  "aria-[invalid=true]:border-danger aria-[invalid=true]:focus-visible:outline-danger/30",
);

export const Input = forwardRef<HTMLInputElement, React.InputHTMLAttributes<HTMLInputElement>>(function Input({ className, id, ...props }, ref) {
  const field = useField();
  return (
    <input
      ref={ref}
      id={id ?? field?.id}
      aria-invalid={field?.invalid || undefined}
      aria-describedby={field?.describedBy}
      className={cn(controlClass, "h-8", className)}
      {...props}
    />
  );
});

export const Textarea = forwardRef<HTMLTextAreaElement, React.TextareaHTMLAttributes<HTMLTextAreaElement>>(function Textarea({ className, id, ...props }, ref) {
  const field = useField();
  return (
    <textarea
      ref={ref}
      id={id ?? field?.id}
      aria-invalid={field?.invalid || undefined}
      aria-describedby={field?.describedBy}
      className={cn(controlClass, "min-h-20 py-2", className)}
      {...props}
    />
  );
});
