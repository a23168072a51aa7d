import { Slot } from "@radix-ui/react-slot";
import { forwardRef } from "react";
import { cn } from "@/lib/cn";
import { SpinnerIcon } from "../icons";

const VARIANTS = {
  primary: "bg-accent text-accent-foreground shadow-card hover:bg-accent-hover",
  secondary: "bg-surface text-foreground border border-border-strong shadow-card hover:bg-surface-2",
  ghost: "text-foreground hover:bg-surface-2",
  danger: "bg-danger text-white shadow-card hover:bg-danger-hover",
  "danger-ghost": "text-danger-subtle-foreground hover:bg-danger-subtle",
} as const;

const SIZES = {
  sm: "h-7 px-2.5 text-[13px] gap-1.5 rounded-md",
  md: "h-8 px-3 text-sm gap-2 rounded-md",
  lg: "h-10 px-4 text-sm gap-2 rounded-lg",
  icon: "h-8 w-8 rounded-md",
} as const;

export interface ButtonProps extends React.ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: keyof typeof VARIANTS;
  size?: keyof typeof SIZES;
  /** Render the child element (e.g. a Link) with button styles. */
  asChild?: boolean;
  loading?: boolean;
}

export const buttonClass = (variant: keyof typeof VARIANTS = "primary", size: keyof typeof SIZES = "md", className?: string) =>
  cn(
    "inline-flex shrink-0 items-center justify-center font-medium whitespace-nowrap transition-colors select-none",
    "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring",
    "disabled:pointer-events-none disabled:opacity-50",
    VARIANTS[variant],
    SIZES[size],
    className,
  );

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = "primary", size = "md", asChild, loading, disabled, className, children, type, ...props },
  ref,
) {
  if (asChild) {
    return (
      <Slot ref={ref} className={buttonClass(variant, size, className)} {...props}>
        {children}
      </Slot>
    );
  }
  return (
    <button
      ref={ref}
      type={type ?? "button"}
      className={buttonClass(variant, size, className)}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      {...props}
    >
      {loading ? <SpinnerIcon className="size-3.5" /> : null}
      {children}
    </button>
  );
});
