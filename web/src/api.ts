// Typed client for the filo workspace API (described by httpapi/openapi.yaml, served at /api/openapi.yaml).

export interface Me {
  username: string;
  role: string;
  unit: string;
  csrf: string;
}

export interface Indicator {
  code: string;
  description: string;
  source: string;
  roles: string[];
}

export interface LeadRow {
  id: string;
  role: string;
  rank: number;
  score: number;
  name: string;
  country: string;
  indicators: string[] | null;
  status: string;
  assignee: string;
  unit: string;
  case_id: string;
  entity_ids: string[] | null;
}

export interface Page<T> {
  total: number;
  page?: number;
  page_size?: number;
  items: T[] | null;
}

export interface Evidence {
  kind: string;
  record_id: string;
  file: string;
  line: number;
  note: string;
}

export interface Reason {
  code: string;
  description: string;
  source: string;
  contribution: number;
  detail: string;
  evidence: Evidence[] | null;
}

export interface Attribution {
  platform_account: string;
  entity_id: string;
  confidence: number;
  method: string;
  chain: Evidence[] | null;
}

export interface Lead {
  id: string;
  role: string;
  rank: number;
  score: number;
  name: string;
  country: string;
  entity_ids: string[] | null;
  party_ids: string[] | null;
  platform_accounts: string[] | null;
  labels: string[] | null;
  reasons: Reason[] | null;
  attributions: Attribution[] | null;
}

export interface Triage {
  status: string;
  assignee: string;
  unit: string;
  case_id: string;
}

export interface LeadDetail {
  lead: Lead;
  triage: Triage;
}

export interface FieldContribution {
  field: string;
  level: string;
  weight: number;
  a: string;
  b: string;
}

export interface RecordLink {
  other: string;
  kind: string;
  weight: number;
  prob: number;
  basis: string;
  source: string;
  fields: FieldContribution[] | null;
}

export interface PersonRecord {
  type: string;
  id: string;
  name: string;
  country: string;
  birth_date: string;
  phone: string;
  email: string;
  address: string;
  id_number: string;
  institution: string;
  file: string;
  line: number;
  links: RecordLink[] | null;
}

export interface Account {
  id: string;
  party_id: string;
  institution: string;
  kind: string;
  currency: string;
  iban: string;
}

export interface PlatformAccount {
  platform: string;
  account_id: string;
  handle: string;
  display_name: string;
  attribution: Attribution | null;
}

export interface Payment {
  id: string;
  ts: string;
  direction: "out" | "in";
  amount: number;
  currency: string;
  amount_usd: number;
  counterparty_entity: string;
  counterparty_name: string;
  counterparty_country: string;
  channel: string;
  reference: string;
  file: string;
  line: number;
}

export interface Session {
  platform: string;
  session_id: string;
  account_id: string;
  peer_account_id: string;
  kind: string;
  start: string;
  end: string;
  ip: string;
  file: string;
  line: number;
}

export interface Person {
  id: string;
  name: string;
  country: string;
  records: PersonRecord[] | null;
  accounts: Account[] | null;
  platform_accounts: PlatformAccount[] | null;
  payments: Payment[] | null;
  sessions: Session[] | null;
  leads: { id: string; role: string; score: number; rank: number }[] | null;
}

export interface NetNode {
  id: string;
  name: string;
  country: string;
  lead_id: string;
  role: string;
  score: number;
  ring: string;
}

export interface NetEdge {
  source: string;
  target: string;
  count: number;
  amount_usd: number;
  first: string;
  last: string;
}

export interface Network {
  center: string;
  nodes: NetNode[] | null;
  edges: NetEdge[] | null;
}

export interface Case {
  id: string;
  title: string;
  unit: string;
  status: string;
  assignee: string;
  lead_ids: string[] | null;
  members: string[] | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  disposition: string;
  disposition_reason: string;
}

export interface Note {
  id: string;
  author: string;
  at: string;
  body: string;
}

export interface Disposition {
  disposition: string;
  reason: string;
  by: string;
  at: string;
}

export interface CaseDetail {
  case: Case;
  notes: Note[] | null;
  dispositions: Disposition[] | null;
}

export class ApiError extends Error {
  constructor(public status: number, message: string) {
    super(message);
  }
}

let csrf = "";
let unauthorizedHandler: () => void = () => {};

export function setCsrf(token: string): void {
  csrf = token;
}

export function onUnauthorized(fn: () => void): void {
  unauthorizedHandler = fn;
}

/** request performs one API call. Non-GET calls carry the CSRF header. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && method !== "HEAD") headers["X-CSRF-Token"] = csrf;
  const res = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    let msg = `${res.status} ${res.statusText}`;
    try {
      const j = await res.json();
      if (j && typeof j.error === "string") msg = j.error;
    } catch {
      /* not JSON */
    }
    // A failed login is also a 401; only redirect for other calls.
    if (res.status === 401 && path !== "/api/session") unauthorizedHandler();
    throw new ApiError(res.status, msg);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  login: (username: string, password: string) =>
    request<Me>("POST", "/api/session", { username, password }),
  logout: () => request<void>("DELETE", "/api/session"),
  me: () => request<Me>("GET", "/api/me"),
  indicators: () => request<Indicator[]>("GET", "/api/indicators"),
  leads: (params: URLSearchParams) => request<Page<LeadRow>>("GET", "/api/leads?" + params.toString()),
  lead: (id: string) => request<LeadDetail>("GET", "/api/leads/" + encodeURIComponent(id)),
  assign: (id: string, unit: string, assignee: string) =>
    request<Triage>("PUT", "/api/leads/" + encodeURIComponent(id) + "/assignment", { unit, assignee }),
  entity: (id: string) => request<Person>("GET", "/api/entities/" + encodeURIComponent(id)),
  network: (id: string, limit = 200) =>
    request<Network>("GET", "/api/entities/" + encodeURIComponent(id) + "/network?limit=" + limit),
  cases: (params: URLSearchParams) => request<Page<Case>>("GET", "/api/cases?" + params.toString()),
  createCase: (title: string, lead_ids: string[]) => request<Case>("POST", "/api/cases", { title, lead_ids }),
  caseDetail: (id: string) => request<CaseDetail>("GET", "/api/cases/" + encodeURIComponent(id)),
  patchCase: (id: string, patch: { status?: string; assignee?: string }) =>
    request<Case>("PATCH", "/api/cases/" + encodeURIComponent(id), patch),
  addNote: (id: string, body: string) =>
    request<Note>("POST", "/api/cases/" + encodeURIComponent(id) + "/notes", { body }),
  dispose: (id: string, disposition: string, reason: string) =>
    request<Case>("POST", "/api/cases/" + encodeURIComponent(id) + "/disposition", { disposition, reason }),
  addMember: (id: string, username: string) =>
    request<Case>("POST", "/api/cases/" + encodeURIComponent(id) + "/members", { username }),
  exportUrl: (id: string) => "/api/cases/" + encodeURIComponent(id) + "/export",
  audit: (page: number, pageSize = 100) =>
    request<Page<AuditEntry>>("GET", `/api/audit?page=${page}&page_size=${pageSize}`),
};

export interface AuditEntry {
  seq: number;
  at: string;
  user: string;
  action: string;
  object: string;
  detail: string;
  prev_hash: string;
  hash: string;
}
