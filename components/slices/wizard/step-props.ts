import type { RouterOutputs } from "@/lib/trpc";
import type { FieldErrors } from "../slice-meta";
import type { Draft } from "./draft";

export type Preview = RouterOutputs["slices"]["preview"];

export interface StepProps {
  draft: Draft;
  /** Apply a change; `fields` are the spec's top-level fields it touches (their problems start showing). */
  update: (patch: Partial<Draft> | ((d: Draft) => Draft), fields: string[]) => void;
  /** Problems to show now, by field path. */
  errors: FieldErrors;
  preview: Preview | undefined;
  previewLoading: boolean;
  editing: boolean;
}
