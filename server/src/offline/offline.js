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
 * "waiting" or "refused" (then `message` is the server's answer). */
const fqWaiting = (() => {
  const DB = "fengqiao";
  const ITEMS = "waiting";
  const META = "meta";
  // A report's photos: `{ key, account, code, photos, refused, savedAt }`,
  // `key` the report's idempotency key, `code` its case once it is made,
  // `photos` the pictures still to send (Files), `refused` the messages of
  // those the server would not take.
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
 * holding each one's idempotency key, and the pages with a form for it (a
 * refused one is fixed in the form it was made in; the first is the one
 * with every field). The worker and the pages read this one table. */
const FQ_QUEUED = {
  "/api/cases/report": { key: "intake_key", pages: ["/cases/new", "/cases/quick"] },
  "/api/patrols/record": { key: "submit_key", pages: ["/patrols"] },
};

/** The most photos a report takes. */
const FQ_MOST_PHOTOS = 9;

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
    const banner = document.getElementById("waiting-banner");
    const count = items.length + photoSets.length;
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
      const waiting = items.filter((i) => i.state === "waiting").length;
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
        state.textContent = set.code ? `${texts.photosTo} ${set.code}` : texts.photosWith;
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
        state.textContent = item.state === "refused" ? `${texts.refused}${item.message || ""}` : texts.waiting;
        li.append(what, when, state);
        if (item.state === "refused") {
          const fix = document.createElement("a");
          fix.className = "button";
          // A page load, not the application's own navigation: this script fills it.
          fix.rel = "external";
          fix.href = `${fqFormPage(item.endpoint, item.page)}#waiting=${encodeURIComponent(item.id)}`;
          fix.textContent = texts.fix;
          li.append(fix, " ");
        }
        // A report deleted takes its photos with it.
        li.append(
          removeButton(texts, () => Promise.all([fqWaiting.remove(item.id), fqWaiting.removePhotoSet(item.id)])),
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
   * (its key too, so sending it settles the item), and why it was refused. */
  const fillFromWaiting = (items) => {
    const id = new URLSearchParams(location.hash.slice(1)).get("waiting");
    const item = id && items.find((i) => i.id === id);
    if (!item || fqFormPage(item.endpoint, item.page) !== location.pathname) return;
    const form = document.querySelector(`form[action="${item.endpoint}"]`);
    if (!form) return;
    for (const [name, value] of new URLSearchParams(item.body)) {
      const field = form.elements.namedItem(name);
      if (!field) continue;
      // A checkbox is posted only when ticked; a group of radios takes the value.
      if (field.type === "checkbox") field.checked = true;
      else field.value = value;
    }
    const banner = document.getElementById("waiting-banner");
    if (banner && item.message) {
      banner.hidden = false;
      banner.removeAttribute("href");
      banner.textContent = `${banner.dataset.refused || ""}${item.message}`;
    }
  };

  /** A report with photos: they cannot ride in the report's own form (a
   * server function's urlencoded post), so they wait on the phone under the
   * report's key, the report goes to the worker, and the worker sends them
   * to its case once the case is made, now or when the network is back. */
  const sendWithPhotos = async (form, input) => {
    const key = form.elements.namedItem("intake_key").value;
    const button = form.querySelector('button[type="submit"]');
    const status = document.getElementById("report-photos-status");
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
      if (!kept || !kept.code) {
        await fqWaiting.putPhotoSet({
          key,
          // Whoever the worker knows; if nobody yet, the worker makes them
          // the sender's when the report goes.
          account: await fqWaiting.account(),
          code: null,
          photos: [...input.files].slice(0, FQ_MOST_PHOTOS),
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
      if (response.ok) {
        location.assign(`/cases/${encodeURIComponent(await response.json())}`);
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
      const input = document.getElementById("report-photo");
      if (!input || !input.files || input.files.length === 0) return;
      if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return;
      if (new URL(form.action, location.href).pathname !== "/api/cases/report") return;
      event.preventDefault();
      event.stopImmediatePropagation();
      sendWithPhotos(form, input);
    },
    true,
  );

  const tellWorker = async (type) => {
    const worker = await navigator.serviceWorker.ready;
    if (worker.active) worker.active.postMessage({ type });
  };
  document.addEventListener("DOMContentLoaded", async () => {
    await fqPage();
    if (!navigator.serviceWorker) return;
    // Photos go through the worker: offered once it runs the page, on a
    // page loaded or drawn by the application's own navigation.
    const offerPhotos = () => {
      const photos = document.getElementById("report-photos");
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
  // Without a network the application's own navigation and forms cannot
  // reach the server: let the browser load the page or post the form, so
  // that the worker answers with the kept copy or keeps the form.
  window.addEventListener(
    "click",
    (event) => {
      if (navigator.onLine) return;
      const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (link && link.origin === location.origin) event.stopImmediatePropagation();
    },
    true,
  );
  window.addEventListener(
    "submit",
    (event) => {
      if (!navigator.onLine && FQ_QUEUED[new URL(event.target.action, location.href).pathname]) {
        event.stopImmediatePropagation();
      }
    },
    true,
  );
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "fq-waiting") fqPage();
    });
  }
}
