import { api, ApiError, Me, setCsrf } from "./api";

let current: Me | null = null;

export function me(): Me | null {
  return current;
}

export function setMe(m: Me | null): void {
  current = m;
  setCsrf(m ? m.csrf : "");
}

/** loadMe asks the server who is logged in; null when nobody is. */
export async function loadMe(): Promise<Me | null> {
  try {
    setMe(await api.me());
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) setMe(null);
    else throw e;
  }
  return current;
}

const rank: Record<string, number> = { viewer: 0, analyst: 1, supervisor: 2, admin: 3 };

/** atLeast reports whether the current user has the given role or a higher one. */
export function atLeast(role: string): boolean {
  return !!current && (rank[current.role] ?? -1) >= (rank[role] ?? 99);
}
