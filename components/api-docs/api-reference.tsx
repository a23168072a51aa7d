"use client";
// Scalar's API reference for /api/v1/openapi.json. It is a Vue app in a React wrapper
// that touches `window` as it loads, so it renders in the browser only. Telemetry,
// web fonts and the AI agent are off: the CSP allows no third-party origins.
import "@scalar/api-reference-react/style.css";
import { ApiReferenceReact } from "@scalar/api-reference-react";
import { useEffect, useState } from "react";

function useDarkClass() {
  // Rendered in the browser only (ssr: false), so the class can be read right away:
  // Scalar takes its colour mode from the first configuration it gets.
  const [dark, setDark] = useState(() => document.documentElement.classList.contains("dark"));
  useEffect(() => {
    const el = document.documentElement;
    const read = () => setDark(el.classList.contains("dark"));
    read();
    const mo = new MutationObserver(read);
    mo.observe(el, { attributes: true, attributeFilter: ["class"] });
    return () => mo.disconnect();
  }, []);
  return dark;
}

export default function ApiReference() {
  const dark = useDarkClass();
  return (
    <div className="isthmus-scalar overflow-hidden rounded-xl border border-border bg-surface">
      <ApiReferenceReact
        configuration={{
          url: "/api/v1/openapi.json",
          telemetry: false,
          withDefaultFonts: false,
          showSidebar: false,
          hideDarkModeToggle: true,
          forceDarkModeState: dark ? "dark" : "light",
          darkMode: dark,
          showDeveloperTools: "never",
          documentDownloadType: "json",
          agent: { disabled: true },
          // Tags open on demand: rendering every operation of every tag at once took
          // seconds of main-thread work on a loaded two-core machine.
          defaultOpenAllTags: false,
          theme: "default",
        }}
      />
    </div>
  );
}
