// Interview Coach: a little plain JS on top of server-rendered pages (every page works without it).
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // Text with <mark> around [start, end) spans, built as DOM nodes (never as HTML strings).
  function marked(text, spans) {
    var frag = document.createDocumentFragment(), pos = 0;
    (spans || []).forEach(function (s) {
      if (s[0] < pos) return;
      frag.appendChild(document.createTextNode(text.slice(pos, s[0])));
      frag.appendChild(el("mark", "", text.slice(s[0], s[1])));
      pos = s[1];
    });
    frag.appendChild(document.createTextNode(text.slice(pos)));
    return frag;
  }

  // -- search as you type ------------------------------------------------------------------
  function setupSearch() {
    var input = document.getElementById("q"), box = document.getElementById("suggest");
    if (!input || !box) return;
    var timer = null, ctrl = null, sel = -1, last = "";

    function close() { box.hidden = true; sel = -1; }
    function links() { return box.querySelectorAll("a"); }
    function select(i) {
      var ls = links();
      if (!ls.length) return;
      sel = (i + ls.length) % ls.length;
      ls.forEach(function (a, k) { a.classList.toggle("sel", k === sel); });
    }
    function show(data) {
      box.textContent = "";
      var hits = data.hits || [];
      if (!hits.length) box.appendChild(el("div", "empty", "No match for “" + data.query + "”"));
      hits.forEach(function (h) {
        var a = el("a");
        a.href = "/questions/" + encodeURIComponent(h.question_id);
        a.setAttribute("role", "option");
        a.appendChild(el("span", "t", h.title));
        var v = el("span", "v");
        v.appendChild(el("span", "lang lang-" + h.lang, h.lang));
        v.appendChild(document.createTextNode(" "));
        v.appendChild(marked(h.text, h.marks));
        a.appendChild(v);
        box.appendChild(a);
      });
      var all = el("a", "more", "All results for “" + data.query + "” →");
      all.href = "/search?q=" + encodeURIComponent(data.query);
      box.appendChild(all);
      box.hidden = false;
      sel = -1;
    }
    function run() {
      var q = input.value.trim();
      if (q === last) return;
      last = q;
      if (!q) { close(); return; }
      if (ctrl) ctrl.abort();
      ctrl = new AbortController();
      fetch("/api/search?k=8&q=" + encodeURIComponent(q), {signal: ctrl.signal, headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json().then(function (d) { return {ok: r.ok, d: d}; }); })
        .then(function (res) {
          if (input.value.trim() !== q) return;
          if (res.ok) show(res.d);
          else { box.textContent = ""; box.appendChild(el("div", "empty", res.d.detail || "search failed")); box.hidden = false; }
        })
        .catch(function (e) { if (e.name !== "AbortError") close(); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 180); });
    input.addEventListener("keydown", function (e) {
      if (box.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); select(sel + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); select(sel - 1); }
      else if (e.key === "Escape") { close(); }
      else if (e.key === "Enter" && sel >= 0) { e.preventDefault(); links()[sel].click(); }
    });
    document.addEventListener("click", function (e) { if (!box.contains(e.target) && e.target !== input) close(); });
    document.addEventListener("keydown", function (e) {
      if (e.key === "/" && !isTyping(e.target)) { e.preventDefault(); input.focus(); }
    });
  }

  function isTyping(t) {
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }

  // -- drill: Ctrl+Enter submits; 1–4 rate; Enter accepts the proposal ----------------------
  function setupDrill() {
    var answer = document.getElementById("answer"), form = document.getElementById("answer-form");
    if (answer && form) {
      answer.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(document.getElementById("submit-answer")); }
      });
    }
    var rate = document.getElementById("rate-form");
    if (rate) {
      document.addEventListener("keydown", function (e) {
        if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
        var b = null;
        if (/^[1-4]$/.test(e.key)) b = rate.querySelector('button[data-key="' + e.key + '"]');
        else if (e.key === "Enter" && !(e.target && e.target.tagName === "BUTTON")) b = rate.querySelector("button.proposed");
        if (b) { e.preventDefault(); rate.requestSubmit(b); }
      });
    }
    // hovering a key point outlines its evidence in the answer, and the other way round
    document.querySelectorAll("#points .point").forEach(function (li) {
      var n = li.getAttribute("data-point"), marks = document.querySelectorAll("#your-answer mark.p" + n);
      function on(v) { li.classList.toggle("hl", v); marks.forEach(function (m) { m.classList.toggle("hl", v); }); }
      li.addEventListener("mouseenter", function () { on(true); });
      li.addEventListener("mouseleave", function () { on(false); });
    });
  }

  // -- import job: poll its status until it is done, then show the report -------------------
  function setupJob() {
    var job = document.getElementById("job");
    if (!job || job.getAttribute("data-running") !== "true") return;
    var id = job.getAttribute("data-job-id"), label = document.getElementById("progress-label"),
        bar = document.getElementById("progress-bar"), state = document.getElementById("job-state");
    function poll() {
      fetch("/api/import/jobs/" + encodeURIComponent(id), {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (j) {
          if (!j.running) { window.location.reload(); return; }
          if (state) { state.textContent = j.state; state.className = "state state-" + j.state; }
          var p = j.progress;
          if (p && label) label.textContent = p.label + (p.total ? " " + p.done + "/" + p.total : "");
          if (p && bar) { if (p.total) { bar.max = p.total; bar.value = p.done; } else { bar.removeAttribute("value"); } }
          setTimeout(poll, 400);
        })
        .catch(function () { setTimeout(poll, 1500); });
    }
    setTimeout(poll, 250);
  }

  // -- forms that ask before doing something destructive ------------------------------------
  function setupConfirm() {
    document.querySelectorAll("form[data-confirm]").forEach(function (f) {
      f.addEventListener("submit", function (e) { if (!window.confirm(f.getAttribute("data-confirm"))) e.preventDefault(); });
    });
  }

  // -- mock interviews: a per-question timer that informs and never cuts off -------------------
  function setupMock() {
    var form = document.getElementById("mock-answer-form"), answer = document.getElementById("answer");
    if (form && answer) {
      answer.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(document.getElementById("submit-answer")); }
      });
    }
    var t = document.getElementById("timer");
    if (t) {
      var target = parseInt(t.getAttribute("data-target"), 10) || 0, begun = Date.now();
      var fmt = function (s) { return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2); };
      var tick = function () {
        var s = Math.floor((Date.now() - begun) / 1000);
        t.textContent = fmt(s) + " of " + fmt(target) + (s > target ? " — over the plan, take your time" : "");
        t.classList.toggle("over", s > target);
      };
      tick();
      setInterval(tick, 1000);
    }
    var p = document.getElementById("print-report");
    if (p) p.addEventListener("click", function (e) { e.preventDefault(); window.print(); });
  }

  window.coach = {csrf: csrf};
  document.addEventListener("DOMContentLoaded", function () { setupSearch(); setupDrill(); setupJob(); setupConfirm(); setupMock(); });
})();
