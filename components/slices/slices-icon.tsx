import type { SVGProps } from "react";

/** Three clusters joined by an overlay: the slices section's icon. */
export const SlicesIcon = (p: SVGProps<SVGSVGElement>) => (
  <svg
    viewBox="0 0 24 24"
    width="16"
    height="16"
    fill="none"
    stroke="currentColor"
    strokeWidth={1.75}
    strokeLinecap="round"
    strokeLinejoin="round"
    aria-hidden="true"
    focusable="false"
    {...p}
  >
    <circle cx="5" cy="17" r="2.5" />
    <circle cx="19" cy="17" r="2.5" />
    <circle cx="12" cy="5.5" r="2.5" />
    <path d="M7.5 17h9M6.3 14.8l4.4-7M17.7 14.8l-4.4-7" strokeDasharray="2.2 2.2" />
  </svg>
);
