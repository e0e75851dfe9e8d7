// rumorgraph page: click a source to see its chains to the origins.
// Everything the page shows comes from the JSON block below it, written
// into the page with textContent only (never as markup).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("rumorgraph-data").textContent);
  var panel = document.getElementById("panel");
  var hint = panel.firstElementChild;
  var current = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function sourceOf(id) {
    var m = /^n(\d+)-(\d+)$/.exec(id);
    if (!m) return null;
    var claim = data.claims[+m[1]];
    return claim ? claim.sources[m[2]] || null : null;
  }
  function svgOf(k) {
    return document.querySelector("#claim-" + k + " svg");
  }
  function clear() {
    var all = document.querySelectorAll(".diagram .hl, .diagram .sel");
    for (var i = 0; i < all.length; i++) all[i].classList.remove("hl", "sel");
    var svgs = document.querySelectorAll(".diagram svg.dimmed");
    for (var j = 0; j < svgs.length; j++) svgs[j].classList.remove("dimmed");
    current = null;
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    if (hint) panel.appendChild(hint);
  }
  function select(id) {
    var s = sourceOf(id);
    if (!s) return;
    clear();
    current = id;
    var k = +/^n(\d+)-/.exec(id)[1];
    var svg = svgOf(k);
    if (svg) svg.classList.add("dimmed");
    s.nodes.concat(s.edges).forEach(function (x) {
      var e = document.getElementById(x);
      if (e) e.classList.add("hl");
    });
    var me = document.getElementById(id);
    if (me) me.classList.add("hl", "sel");
    show(s, data.claims[k]);
  }
  function show(s, claim) {
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    var close = el("button", "clear", "Clear");
    close.type = "button";
    close.addEventListener("click", clear);
    panel.appendChild(close);
    panel.appendChild(el("h2", null, s.name));
    var facts = [s.kind, "id " + s.id];
    if (s.reliability) facts.push("reliability " + s.reliability);
    if (s.first) facts.push("first report " + s.first);
    panel.appendChild(el("p", "meta", facts.join(" · ")));
    panel.appendChild(el("p", null, "Claim " + claim.id + ": " + claim.text));
    var fig = el("p", null, "roots " + s.roots + " · chains " + s.chains +
      (s.origin ? " · an origin (" + s.origin + ")" : ""));
    panel.appendChild(fig);
    if (s.relays.length) {
      panel.appendChild(el("p", "relay", "Fewer chains than origins: every chain passes through " +
        s.relays.join(", ") + "."));
    }
    if (!s.trace.length) {
      panel.appendChild(el("p", "notes", "Not in the claim's support graph: its reports of the claim only deny, query or comment, so no chain leads to it."));
    }
    panel.appendChild(el("h3", null, "Chains to the origins (" + s.trace.length + ")"));
    var ol = el("ol", "chains");
    s.trace.forEach(function (line) { ol.appendChild(el("li", null, line)); });
    panel.appendChild(ol);
    if (s.cut) panel.appendChild(el("p", "notes", s.cut));
    panel.appendChild(el("h3", null, "Reports on this claim (" + s.reports.length + ")"));
    var ul = el("ul", "reports");
    s.reports.forEach(function (r) {
      var li = el("li");
      var head = [r.date || "undated", r.stance];
      if (r.cites.length) head.push("cites " + r.cites.join(", "));
      else head.push(r.basis);
      li.appendChild(el("div", null, head.join(" · ")));
      if (r.quote) li.appendChild(el("blockquote", null, r.quote));
      if (r.notes) li.appendChild(el("div", "notes", r.notes));
      if (r.link) {
        var a = el("a", null, r.link);
        a.href = r.link;
        a.rel = "noopener noreferrer";
        a.target = "_blank";
        li.appendChild(a);
      } else if (r.url) {
        li.appendChild(el("div", "notes", r.url));
      }
      ul.appendChild(li);
    });
    panel.appendChild(ul);
  }

  // Every source node: focusable, selectable by click, Enter or Space.
  var nodes = document.querySelectorAll(".diagram g.node");
  for (var i = 0; i < nodes.length; i++) {
    var g = nodes[i];
    if (!sourceOf(g.id)) continue;
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
    g.setAttribute("aria-label", sourceOf(g.id).name);
    g.addEventListener("click", function (ev) { ev.preventDefault(); select(this.id); });
    g.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); select(this.id); }
    });
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && current) clear();
  });

  // Search: sources and claims by id or name.
  var box = document.getElementById("q");
  var results = document.getElementById("results");
  function search() {
    while (results.firstChild) results.removeChild(results.firstChild);
    var q = box.value.trim().toLowerCase();
    if (!q) return;
    var hits = [];
    data.claims.forEach(function (c, k) {
      if (c.id.toLowerCase().indexOf(q) >= 0 || c.text.toLowerCase().indexOf(q) >= 0) {
        hits.push({ label: "claim " + c.id, go: function () { location.hash = "claim-" + k; } });
      }
      Object.keys(c.sources).forEach(function (key) {
        var s = c.sources[key];
        if (s.id.toLowerCase().indexOf(q) >= 0 || s.name.toLowerCase().indexOf(q) >= 0) {
          hits.push({ label: s.name + " (" + s.id + ") in " + c.id, go: function () {
            select("n" + k + "-" + key);
            var e = document.getElementById("n" + k + "-" + key);
            if (e) { e.scrollIntoView({ block: "center" }); e.focus(); }
          } });
        }
      });
    });
    hits.slice(0, 20).forEach(function (h) {
      var b = el("button", null, h.label);
      b.type = "button";
      b.addEventListener("click", h.go);
      var li = el("li");
      li.appendChild(b);
      results.appendChild(li);
    });
    if (hits.length > 20) results.appendChild(el("li", "meta", (hits.length - 20) + " more: type more of the name"));
    if (!hits.length) results.appendChild(el("li", "meta", "nothing matches"));
  }
  box.addEventListener("input", search);
  box.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var first = results.querySelector("button");
      if (first) first.click();
    }
  });

  // A link may name a source to select: #select=CLAIM-INDEX/SOURCE-ID.
  function fromHash() {
    var m = /^#select=(\d+)\/(.+)$/.exec(location.hash);
    if (!m) return;
    var claim = data.claims[+m[1]];
    if (!claim) return;
    var id = decodeURIComponent(m[2]);
    Object.keys(claim.sources).forEach(function (key) {
      if (claim.sources[key].id !== id) return;
      select("n" + m[1] + "-" + key);
      var e = document.getElementById("n" + m[1] + "-" + key);
      if (e) e.scrollIntoView({ block: "center" });
    });
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();

  // Test hook: #test-click=CLAIM-INDEX clicks every source of that claim,
  // as a reader would, and writes what the page then showed as JSON into
  // #test-result, with the resources the page loaded and any policy
  // violation.
  var violations = [];
  document.addEventListener("securitypolicyviolation", function (ev) {
    violations.push(ev.violatedDirective + " " + ev.blockedURI);
  });
  var test = /^#test-click=(\d+)$/.exec(location.hash);
  if (test) {
    var k = +test[1];
    var out = { sources: {}, resources: [], violations: violations };
    var svg = svgOf(k);
    var own = svg ? svg.querySelectorAll("g.node") : [];
    for (var n = 0; n < own.length; n++) {
      var s = sourceOf(own[n].id);
      if (!s) continue;
      own[n].dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
      var lit = svg.querySelectorAll("g.node.hl");
      var ids = [];
      for (var j = 0; j < lit.length; j++) ids.push(sourceOf(lit[j].id).id);
      var lines = [];
      var items = panel.querySelectorAll("ol.chains li");
      for (var m = 0; m < items.length; m++) lines.push(items[m].textContent);
      out.sources[s.id] = { highlighted: ids.sort(), chains: lines, panel: panel.querySelector("h2").textContent };
    }
    out.resources = performance.getEntriesByType("resource").map(function (e) { return e.name; });
    var pre = document.getElementById("test-result");
    pre.textContent = JSON.stringify(out);
  }
})();
