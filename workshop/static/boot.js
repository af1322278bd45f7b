/* Think&Do boot script, inline in the page shell (workshop/web.py). No request of its own.
   - Streamlit connects at the site's root: no probe of /me/_stcore/... (two 404s per phone).
   - Streamlit's icon font is not preloaded (375 KB a phone never draws).
   - <html lang> follows the page's language (a [data-td-lang] marker the app draws).
   - Streamlit's own English control names are given in French on French pages.
   - An idle personal page follows the room: it polls its room's marker over plain HTTP (a few
     bytes, no script run on the server) and presses the hidden follow button when it moved,
     once nothing typed is pending in a form.
   - The first view appears whole: the page stays behind its splash until Streamlit's widgets,
     drawn as skeletons until their pieces load, have stopped moving (app.css reserves the core
     path's sizes, which is what keeps the layout shift near 0).
   - The wall ([data-td-wall] marker) is laid out once, on a 1920×1080 canvas scaled to the
     screen: a 1280×720 projector shows exactly what a 1080p one does, two thirds the size, and
     the app can page its content knowing what fits.
   - The wall's clock presses its hidden tick button every second (workshop/ui/wall_clock.py).
   - A lost connection shows a banner in the page's language instead of Streamlit's dialog,
     and the page comes back by itself when the server answers again. */
(() => {
  window.__streamlit = Object.assign({}, window.__streamlit, { BACKEND_BASE_URL: window.location.origin + "/" });
  // Streamlit preloads its 375 KB icon font on every page; ours draw no icon on phones. A page
  // that does show one still gets the font, loaded by the browser when the icon appears.
  if (document.fonts && document.fonts.load) {
    const load = document.fonts.load.bind(document.fonts);
    document.fonts.load = (font, text) => (/Material Symbols/.test(String(font)) ? Promise.resolve([]) : load(font, text));
  }

  // Every language's words, from the catalogues (workshop/i18n), handed over by the front door:
  // {offline: [title, on a page, on the wall], names: {Streamlit's English: translated}, remove, perFile}.
  const WORDS = window.TD_WORDS || {};
  const wordsFor = (lang) => WORDS[lang] || WORDS.fr || {offline: ["", "", ""], names: {}, remove: "", perFile: ""};

  // Until the first view has settled: hidden behind the splash, at most 6 s.
  document.documentElement.classList.add("td-loading");
  let revealed = false;
  let lastHeight = -1;
  let steady = 0;
  let settling = null;
  function reveal() {
    if (revealed) return;
    revealed = true;
    clearInterval(settling);
    document.documentElement.classList.remove("td-loading");
  }
  setTimeout(reveal, 6000);
  function settle() {
    if (revealed) return;
    const app = document.querySelector('[data-testid="stApp"]');
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    // Streamlit draws a skeleton where a widget's piece has not loaded yet.
    const ready = app && main && app.getAttribute("data-test-connection-state") === "CONNECTED"
      && app.getAttribute("data-test-script-state") === "notRunning" && !main.querySelector('[data-testid="stSkeleton"]');
    if (!ready) { steady = 0; return; }
    const height = main.getBoundingClientRect().height;
    steady = height === lastHeight ? steady + 1 : 0;
    lastHeight = height;
    if (steady >= 2) reveal();
  }
  settling = setInterval(settle, 100);

  let pending = false;
  let lostSince = 0;
  let everConnected = false;

  function pageLang() {
    const marker = document.querySelector("[data-td-lang]");
    return marker ? marker.getAttribute("data-td-lang") : (document.documentElement.lang || "fr");
  }

  // Names given in the page's language keep Streamlit's original beside them, so a switch back to
  // English restores it (React does not rewrite an attribute whose value it did not change).
  function nameControls(lang) {
    const words = wordsFor(lang);
    const translates = Object.keys(words.names).length > 0;
    for (const el of document.querySelectorAll("[aria-label]")) {
      // Ours when it is still what we set; otherwise React gave a new English name (Open → Close).
      const current = el.getAttribute("aria-label"), before = el.getAttribute("data-td-en");
      const label = before !== null && current === el.getAttribute("data-td-named") ? before : current;
      let named = words.names[label];
      if (!named && translates && label.startsWith("Remove ")) named = words.remove.replace("{name}", label.slice(7));
      if (named && named !== label) {
        if (current !== named) { el.setAttribute("data-td-en", label); el.setAttribute("data-td-named", named); el.setAttribute("aria-label", named); }
      } else if (before !== null) {
        el.setAttribute("aria-label", label); el.removeAttribute("data-td-en"); el.removeAttribute("data-td-named");
      }
    }
    // Texts Streamlit writes in English; React may split one into several text nodes
    // ("1MB per file", " • JSON"): they are read as one, the translation put in the first.
    for (const el of document.querySelectorAll('[data-testid="stFileUploaderDropzone"] span, [data-testid="stFileUploaderDropzone"] small, [data-testid="stFileUploaderDropzone"] button, [data-testid="stFileUploaderDropzone"] button p, [data-testid="stBaseButton-secondary"], [data-testid="stSkipToContent"]')) {
      const nodes = [...el.childNodes];
      if (!nodes.length || nodes.some((n) => n.nodeType !== 3)) continue;
      const original = el._tdEn || nodes.map((n) => n.nodeValue);
      const text = original.join("").trim();
      const limit = /^(?:Limit )?(\d+)\s?MB per file(.*)$/.exec(text);
      const named = words.names[text] || (limit && translates ? words.perFile.replace("{mb}", limit[1]) + limit[2] : null);
      if (named) {
        if (nodes.map((n) => n.nodeValue).join("") !== named) {
          el._tdEn = original;
          nodes.forEach((n, i) => { n.nodeValue = i === 0 ? named : ""; });
        }
      } else if (el._tdEn) {
        nodes.forEach((n, i) => { n.nodeValue = el._tdEn[i] !== undefined ? el._tdEn[i] : ""; });
        el._tdEn = null;
      }
    }
  }

  function banner(lang) {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app ? app.getAttribute("data-test-connection-state") : null;
    if (state === "CONNECTED") { everConnected = true; lostSince = 0; }
    else if (everConnected && !lostSince) { lostSince = Date.now(); }
    const offline = everConnected && lostSince && Date.now() - lostSince > 1500;
    document.documentElement.classList.toggle("td-offline", Boolean(offline));
    if (offline) hideStreamlitDialog();
    let box = document.getElementById("td-offline");
    if (!offline) {
      if (box) box.hidden = true;
      for (const el of document.querySelectorAll("[data-td-hidden]")) el.removeAttribute("data-td-hidden");
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "td-offline";
      box.setAttribute("role", "alert");
      document.body.appendChild(box);
    }
    const [title, onPage, onWall] = wordsFor(lang).offline;
    const text = document.querySelector("[data-td-wall]") ? onWall : onPage;
    box.innerHTML = "";
    const strong = document.createElement("strong");
    strong.textContent = title;
    const span = document.createElement("span");
    span.textContent = " — " + text;
    box.append(strong, span);
    box.hidden = false;
  }

  // What the person is typing lives only in the browser until they press the form's button: a
  // redraw for a new round waits while a field they typed in still holds text, a dialog is open,
  // or a refusal is on screen (it quotes what they typed); their next action clears it.
  document.addEventListener("input", (e) => { if (e.target && "value" in e.target) e.target._tdTyped = true; }, true);
  function typing() {
    if (document.querySelector('[role="dialog"]:not([data-td-hidden] *)')) return true;
    if (document.querySelector('[data-testid="stAlertContentError"]')) return true;  // a refusal to read first
    for (const el of document.querySelectorAll("input, textarea")) {
      if (el._tdTyped && el.isConnected && el.value && el.value.trim()) return true;
    }
    return false;
  }

  let watching = false;
  let lastFollow = 0;

  async function watch() {
    const marker = document.querySelector("[data-td-watch]");
    if (!marker || watching || document.hidden) return;
    const every = 1000 * Number(marker.getAttribute("data-td-every") || 5);
    if (Date.now() - (marker._tdPolled || 0) < every - 200) return;
    marker._tdPolled = Date.now();
    watching = true;
    try {
      const reply = await fetch("/api/marker/" + encodeURIComponent(marker.getAttribute("data-td-watch")), { cache: "no-store" });
      const now = reply.ok ? await reply.text() : null;
      const button = document.querySelector(".st-key-td_follow button");
      // At most one redraw per 8 s, whatever the marker says: never a loop.
      if (now !== null && now !== marker.getAttribute("data-td-marker") && button && !typing() && Date.now() - lastFollow > 8000) {
        lastFollow = Date.now();
        button.click();
      }
    } catch (e) { /* offline: the banner says so; the next poll tries again */ }
    finally { watching = false; }
  }

  // The wall's clock: its hidden button pressed every second (workshop/ui/wall_clock.py reads the
  // room once and redraws only what changed: the round line, the view, rarely the page).
  let lastTick = 0;
  function tickWall() {
    const wall = document.querySelector("[data-td-wall]");
    const button = document.querySelector(".st-key-td_wall_tick button");
    if (!wall || !button || document.hidden) return;
    if (Date.now() - lastTick < 1000 * Number(wall.getAttribute("data-td-tick") || 1) - 100) return;
    lastTick = Date.now();
    button.click();
  }

  // Streamlit's own English "Connection error" modal: hidden up to its overlay (our banner says it).
  function hideStreamlitDialog() {
    for (const dialog of document.querySelectorAll('[role="dialog"]')) {
      if (!/Streamlit|Connection|connect/.test(dialog.textContent || "")) continue;
      let top = dialog;
      while (top.parentElement && top.parentElement !== document.body) top = top.parentElement;
      top.setAttribute("data-td-hidden", "");
    }
  }

  const WALL = [1920, 1080];
  function wallCanvas() {
    const wall = Boolean(document.querySelector("[data-td-wall]"));
    document.documentElement.classList.toggle("td-wall", wall);
    if (!wall) return;
    const scale = String(Math.min(window.innerWidth / WALL[0], window.innerHeight / WALL[1]));
    if (document.documentElement.style.getPropertyValue("--td-wall-scale") === scale) return;
    document.documentElement.style.setProperty("--td-wall-scale", scale);
    // Charts drawn before the canvas took their width from the window: measure again.
    window.dispatchEvent(new Event("resize"));
  }
  window.addEventListener("resize", () => schedule());
  // Streamlit sizes a chart from its container's on-screen box: on the scaled canvas that box
  // is the scaled one, and the chart would be drawn smaller again. Inside the canvas, boxes are
  // reported in canvas pixels (the wall is read-only: nothing relies on screen positions).
  const screenBox = Element.prototype.getBoundingClientRect;
  Element.prototype.getBoundingClientRect = function () {
    const rect = screenBox.call(this);
    const root = document.documentElement;
    if (!root.classList.contains("td-wall") || !this.closest || !this.closest("[data-testid='stAppViewContainer']")) return rect;
    const scale = parseFloat(root.style.getPropertyValue("--td-wall-scale")) || 1;
    return scale === 1 ? rect : new DOMRect(rect.x / scale, rect.y / scale, rect.width / scale, rect.height / scale);
  };
  Element.prototype.screenBox = screenBox;  // the true on-screen box (tests measure with it)

  function apply() {
    pending = false;
    wallCanvas();
    const lang = pageLang();
    if (document.documentElement.lang !== lang) document.documentElement.lang = lang;
    nameControls(lang);
    banner(lang);
  }

  function schedule() {
    if (!pending) { pending = true; requestAnimationFrame(apply); }
  }

  const style = document.createElement("style");
  style.textContent = [
    // Streamlit's English connection dialog and status give way to our banner.
    ".td-offline [data-testid='stStatusWidget'], [data-td-hidden] {display: none !important;}",
    "#td-offline {position: fixed; top: 0; left: 0; right: 0; z-index: 1000100; padding: .9rem 1.2rem; font: 600 1.25rem/1.35 'Source Sans', sans-serif;",
    " background: #8a1c1c; color: #fff; text-align: center; box-shadow: 0 2px 8px rgba(0,0,0,.35);}",
    "#td-offline[hidden] {display: none;}",
    ".td-wall, .td-wall body {overflow: hidden !important;}",
    ".td-wall [data-testid='stAppViewContainer'] {position: fixed !important; top: 0; left: 0; width: 1920px !important;",
    " height: 1080px !important; transform: scale(var(--td-wall-scale, 1)); transform-origin: 0 0; overflow: hidden !important;}",
    // Streamlit sizes its main area to the window (100vh): on the canvas it is the canvas.
    ".td-wall [data-testid='stAppViewContainer'] > *, .td-wall [data-testid='stMain'] {height: 1080px !important; max-height: 1080px !important;}",
    ".td-wall #td-offline {font-size: 2.2rem; padding: 1.4rem;}",
  ].join("\n");
  document.head.appendChild(style);

  document.addEventListener("DOMContentLoaded", () => {
    new MutationObserver(schedule).observe(document.body, {
      subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label", "data-test-connection-state", "data-td-lang"],
    });
    schedule();
  });
  setInterval(() => { schedule(); watch(); tickWall(); }, 1000);  // the banner's grace period ends without a DOM change
  document.addEventListener("visibilitychange", () => { if (!document.hidden) watch(); });
})();
