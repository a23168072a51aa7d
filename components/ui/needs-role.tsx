import { ShieldIcon } from "../icons";
import { Card } from "./card";
import { EmptyState } from "./empty-state";

/** Shown instead of a page the caller's role may not use (the server refuses it too). */
export function NeedsRole({ role, what }: { role: string; what: string }) {
  return (
    <Card>
      <EmptyState icon={<ShieldIcon />} title={`${what} needs the ${role} role`} description="Ask an owner or admin of this tenant if you need access." />
    </Card>
  );
}
