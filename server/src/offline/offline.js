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
 * `{ id, account, endpoint, page, body, savedAt, state, message }`: `id` is
 * the idempotency key in `body` (the form as posted from `page`), `account` the person
 * signed in when it was kept (no one else sees or sends it), `state`
 * "waiting" or "refused" (then `message` is the server's answer). */
const fqWaiting = (() => {
  const DB = "fengqiao";
  const ITEMS = "waiting";
  const META = "meta";

  function open() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => {
        const db = req.result;
        db.createObjectStore(ITEMS, { keyPath: "id" }).createIndex("account", "account");
        db.createObjectStore(META);
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

/** The page whose form a waiting item is fixed in. */
function fqFormPage(endpoint, page) {
  const pages = FQ_QUEUED[endpoint].pages;
  return pages.includes(page) ? page : pages[0];
}

if (typeof document !== "undefined") {
  const fqPage = async () => {
    const account = await fqWaiting.account();
    const items = account ? await fqWaiting.items(account) : [];
    const banner = document.getElementById("waiting-banner");
    if (banner && location.pathname !== "/waiting") {
      banner.hidden = items.length === 0;
      banner.textContent = (banner.dataset.text || "").replace("{n}", String(items.length));
    }
    const list = document.getElementById("waiting-list");
    if (list) showList(list, items);
    fillFromWaiting(items);
  };

  /** The list at /waiting: each item, its state, and what can be done. */
  const showList = (list, items) => {
    const texts = document.getElementById("waiting").dataset;
    const saved = document.getElementById("waiting-saved");
    if (saved && new URLSearchParams(location.search).has("saved")) {
      const waiting = items.filter((i) => i.state === "waiting").length;
      saved.textContent = texts.saved.replace("{n}", String(waiting));
      saved.hidden = waiting === 0;
    }
    document.getElementById("waiting-empty").hidden = items.length > 0;
    list.replaceChildren(
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
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link-button";
        remove.textContent = texts.remove;
        remove.addEventListener("click", async () => {
          await fqWaiting.remove(item.id);
          await fqPage();
        });
        li.append(remove);
        return li;
      }),
    );
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

  const tellWorker = async (type) => {
    const worker = await navigator.serviceWorker.ready;
    if (worker.active) worker.active.postMessage({ type });
  };
  document.addEventListener("DOMContentLoaded", async () => {
    await fqPage();
    if (!navigator.serviceWorker) return;
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
