// The JSON API, with the console's bearer token (kept in sessionStorage, so
// it is gone when the tab closes). Every error arrives as an ApiError that
// names the field it concerns, if any.

const KEY = 'rounds.console';

export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || 'null');
  } catch {
    return null;
  }
}

export function setSession(s) {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}

export class ApiError extends Error {
  constructor(status, body) {
    const zh = body.message_zh || body.message || `请求失败 (${status})`;
    const en = body.message_en || body.message || `request failed (${status})`;
    super(`${zh} / ${en}`);
    this.status = status;
    this.code = body.code || 'error';
    this.field = body.field || null;
    this.zh = zh;
    this.en = en;
  }
}

function headers(json) {
  const h = {};
  const s = session();
  if (s) h.Authorization = `Bearer ${s.token}`;
  if (json) h['Content-Type'] = 'application/json';
  return h;
}

export async function api(method, path, body) {
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { message_zh: '无法连接服务器', message_en: 'cannot reach the server' });
  }
  if (res.status === 401 && !path.startsWith('/v1/console/login')) {
    clearSession();
    location.hash = '#/login';
  }
  if (!res.ok) {
    let b = {};
    try {
      b = await res.json();
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, b);
  }
  const type = res.headers.get('content-type') || '';
  return type.includes('json') ? res.json() : res.text();
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});

/** Sends a file as the raw request body (a sheet to import), answered as JSON. */
export async function upload(path, file) {
  let res;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: { ...headers(false), 'Content-Type': 'application/octet-stream' },
      body: file,
    });
  } catch {
    throw new ApiError(0, { message_zh: '无法连接服务器', message_en: 'cannot reach the server' });
  }
  if (res.status === 401) {
    clearSession();
    location.hash = '#/login';
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

/** A photo or signature image: blobs need the token, so <img> gets an object URL. */
export async function blobUrl(hash) {
  const res = await fetch(`/v1/blobs/${encodeURIComponent(hash)}`, { headers: headers(false) });
  if (!res.ok) throw new ApiError(res.status, {});
  return URL.createObjectURL(await res.blob());
}

/** Saves a file the server makes (the CSV export) under `filename`. */
export async function download(path, filename) {
  const res = await fetch(path, { headers: headers(false) });
  if (!res.ok) {
    let b = {};
    try {
      b = await res.json();
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, b);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A fresh record id (a random UUID) made when a form opens, so a retried
 * submit names the same record. randomUUID needs a secure context; an office
 * on plain http over the LAN gets the same from getRandomValues. */
export function newRecordId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
