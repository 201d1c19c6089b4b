// Fengqiao on a phone without a network: reports and patrols waiting on the
// phone to be sent.
//
// Shared by the service worker (sw.js imports it: it keeps what is submitted
// without a network and sends it when the network returns) and the pages
// (each loads it: a banner when something waits, the list at /waiting, and a
// refused item's form filled in again to be fixed). Served by the server
// (server/src/offline.rs); its texts come from the page, which the server
// renders from the message catalogue.
"use strict";

/** The waiting items of this phone, in IndexedDB. An item is
 * `{ id, account, endpoint, page, body, photos, savedAt, state, message }`:
 * `id` is the idempotency key in `body` (the form as posted from `page`;
 * `photos`: it has photos waiting with it), `account` the person
 * signed in when it was kept (no one else sees or sends it), `state`
 * "waiting", "refused" (then `message` is the server's answer) or, for a
 * patrol sent that found disputes, "found" (then `patrol` is its id, and
 * the item stays until a report from it is accepted, or it is deleted). */
const fqWaiting = (() => {
  const DB = "fengqiao";
  const ITEMS = "waiting";
  const META = "meta";
  // A report's or patrol's photos: `{ key, account, code, patrol, item,
  // photos, refused, savedAt }`, `key` its idempotency key (or, for photos
  // added on a kept case page or patrol log without a network, a key of
  // their own), `code` the case a report made or `patrol` the patrol's id
  // once it is made, `item` the case file's item they go under (else
  // other documents), `photos` the pictures still to send (Files),
  // `refused` the messages of those the server would not take.
  const PHOTOS = "photos";

  function open() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 2);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains(ITEMS)) {
          db.createObjectStore(ITEMS, { keyPath: "id" }).createIndex("account", "account");
        }
        if (!db.objectStoreNames.contains(META)) db.createObjectStore(META);
        if (!db.objectStoreNames.contains(PHOTOS)) {
          db.createObjectStore(PHOTOS, { keyPath: "key" }).createIndex("account", "account");
        }
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  /** One request in its own transaction; resolves once it is committed. */
  async function one(store, mode, make) {
    const db = await open();
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction(store, mode);
        const req = make(tx.objectStore(store));
        tx.oncomplete = () => resolve(req.result);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }

  return {
    /** Who the pages last said is signed in (null: nobody, or not known). */
    account: () => one(META, "readonly", (s) => s.get("account")).then((a) => a || null),
    setAccount: (account) => one(META, "readwrite", (s) => s.put(account, "account")),
    /** Whether a sign-out made without a network is still to be sent. */
    signOut: () => one(META, "readonly", (s) => s.get("signOut")).then((v) => v === true),
    setSignOut: (pending) => one(META, "readwrite", (s) => s.put(pending, "signOut")),
    /** The account's items, oldest first. */
    items: (account) =>
      one(ITEMS, "readonly", (s) => s.index("account").getAll(account)).then((items) =>
        items.sort((a, b) => a.savedAt.localeCompare(b.savedAt)),
      ),
    get: (id) => one(ITEMS, "readonly", (s) => s.get(id)),
    put: (item) => one(ITEMS, "readwrite", (s) => s.put(item)),
    remove: (id) => one(ITEMS, "readwrite", (s) => s.delete(id)),
    /** The account's reports' photos, oldest first. */
    photoSets: (account) =>
      one(PHOTOS, "readonly", (s) => s.index("account").getAll(account)).then((sets) =>
        sets.sort((a, b) => a.savedAt.localeCompare(b.savedAt)),
      ),
    photoSet: (key) => one(PHOTOS, "readonly", (s) => s.get(key)),
    putPhotoSet: (set) => one(PHOTOS, "readwrite", (s) => s.put(set)),
    removePhotoSet: (key) => one(PHOTOS, "readwrite", (s) => s.delete(key)),
  };
})();

/** The forms kept on the phone when sent without a network: the field
 * holding each one's idempotency key, the pages with a form for it (a
 * refused one is fixed in the form it was made in; the first is the one
 * with every field), what the server's answer says it made (where the
 * photos taken with it go) and the page that shows that. The worker and
 * the pages read this one table. */
const FQ_QUEUED = {
  "/api/cases/report": {
    key: "intake_key",
    pages: ["/cases/new", "/cases/quick"],
    // The answer is the case's code.
    made: (answer) => (typeof answer === "string" ? { code: answer } : null),
    shown: (made) => `/cases/${encodeURIComponent(made.code)}`,
  },
  "/api/patrols/record": {
    key: "submit_key",
    pages: ["/patrols"],
    // The answer is the patrol; one that found disputes goes on to report them.
    made: (answer) =>
      answer && typeof answer.id === "number" ? { patrol: answer.id, found: answer.found } : null,
    shown: (made) => (made.found === "disputes" ? `/cases/new?patrol=${made.patrol}` : `/patrols?recorded=${made.patrol}`),
  },
};

/** The most photos a report or a patrol takes. */
const FQ_MOST_PHOTOS = 9;

/** A photo from the phone's camera is made smaller before it waits or goes
 * (a weak link carries a tenth of it): at most this many pixels on its
 * longer side, as a JPEG of this quality. One already small, or one the
 * browser cannot draw, goes as taken. The browser's own canvas does the
 * work: a library for it would add more to the page than this. */
const FQ_PHOTO_EDGE = 2048;
const FQ_PHOTO_QUALITY = 0.85;
const FQ_PHOTO_SMALL = 512 * 1024;

async function fqShrink(file) {
  if (file.size <= FQ_PHOTO_SMALL || !/^image\/(jpeg|png|webp)$/.test(file.type)) return file;
  let bitmap = null;
  try {
    // Upright as the camera meant it; a picture drawn again keeps none of
    // its metadata (the place among it).
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    const scale = Math.min(1, FQ_PHOTO_EDGE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    let blob;
    if (typeof OffscreenCanvas !== "undefined") {
      const canvas = new OffscreenCanvas(width, height);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, width, height);
      blob = await canvas.convertToBlob({ type: "image/jpeg", quality: FQ_PHOTO_QUALITY });
    } else {
      const canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      canvas.getContext("2d").drawImage(bitmap, 0, 0, width, height);
      blob = await new Promise((done) => canvas.toBlob(done, "image/jpeg", FQ_PHOTO_QUALITY));
    }
    if (!blob || blob.size >= file.size) return file;
    const name = `${file.name.replace(/\.[^.]*$/, "") || "photo"}.jpg`;
    return new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified });
  } catch (undrawable) {
    return file;
  } finally {
    if (bitmap) bitmap.close();
  }
}

/** A plain post's typed fields, kept in the tab for its answer (see
 * `fillTyped`), and the kinds of field never kept. */
const FQ_TYPED = "fq-typed";
const FQ_UNKEPT_TYPES = new Set(["password", "file", "hidden", "submit", "button", "reset", "image"]);

/** How long what was typed before a plain post is filled in again. */
const FQ_TYPED_FOR_MS = 10 * 60 * 1000;

/** The fields of `within` (a form or part of one) whose typed value is kept. */
function fqKeptFields(within) {
  const fields = within instanceof HTMLFormElement ? [...within.elements] : [...within.querySelectorAll("input, select, textarea")];
  return fields.filter((f) => f.name && !f.disabled && !FQ_UNKEPT_TYPES.has(f.type));
}

/** Whether a field differs from what the page came with. */
function fqChanged(field) {
  if (field instanceof HTMLSelectElement) return [...field.options].some((o) => o.selected !== o.defaultSelected);
  if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
  return field.value !== field.defaultValue;
}

/** The hidden `action` of a form, if any (a case's action forms share one function). */
function fqMarker(form) {
  const marker = form.elements.namedItem("action");
  return marker instanceof HTMLInputElement && marker.type === "hidden" ? marker.value : null;
}

/** The page's forms posting to `path`, in page order. */
function fqFormsTo(path) {
  return [...document.forms].filter((f) => new URL(f.action, location.href).pathname === path);
}

/** Photos made smaller one at a time: a cheap phone holds one decoded
 * camera picture (about 50 MB) at once, not nine. */
async function fqShrinkAll(files) {
  const smaller = [];
  for (const file of files) smaller.push(await fqShrink(file));
  return smaller;
}

/** A refusal's message: the server's `X-Fq-Message`, percent-encoded. */
function fqMessage(response) {
  try {
    return decodeURIComponent((response && response.headers.get("x-fq-message")) || "");
  } catch (unreadable) {
    return "";
  }
}

/** The page whose form a waiting item is fixed in. */
function fqFormPage(endpoint, page) {
  const pages = FQ_QUEUED[endpoint].pages;
  return pages.includes(page) ? page : pages[0];
}

if (typeof document !== "undefined") {
  const fqPage = async () => {
    const account = await fqWaiting.account();
    const items = account ? await fqWaiting.items(account) : [];
    const photoSets = account ? await fqWaiting.photoSets(account) : [];
    showPage(items, photoSets);
  };

  const showPage = (items, photoSets) => {
    const banner = document.getElementById("waiting-banner");
    const count = items.filter((i) => i.state !== "found").length + photoSets.length;
    if (banner && location.pathname !== "/waiting") {
      banner.hidden = count === 0;
      banner.textContent = (banner.dataset.text || "").replace("{n}", String(count));
    }
    const list = document.getElementById("waiting-list");
    if (list) showList(list, items, photoSets);
    fillFromWaiting(items);
  };

  /** The list at /waiting: each item, its state, and what can be done. */
  const showList = (list, items, photoSets) => {
    const texts = document.getElementById("waiting").dataset;
    const saved = document.getElementById("waiting-saved");
    if (saved && new URLSearchParams(location.search).has("saved")) {
      const waiting = items.filter((i) => i.state === "waiting").length + photoSets.length;
      saved.textContent = texts.saved.replace("{n}", String(waiting));
      saved.hidden = waiting === 0;
    }
    document.getElementById("waiting-empty").hidden = items.length + photoSets.length > 0;
    list.replaceChildren(
      ...photoSets.map((set) => {
        const li = document.createElement("li");
        li.className = "waiting-item waiting-photos";
        li.dataset.state = set.refused && set.refused.length ? "refused" : "waiting";
        const what = document.createElement("strong");
        const count = set.photos.length + (set.refused || []).length;
        what.textContent = texts.photos.replace("{n}", String(count));
        const state = document.createElement("p");
        state.className = "muted";
        state.textContent = set.code
          ? `${texts.photosTo} ${set.code}`
          : set.patrol
            ? texts.photosToPatrol
            : texts.photosWith;
        li.append(what, state);
        for (const message of set.refused || []) {
          const refused = document.createElement("p");
          refused.className = "error";
          refused.textContent = `${texts.refused}${message}`;
          li.append(refused);
        }
        li.append(removeButton(texts, () => fqWaiting.removePhotoSet(set.key)));
        return li;
      }),
      ...items.map((item) => {
        const form = new URLSearchParams(item.body);
        const li = document.createElement("li");
        li.className = "waiting-item";
        li.dataset.state = item.state;
        const what = document.createElement("strong");
        what.textContent =
          item.endpoint === "/api/patrols/record"
            ? `${texts.patrol} ${form.get("on") || ""}`
            : `${texts.intake}: ${form.get("title") || ""}`;
        const when = document.createElement("span");
        when.className = "muted";
        when.textContent = ` ${texts.savedAt} ${new Date(item.savedAt).toLocaleString(document.documentElement.lang)}`;
        const state = document.createElement("p");
        state.className = item.state === "refused" ? "error" : "muted";
        state.textContent =
          item.state === "refused"
            ? `${texts.refused}${item.message || ""}`
            : item.state === "found"
              ? texts.found
              : texts.waiting;
        li.append(what, when, state);
        if (item.state === "found") {
          const report = document.createElement("a");
          report.className = "button primary";
          report.rel = "external";
          report.href = `/cases/new?patrol=${encodeURIComponent(item.patrol)}`;
          report.textContent = texts.report;
          li.append(report, " ");
        }
        if (item.state === "refused") {
          const fix = document.createElement("a");
          fix.className = "button";
          // A page load, not the application's own navigation: this script fills it.
          fix.rel = "external";
          fix.href = `${fqFormPage(item.endpoint, item.page)}#waiting=${encodeURIComponent(item.id)}`;
          fix.textContent = texts.fix;
          li.append(fix, " ");
        }
        // A report deleted takes its photos with it; a sent patrol's
        // reminder does not (its photos, listed apart, may still be going).
        li.append(
          removeButton(texts, () =>
            item.state === "found"
              ? fqWaiting.remove(item.id)
              : Promise.all([fqWaiting.remove(item.id), fqWaiting.removePhotoSet(item.id)]),
          ),
        );
        return li;
      }),
    );
  };

  /** A button that deletes something waiting, then shows the list again. */
  const removeButton = (texts, remove) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link-button";
    button.textContent = texts.remove;
    button.addEventListener("click", async () => {
      await remove();
      await fqPage();
    });
    return button;
  };

  /** A refused item opened to be fixed: its form filled in as it was posted
   * (its key too, so sending it settles the item), and why it was refused;
   * once a page (the list is shown again whenever the worker says something
   * changed, and must not undo what the person has typed since). */
  let fixing = null;
  const fillFromWaiting = (items) => {
    if (!fixing) {
      const id = new URLSearchParams(location.hash.slice(1)).get("waiting");
      const item = id && items.find((i) => i.id === id);
      if (!item || fqFormPage(item.endpoint, item.page) !== location.pathname) return;
      const form = document.querySelector(`form[action="${item.endpoint}"]`);
      if (!form) return;
      fixing = item;
      for (const [name, value] of new URLSearchParams(item.body)) {
        const field = form.elements.namedItem(name);
        if (!field) continue;
        // A checkbox is posted only when ticked; a group of radios takes the value.
        if (field.type === "checkbox") field.checked = true;
        else field.value = value;
      }
    }
    // Why it was refused, above the form for as long as it is open.
    const banner = document.getElementById("waiting-banner");
    if (banner && fixing.message) {
      banner.hidden = false;
      banner.removeAttribute("href");
      banner.textContent = `${banner.dataset.refused || ""}${fixing.message}`;
    }
  };

  /** A report or patrol with photos: they cannot ride in its own form (a
   * server function's urlencoded post), so they wait on the phone under its
   * key, the form goes to the worker, and the worker sends them to the case
   * or patrol once it is made, now or when the network is back. */
  const sendWithPhotos = async (form, input, endpoint) => {
    const queued = FQ_QUEUED[endpoint];
    const key = form.elements.namedItem(queued.key).value;
    const button = form.querySelector('button[type="submit"]');
    const status = document.getElementById("scene-photos-status");
    if (button) button.disabled = true;
    if (status) {
      status.className = "muted";
      status.textContent = status.dataset.sending || "";
    }
    let response;
    try {
      // Photos of a report already made (a retry after the answer was
      // lost) are those still to send: they are not taken again.
      const kept = await fqWaiting.photoSet(key);
      if (!kept || !(kept.code || kept.patrol)) {
        await fqWaiting.putPhotoSet({
          key,
          // Whoever the worker knows; if nobody yet, the worker makes them
          // the sender's when the report goes.
          account: await fqWaiting.account(),
          code: null,
          photos: await fqShrinkAll([...input.files].slice(0, FQ_MOST_PHOTOS)),
          refused: [],
          savedAt: new Date().toISOString(),
        });
      }
      response = await fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        credentials: "same-origin",
        headers: { accept: "application/json", "x-fq-photos": "1" },
      });
      const made = response.ok ? queued.made(await response.json().catch(() => null)) : null;
      if (made) {
        location.assign(queued.shown(made));
        return;
      }
      if (response.status === 409 && (await response.clone().text()).includes("SavedOnPhone")) {
        location.assign("/waiting?saved=1");
        return;
      }
    } catch (failed) {
      // The phone's storage or the network failed: said below, nothing sent twice.
    }
    if (button) button.disabled = false;
    if (status) {
      status.className = "alert";
      status.textContent = fqMessage(response) || status.dataset.failed || "";
    }
  };
  window.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      const input = document.getElementById("scene-photo");
      if (!input || !input.files || input.files.length === 0) return;
      if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return;
      const endpoint = new URL(form.action, location.href).pathname;
      if (!FQ_QUEUED[endpoint]) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      sendWithPhotos(form, input, endpoint);
    },
    true,
  );

  // A plain upload form's camera photo is made smaller before it goes
  // (only a browser's own multipart post: a form the application sends
  // itself, or one kept on the phone, is left to them).
  let shrinking = new WeakSet();
  window.addEventListener(
    "submit",
    async (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || shrinking.has(form)) return;
      if (form.enctype !== "multipart/form-data" || FQ_QUEUED[new URL(form.action, location.href).pathname]) return;
      const inputs = [...form.elements].filter(
        (e) => e instanceof HTMLInputElement && e.matches("input[type=file][data-fq-shrink]") && e.files.length > 0,
      );
      if (inputs.length === 0 || !inputs.some((i) => [...i.files].some((f) => f.size > FQ_PHOTO_SMALL))) return;
      if (typeof DataTransfer === "undefined") return;
      event.preventDefault();
      event.stopImmediatePropagation();
      shrinking.add(form);
      const buttons = [...form.querySelectorAll('button[type="submit"]')];
      for (const button of buttons) button.disabled = true;
      try {
        for (const input of inputs) {
          const smaller = new DataTransfer();
          for (const file of await fqShrinkAll([...input.files])) smaller.items.add(file);
          input.files = smaller.files;
        }
      } catch (unsupported) {
        // A browser that cannot swap the files: they go as taken.
      } finally {
        // (`submit()` fires no submit event: the form goes once, as it is.)
        form.submit();
      }
    },
    true,
  );
  // Back to a page whose form went (the browser's back-forward cache): its
  // buttons work again.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    shrinking = new WeakSet();
    for (const button of document.querySelectorAll('form[enctype="multipart/form-data"] button[type="submit"]')) {
      button.disabled = false;
    }
  });

  // The worker that keeps the field pages and what waits: registered once
  // the page has loaded (not once it hydrates: on a slow link, many seconds
  // later). Browsers offer it only to secure pages (https, or this machine).
  if (navigator.serviceWorker && window.isSecureContext) {
    window.addEventListener("load", () => navigator.serviceWorker.register("/sw.js").catch(() => {}));
  }

  // A form the browser posts itself (every form: the pages are the
  // server's HTML, only a few parts of them islands) comes back, when the
  // server refuses it, as a new page with the error in its address
  // (`__path`, `__err`), and empty. What was
  // typed is kept in this tab for that one answer and filled in again:
  // never passwords, files or the form's hidden fields; read (and dropped)
  // by the next page, and never filled in once some minutes old.
  window.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement) || form.method !== "post") return;
    const action = new URL(form.action, location.href);
    if (action.origin !== location.origin || !action.pathname.startsWith("/api/")) return;
    const fields = fqKeptFields(form).map((field) => ({
      name: field.name,
      value: field.value,
      checked: field.type === "checkbox" || field.type === "radio" ? field.checked : null,
    }));
    // Which of the page's forms to this function it was: its place among
    // them (a tier's among all tiers'), and the hidden `action` that tells a
    // case's action forms apart.
    const index = fqFormsTo(action.pathname).indexOf(form);
    const marker = fqMarker(form);
    const saved = { page: location.pathname, action: action.pathname, index, marker, fields, at: Date.now() };
    try {
      sessionStorage.setItem(FQ_TYPED, JSON.stringify(saved));
    } catch (full) {
      // No room in this tab: the form goes all the same.
    }
  });
  const fillTyped = () => {
    let typed = null;
    try {
      typed = JSON.parse(sessionStorage.getItem(FQ_TYPED) || "null");
      sessionStorage.removeItem(FQ_TYPED);
    } catch (unreadable) {
      typed = null;
    }
    const answer = new URLSearchParams(location.search);
    if (!typed || typed.page !== location.pathname || !(Date.now() - typed.at < FQ_TYPED_FOR_MS)) return;
    if (!answer.has("__err") || answer.get("__path") !== typed.action) return;
    const form = fqFormsTo(typed.action)[typed.index];
    if (!form || fqMarker(form) !== typed.marker) return;
    // Field by field in page order: the nth field of a name takes the nth value kept.
    const kept = new Map();
    for (const entry of typed.fields) kept.set(entry.name, [...(kept.get(entry.name) || []), entry]);
    for (const field of fqKeptFields(form)) {
      const entry = (kept.get(field.name) || []).shift();
      if (!entry) continue;
      if (entry.checked === null) field.value = entry.value;
      else if (field.value === entry.value) field.checked = entry.checked;
    }
    // The form's own folded parts holding what was typed are opened, and
    // the fold the form itself sits in (a case's action, say).
    for (const details of form.querySelectorAll("details")) {
      if (fqKeptFields(details).some(fqChanged)) details.open = true;
    }
    const around = form.closest("details");
    if (around) around.open = true;
  };

  const tellWorker = async (type) => {
    const worker = await navigator.serviceWorker.ready;
    if (worker.active) worker.active.postMessage({ type });
  };
  document.addEventListener("DOMContentLoaded", async () => {
    fillTyped();
    await fqPage();
    if (!navigator.serviceWorker) return;
    // Photos go through the worker: offered once it runs the page.
    const offerPhotos = () => {
      const photos = document.getElementById("scene-photos");
      if (photos && photos.hidden && navigator.serviceWorker.controller) photos.hidden = false;
    };
    offerPhotos();
    new MutationObserver(offerPhotos).observe(document.body, { childList: true, subtree: true });
    const send = document.getElementById("waiting-send");
    if (send) send.addEventListener("click", () => tellWorker("fq-send"));
    // Opened with a network: make sure the worker knows who is signed in
    // (it may not have seen the sign-in), and send what waits.
    if (navigator.onLine) {
      if (!(await fqWaiting.account())) await tellWorker("fq-who");
      if (send) await tellWorker("fq-send");
    }
  });
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "fq-waiting") fqPage();
    });
  }
}
