import { useEffect, useState } from "react";

/** `value`, once it has stopped changing for `ms` (compared by JSON, so a rebuilt but equal object does not restart the wait). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  const key = JSON.stringify(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by content, not identity
  }, [key, ms]);
  return settled;
}
