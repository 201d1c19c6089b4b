// Fengqiao's service worker: keeps the application and a grid worker's field
// pages on the phone, so that they open where there is no network, and keeps
// a report or patrol submitted without a network on the phone until it can
// be sent (offline.js, shared with the pages, holds that queue).
//
// Served by the server as /sw.js with this build's file names filled in
// (server/src/offline.rs). Written by hand rather than with Workbox: it needs
// three caching strategies (cache first for the build's files, network first
// with a kept copy for a few pages, forget the copies when the person
// changes) and a queue that must speak the server functions' protocol;
// Workbox would add a bundling step and its runtime to every phone for that.
// The end-to-end suite (end2end/tests/offline.spec.ts) tests it in Chromium.
"use strict";

importScripts("/offline.js");

const VERSION = "__VERSION__";
// The application: this build's WebAssembly (the pages' islands) and its
// glue, the stylesheet, the icons, the shared script, and the pages shown
// without a network for a page not kept (/offline) and for what waits
// (/waiting). They hold nobody's data: they are fetched without the session
// cookie.
const SHELL_FILES = __SHELL__;
const SHELL = `fq-shell-${VERSION}`;
// Pages as last seen by the person signed in; forgotten when the person
// changes, so the next person on this phone never sees them.
const PAGES = "fq-pages";
const OFFLINE_PAGE = "/offline";
const WAITING_PAGE = "/waiting";
// The field pages: home, reporting a dispute (in full or on the spot), the
// patrol log, and cases.
const KEPT = [
  /^\/$/,
  /^\/cases\/(new|quick)$/,
  /^\/patrols$/,
  /^\/cases\/(?!new$|quick$|import$)[A-Za-z0-9-]+$/,
];
// Kept without being visited, whenever the kept copy is older than this:
// home, the two report forms and the patrol log, and the cases home lists.
const FIELD_PAGES = ["/", "/cases/quick", "/cases/new", "/patrols"];
const REFRESH_MS = 10 * 60 * 1000;
const MOST_CASES = 10;
// At most this many pages are kept; the oldest goes first.
const MOST_PAGES = 30;
// The forms kept on the phone when sent without a network: FQ_QUEUED, in
// offline.js. A kept page's copy of their key fields is rewritten.
const KEY_FIELD = new RegExp(
  `(name="(?:${Object.values(FQ_QUEUED)
    .map((form) => form.key)
    .join("|")})" value=")[^"]*"`,
  "g",
);
// How long a report may take to reach the server before it is kept on the
// phone instead (a weak signal that never answers is no network).
const SEND_TIMEOUT_MS = 30 * 1000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) =>
        cache.addAll(SHELL_FILES.map((path) => new Request(path, { credentials: "omit" }))),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            // An old build's application, and pages that link its files.
            .filter((name) => (name.startsWith("fq-shell-") && name !== SHELL) || name === PAGES)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim())
      .then(() => whoIsSignedIn()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/api/logout") {
    event.respondWith(signOut(request));
    return;
  }
  if (request.method === "POST" && url.pathname === "/api/login") {
    event.respondWith(forget().then(() => fetch(request)));
    return;
  }
  if (request.method === "POST" && FQ_QUEUED[url.pathname]) {
    event.respondWith(submit(event, request, url.pathname));
    return;
  }
  const photosOf = photoForm(url.pathname);
  if (request.method === "POST" && request.mode === "navigate" && photosOf) {
    event.respondWith(uploadOrKeep(request, photosOf));
    return;
  }
  if (request.method !== "GET") return;
  const shellPage = url.pathname === OFFLINE_PAGE || url.pathname === WAITING_PAGE;
  if (SHELL_FILES.includes(url.pathname) && !shellPage) {
    event.respondWith(
      caches.match(url.pathname, { cacheName: SHELL }).then((hit) => hit || fetch(request)),
    );
    return;
  }
  if (request.mode === "navigate") event.respondWith(page(event, request, url));
});

// A page asks to send now (the list at /waiting, or it opened online); a
// page asks who is signed in; the browser says the network is back.
self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  if (type === "fq-send") event.waitUntil(sendWaiting());
  if (type === "fq-who") event.waitUntil(whoIsSignedIn());
});
self.addEventListener("sync", (event) => {
  if (event.tag === "fq-send") {
    // Rejected while something still waits, so that the browser tries again.
    event.waitUntil(
      sendWaiting().then((left) => {
        if (left) throw new Error("reports still wait for the network");
      }),
    );
  }
});

/** A page: from the network, keeping a copy of a field page; without a
 * network, the kept copy (marked as such) or the offline page. A page from
 * the network says who is signed in: their waiting items are then sent. */
async function page(event, request, url) {
  const kept = url.search === "" && KEPT.some((path) => path.test(url.pathname));
  let response;
  try {
    await signOutIfAsked();
    response = await fetch(request);
  } catch (offline) {
    const copy = kept ? await keptCopy(url.pathname) : undefined;
    if (copy) return marked(copy);
    const shell = url.pathname === WAITING_PAGE ? WAITING_PAGE : OFFLINE_PAGE;
    const fallback = await caches.match(shell, { cacheName: SHELL });
    return fallback || Response.error();
  }
  // The sign-in page is where a session that ended leads: nobody is signed in.
  if (url.pathname === "/login" && response.ok) event.waitUntil(forget());
  const account = response.headers.get("x-fq-account");
  if (account) {
    const html = (response.headers.get("content-type") || "").startsWith("text/html");
    const copy = kept && response.status === 200 && html ? response.clone() : undefined;
    // After the page is on its way: whose it is, a copy of it and of the
    // other field pages, and what waits to be sent.
    event.waitUntil(
      (async () => {
        await nowSignedIn(account);
        if (copy) await keep(url.pathname, copy);
        await keepFieldPages(account);
        await sendWaiting();
      })(),
    );
  }
  return response;
}

/** The person signed in, as a page or the server said: when it is someone
 * else than before, the pages kept for the one before are forgotten. */
async function nowSignedIn(account) {
  const before = await fqWaiting.account();
  if (before !== account) {
    await caches.delete(PAGES);
    await fqWaiting.setAccount(account);
  }
}

/** Ask the server who is signed in (a page this worker did not see may have
 * signed someone in or out). */
async function whoIsSignedIn() {
  try {
    const response = await fetch("/api/me", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    });
    if (!response.ok) return;
    const me = await response.json();
    if (me && me.id) await nowSignedIn(String(me.id));
    else await forget();
  } catch (offline) {
    // Asked again when a page next opens with a network.
  }
}

/** Keep a copy of a page with the time it was seen and whose it is. */
async function keep(path, response) {
  const headers = new Headers(response.headers);
  headers.set("x-fq-kept-at", new Date().toISOString());
  headers.delete("vary");
  const body = await response.blob();
  const cache = await caches.open(PAGES);
  await cache.delete(path);
  await cache.put(path, new Response(body, { status: 200, headers }));

  const paths = await cache.keys();
  for (const old of paths.slice(0, Math.max(0, paths.length - MOST_PAGES))) {
    await cache.delete(old);
  }
}

/** Keep the field pages the person has not opened lately (a page reached
 * inside the application is never fetched as a page), and the cases their
 * home page lists. */
async function keepFieldPages(account) {
  const cache = await caches.open(PAGES);
  const stale = async (path) => {
    const copy = await cache.match(path);
    const at = copy && Date.parse(copy.headers.get("x-fq-kept-at") || "");
    return !at || Date.now() - at > REFRESH_MS;
  };
  const fresh = async (path) => {
    if (!(await stale(path))) return true;
    const response = await fetch(path, { credentials: "same-origin" }).catch(() => undefined);
    // No network, someone else signed in meanwhile, or signed out: stop.
    if (!response || response.status !== 200 || response.redirected) return false;
    if (response.headers.get("x-fq-account") !== account) return false;
    await keep(path, response);
    return true;
  };
  for (const path of FIELD_PAGES) {
    if (!(await fresh(path))) return;
  }
  const home = await cache.match("/");
  const cases = [...new Set((home ? await home.text() : "").match(/href="\/cases\/[A-Z]+-\d+-\d+"/g) || [])]
    .map((href) => href.slice(6, -1))
    .slice(0, MOST_CASES);
  for (const path of cases) {
    if (!(await fresh(path))) return;
  }
}

/** The kept copy of a page, if it was kept for the person signed in. */
async function keptCopy(path) {
  const copy = await caches.match(path, { cacheName: PAGES });
  const account = await fqWaiting.account();
  return copy && account && copy.headers.get("x-fq-account") === account ? copy : undefined;
}

/** A kept page, saying that it is one and as of when. */
async function marked(copy) {
  const html = await copy.text();
  const at = copy.headers.get("x-fq-kept-at");
  const lang = (html.match(/<html lang="([^"]+)"/) || [])[1] || "zh-CN";
  let when = "";
  if (at) {
    when = new Date(at).toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
  }
  const safe = when.replace(/[<>&"]/g, "");
  const shown = html
    .replace(/<p id="offline-note"[^>]*>/, '<p id="offline-note" class="offline-note">')
    .replace(/<span id="offline-at"><\/span>/, `<span id="offline-at">${safe}</span>`)
    // Each showing of a kept form is a new report: a key of its own.
    .replace(KEY_FIELD, (_, start) => `${start}${crypto.randomUUID()}"`);
  return new Response(shown, { status: 200, headers: copy.headers });
}

/** Sign out: the kept pages and who was signed in are forgotten at once.
 * Without a network the server is told when the network is back, before
 * anything else, and the phone shows the offline page meanwhile. */
async function signOut(request) {
  await forget();
  try {
    return await fetch(request);
  } catch (offline) {
    await fqWaiting.setSignOut(true);
    return (await caches.match(OFFLINE_PAGE, { cacheName: SHELL })) || Response.error();
  }
}

/** A sign-out made without a network, sent now. */
async function signOutIfAsked() {
  if (!(await fqWaiting.signOut())) return;
  await fetch("/api/logout", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
  });
  await fqWaiting.setSignOut(false);
}

/** A report or patrol: sent as it is when the network answers; without a
 * network (or a weak one that does not answer in time, or a proxy that
 * cannot reach the server), kept on the phone for whoever is signed in. */
async function submit(event, request, endpoint) {
  const body = await request.clone().text();
  const key = new URLSearchParams(body).get(FQ_QUEUED[endpoint].key);
  // A form the browser posts itself (every form: the pages are the
  // server's HTML) goes as a call whose answer is JSON, so that the worker
  // learns what it made or why it was refused; the page then goes where
  // the server's own redirect would have taken it (`asPage`).
  const navigate = request.mode === "navigate";
  // Only this site's own forms: a navigation another site started goes on
  // as it came, with its own origin, and the server refuses it (a request
  // the worker made itself would pass as this site's). The site's pages
  // send their full address as the referrer to itself (`same-origin`).
  if (navigate && !ownPage(request.referrer)) return fetch(request);
  const sent = navigate
    ? new Request(request.url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      })
    : request;
  let response;
  try {
    // (A race rather than a signal: should the slow answer still come, the
    // kept copy's key lands on the same record.)
    const late = new Promise((_, fail) => setTimeout(() => fail(new Error("no answer")), SEND_TIMEOUT_MS));
    response = await Promise.race([fetch(sent), late]);
  } catch (offline) {
    return keepForLater(event, request, endpoint, body);
  }
  if ([502, 503, 504].includes(response.status)) return keepForLater(event, request, endpoint, body);
  // A report or patrol with photos: they go to what it made before the
  // page moves on to it (those that cannot, now, go with the next sending).
  if (response.ok && request.headers.get("x-fq-photos")) {
    const made = FQ_QUEUED[endpoint].made(await response.clone().json().catch(() => null));
    if (made) {
      if (!(await fqWaiting.account())) await whoIsSignedIn();
      await adoptPhotos(key, await fqWaiting.account());
      await markMade(key, made);
      await sendPhotos(key).catch(() => false);
    }
  }
  // A waiting item sent again from its form (fixed): this answer settles it.
  // A report from a patrol: the patrol's reminder has led on.
  const copy = response.clone();
  event.waitUntil(settle(key, response.clone()).then(() => reported(endpoint, body, copy)));
  return navigate ? asPage(request, endpoint, response) : response;
}

/** Whether `address` is a page of this site. */
function ownPage(address) {
  try {
    return new URL(address).origin === self.location.origin;
  } catch (none) {
    return false;
  }
}

/** `address` if it is a page of this site, else `fallback`. */
function onThisSite(address, fallback) {
  const url = new URL(address || fallback, self.location.origin);
  return url.origin === self.location.origin ? url : new URL(fallback, self.location.origin);
}

/** The answer to a form the browser posted, from the call's JSON answer:
 * on to what it made, or back to the form's page with the refusal in its
 * address, as `server_fn` writes it for a plain post (`__path`, `__err`:
 * the error's JSON in URL-safe base64), which the page shows in the form. */
async function asPage(request, endpoint, response) {
  const text = await response.clone().text();
  if (response.ok) {
    let answer = null;
    try {
      answer = JSON.parse(text);
    } catch (notJson) {
      answer = null;
    }
    const made = FQ_QUEUED[endpoint].made(answer);
    const to = response.headers.get("location") || (made ? FQ_QUEUED[endpoint].shown(made) : request.referrer);
    return Response.redirect(onThisSite(to, "/").href, 303);
  }
  const back = onThisSite(request.referrer, FQ_QUEUED[endpoint].pages[0]);
  for (const mark of ["__path", "__err", "__done"]) back.searchParams.delete(mark);
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  back.searchParams.append("__path", endpoint);
  back.searchParams.append("__err", btoa(binary).replace(/\+/g, "-").replace(/\//g, "_"));
  return Response.redirect(back.href, 303);
}

async function keepForLater(event, request, endpoint, body) {
  const account = await fqWaiting.account();
  const form = new URLSearchParams(body);
  if (!account) {
    // Nobody known to be signed in on this phone: the form stays as typed.
    return fqPlainError(request, "Unauthenticated");
  }
  if (request.headers.get("x-fq-photos")) await adoptPhotos(form.get(FQ_QUEUED[endpoint].key), account);
  // The key the page was served with (a kept page gets a fresh one each
  // time it is shown): a second tap on the same form replaces the first.
  let id = form.get(FQ_QUEUED[endpoint].key);
  if (!id) {
    id = crypto.randomUUID();
    form.set(FQ_QUEUED[endpoint].key, id);
  }
  // The form it was made in, to be fixed there should it be refused.
  let page = null;
  try {
    page = new URL(request.referrer).pathname;
  } catch (none) {
    page = null;
  }
  await fqWaiting.put({
    id,
    account,
    endpoint,
    page: fqFormPage(endpoint, page),
    body: form.toString(),
    photos: !!request.headers.get("x-fq-photos"),
    savedAt: new Date().toISOString(),
    state: "waiting",
    message: null,
  });
  if (self.registration.sync) self.registration.sync.register("fq-send").catch(() => {});
  notify();
  const to = `${WAITING_PAGE}?saved=1`;
  if (request.mode === "navigate") return Response.redirect(to, 303);
  // The page's own call (a report sent with its photos): its page goes to
  // the list, and the form says it was saved on the phone meanwhile.
  const client = await self.clients.get(event.clientId);
  if (client) client.navigate(to).catch(() => {});
  return fqPlainError(request, { Forbidden: "SavedOnPhone" });
}

/** An answer the form shows as its message (a server function's error). */
function fqPlainError(request, error) {
  if (request.mode === "navigate") {
    return caches
      .match(OFFLINE_PAGE, { cacheName: SHELL })
      .then((page) => page || Response.error());
  }
  return new Response(JSON.stringify(error), {
    status: 409,
    headers: { "content-type": "application/json" },
  });
}

let sending = null;

/** Send the signed-in person's waiting items, oldest first, one at a time;
 * resolves to whether some still wait for the network. */
function sendWaiting() {
  if (!sending) {
    sending = sendAll().finally(() => {
      sending = null;
      notify();
    });
  }
  return sending;
}

async function sendAll() {
  const account = await fqWaiting.account();
  if (!account) return false;
  for (const item of await fqWaiting.items(account)) {
    if (item.state !== "waiting") continue;
    // The person may have changed while the items before went out.
    if ((await fqWaiting.account()) !== account) return true;
    let response;
    try {
      response = await fetch(item.endpoint, {
        method: "POST",
        body: item.body,
        credentials: "same-origin",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
          // The server refuses it unless the session is this account's.
          "x-fq-account": item.account,
        },
      });
    } catch (offline) {
      return true;
    }
    if (!(await settle(item.id, response))) return true;
  }
  // Photos whose report reached its case while they could not follow.
  let left = false;
  for (const set of await fqWaiting.photoSets(account)) {
    if ((set.code || set.patrol) && set.photos.length > 0 && !(await sendPhotos(set.key).catch(() => false))) {
      left = true;
    }
  }
  return left;
}

/** What the server's answer means for the waiting item with this key: sent
 * (it is dropped), refused (kept, with the server's message, to be fixed),
 * or to be tried again later (signed out or someone else, too many
 * requests, the server's own failure): false then, and the rest wait too. */
async function settle(id, response) {
  const item = id ? await fqWaiting.get(id) : undefined;
  if (!item) return true;
  if (response.ok) {
    const answer = await response.clone().json().catch(() => null);
    // Its photos learn what it made before the item goes.
    const made = item.photos ? FQ_QUEUED[item.endpoint].made(answer) : null;
    if (made) await markMade(item.id, made);
    if (item.endpoint === "/api/patrols/record" && answer && answer.found === "disputes" && answer.cases && answer.cases.length === 0) {
      // A patrol that found disputes leads on to reporting them: it stays
      // listed, sent, with the way to the report, until that is opened.
      await fqWaiting.put({ ...item, state: "found", patrol: answer.id, message: null });
    } else {
      await fqWaiting.remove(item.id);
    }
    if (made) await sendPhotos(item.id).catch(() => false);
    await reported(item.endpoint, item.body, response);
  } else if (response.status === 401 || response.status === 429 || response.status >= 500) {
    return false;
  } else {
    await fqWaiting.put({ ...item, state: "refused", message: fqMessage(response) });
  }
  notify();
  return true;
}

/** What a plain upload form posts to: a case's files
 * (`/cases/{code}/files`) or a patrol's photos (`/patrols/{id}/photos`). */
function photoForm(path) {
  const toCase = /^\/cases\/([A-Za-z0-9-]+)\/files$/.exec(path);
  if (toCase) return { code: toCase[1], patrol: null };
  const toPatrol = /^\/patrols\/(\d+)\/photos$/.exec(path);
  if (toPatrol) return { code: null, patrol: Number(toPatrol[1]) };
  return null;
}

/** A photo (or document) from a kept case page or patrol log: sent as it is
 * when the network answers; without one, kept on the phone with what it
 * goes to, and sent with the rest when the network is back. Kept only when
 * the request could not go at all: an upload is not idempotent, and one
 * that may have reached the server (a slow answer, a gateway's 504) kept
 * as well would go twice. */
async function uploadOrKeep(request, to) {
  const form = await request.clone().formData().catch(() => null);
  try {
    return await fetch(request);
  } catch (offline) {
    // Kept below.
  }
  const account = await fqWaiting.account();
  const files = form ? form.getAll("file").filter((f) => f instanceof File && f.size > 0) : [];
  if (!account || files.length === 0) return fqPlainError(request, "Unauthenticated");
  try {
    await fqWaiting.putPhotoSet({
      key: crypto.randomUUID(),
      account,
      ...to,
      // The case file's item it was filed under (the server checks it when it goes).
      item: form.get("item") || null,
      photos: files,
      refused: [],
      savedAt: new Date().toISOString(),
    });
  } catch (full) {
    // The phone's storage is full or closed: the offline page, nothing kept.
    return fqPlainError(request, "Unauthenticated");
  }
  if (self.registration.sync) self.registration.sync.register("fq-send").catch(() => {});
  notify();
  return Response.redirect(`${WAITING_PAGE}?saved=1`, 303);
}

/** A report accepted from a patrol that found disputes (its form's
 * `patrol_id`): the patrol's reminder has led on, and goes. */
async function reported(endpoint, body, response) {
  if (endpoint !== "/api/cases/report" || !response.ok) return;
  const patrol = new URLSearchParams(body).get("patrol_id");
  if (!patrol || !FQ_QUEUED[endpoint].made(await response.json().catch(() => null))) return;
  const account = await fqWaiting.account();
  for (const item of account ? await fqWaiting.items(account) : []) {
    if (item.state === "found" && String(item.patrol) === patrol) await fqWaiting.remove(item.id);
  }
  notify();
}

/** Send the photos waiting under report or patrol `key` to the case or
 * patrol it made (which they were marked with, `markMade`), one at a
 * time, each dropped from the phone once the server has it (or refused it:
 * its message is kept to be seen). Resolves to false when the rest must
 * wait (no network, signed out, the server's own failure). One run per
 * report at a time, so that no photo goes twice. */
const sendingPhotos = new Map();
function sendPhotos(key) {
  if (!sendingPhotos.has(key)) {
    sendingPhotos.set(
      key,
      sendPhotoSet(key).finally(() => {
        sendingPhotos.delete(key);
        notify();
      }),
    );
  }
  return sendingPhotos.get(key);
}

async function sendPhotoSet(key) {
  let set = await fqWaiting.photoSet(key);
  if (!set || !(set.code || set.patrol)) return true;
  // Only under the account they were taken for (the server checks too).
  if (!set.account || (await fqWaiting.account()) !== set.account) return false;
  const code = set.code;
  // A photo only adds to a case: the version read once does for them all.
  let version = null;
  while (set.photos.length > 0) {
    if ((await fqWaiting.account()) !== set.account) return false;
    const photo = set.photos[0];
    const form = new FormData();
    if (code) {
      if (version === null) version = await caseVersion(code, set.account);
      if (version === null) return false;
      form.set("version", String(version));
      form.set("item", set.item || "other_documents");
    }
    form.set("file", photo, photo.name || "photo.jpg");
    const to = code ? `/cases/${encodeURIComponent(code)}/files` : `/patrols/${encodeURIComponent(set.patrol)}/photos`;
    let response;
    try {
      response = await fetch(to, {
        method: "POST",
        body: form,
        credentials: "same-origin",
        headers: { accept: "application/json", "x-fq-account": set.account },
      });
    } catch (offline) {
      return false;
    }
    if (response.redirected || response.status === 401 || response.status === 429 || response.status >= 500) return false;
    const answer = await response.json().catch(() => ({}));
    let refused = set.refused || [];
    if (response.ok) {
      if (answer.outcome !== "ok" || (code && typeof answer.version !== "number")) return false;
      version = answer.version;
    } else {
      refused = [...refused, `${photo.name || ""} ${fqMessage(response)}`.trim()];
    }
    set = { ...set, photos: set.photos.slice(1), refused };
    if (set.photos.length > 0 || set.refused.length > 0) await fqWaiting.putPhotoSet(set);
    else await fqWaiting.removePhotoSet(key);
  }
  return true;
}

/** The photos kept under report or patrol `key` now know what it made,
 * `{ code }` (a case) or `{ patrol }` (set before anything else, so that
 * they follow it whatever stops the worker). */
async function markMade(key, made) {
  const set = await fqWaiting.photoSet(key);
  if (!set) return;
  const code = made.code || null;
  const patrol = made.patrol || null;
  if (set.code !== code || set.patrol !== patrol) await fqWaiting.putPhotoSet({ ...set, code, patrol });
}

/** Photos kept under report `key` while the page did not know who was
 * signed in become `account`'s, who sent the report. */
async function adoptPhotos(key, account) {
  const set = key ? await fqWaiting.photoSet(key) : undefined;
  if (set && !set.account) await fqWaiting.putPhotoSet({ ...set, account });
}

/** The version of case `code` as the server has it now for `account`, or null. */
async function caseVersion(code, account) {
  try {
    const response = await fetch("/api/cases/get", {
      method: "POST",
      body: new URLSearchParams({ code }),
      credentials: "same-origin",
      headers: { accept: "application/json", "x-fq-account": account },
    });
    if (!response.ok || response.redirected) return null;
    const view = await response.json();
    return typeof view.version === "number" ? view.version : null;
  } catch (offline) {
    return null;
  }
}

/** Forget every kept page, and who was signed in (what they left waiting
 * stays theirs: it shows and is sent only when they are signed in again). */
function forget() {
  return Promise.all([caches.delete(PAGES), fqWaiting.setAccount(null)]);
}

/** Tell the open pages that what waits has changed. */
function notify() {
  self.clients
    .matchAll()
    .then((pages) => pages.forEach((p) => p.postMessage({ type: "fq-waiting" })))
    .catch(() => {});
}
