"use client";
// Short-lived confirmations ("Invite revoked"). Errors stay inline next to what failed;
// toasts only confirm, and are announced through a polite live region.
import { createContext, useCallback, useContext, useState } from "react";
import { cn } from "@/lib/cn";
import { CheckCircleIcon, XIcon } from "../icons";

interface Toast {
  id: number;
  message: string;
}
const ToastContext = createContext<(message: string) => void>(() => {});

export function useToast() {
  return useContext(ToastContext);
}

let nextId = 1;

export function ToastProvider({ children }: { children: React.ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), []);
  const push = useCallback(
    (message: string) => {
      const id = nextId++;
      setToasts((t) => [...t.slice(-2), { id, message }]);
      setTimeout(() => dismiss(id), 3500);
    },
    [dismiss],
  );
  return (
    <ToastContext.Provider value={push}>
      {children}
      <div aria-live="polite" className="pointer-events-none fixed right-4 bottom-4 z-[60] flex w-[min(22rem,calc(100vw-2rem))] flex-col gap-2">
        {toasts.map((t) => (
          <div
            key={t.id}
            role="status"
            className={cn("pointer-events-auto flex items-center gap-2.5 rounded-lg border border-border bg-surface px-3 py-2.5 text-[13px] shadow-overlay")}
          >
            <CheckCircleIcon className="size-4 shrink-0 text-success-subtle-foreground" />
            <span className="flex-1">{t.message}</span>
            <button type="button" onClick={() => dismiss(t.id)} className="rounded p-0.5 text-muted-foreground hover:text-foreground" aria-label="Dismiss">
              <XIcon className="size-3.5" />
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
