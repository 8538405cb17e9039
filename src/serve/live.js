// Live reload for `ayni serve`: listens to the preview's event stream,
// reloads the page after a rebuild, swaps stylesheets when only CSS
// changed, and shows content errors over the page until they are fixed.
(function () {
  "use strict";
  if (!window.EventSource) return;
  var OVERLAY = "ayni-errors";
  var source = new EventSource("/__ayni/events");

  function hide() {
    var old = document.getElementById(OVERLAY);
    if (old) old.remove();
  }

  function show(report) {
    hide();
    var box = document.createElement("div");
    box.id = OVERLAY;
    box.setAttribute("role", "alertdialog");
    // `--lang` may make the overlay's language differ from the page's.
    if (report.lang) box.setAttribute("lang", report.lang);
    box.setAttribute("aria-labelledby", OVERLAY + "-title");
    box.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(11,12,12,.94);" +
      "color:#fff;font:16px/1.5 system-ui,sans-serif;padding:2rem 1rem";
    var inner = document.createElement("div");
    inner.style.cssText = "max-width:60rem;margin:0 auto";
    var title = document.createElement("h1");
    title.id = OVERLAY + "-title";
    title.style.cssText = "font-size:1.5rem;margin:0 0 .5rem;color:#ffdd00";
    title.textContent = report.title;
    inner.appendChild(title);
    var note = document.createElement("p");
    note.style.cssText = "margin:0 0 1rem";
    note.textContent = report.note;
    inner.appendChild(note);
    var list = document.createElement("ol");
    list.style.cssText = "padding:0;list-style:none";
    report.errors.forEach(function (e) {
      var item = document.createElement("li");
      item.className = OVERLAY + "__error";
      item.style.cssText = "margin:0 0 1rem;border-left:4px solid #d4351c;padding-left:1rem";
      var where = document.createElement("p");
      where.style.cssText = "margin:0;font-weight:bold";
      where.textContent = e.location ? e.location + ": " + e.message : e.message;
      item.appendChild(where);
      var pre = document.createElement("pre");
      pre.style.cssText =
        "margin:.5rem 0 0;padding:.75rem;background:#000;color:#f3f2f1;overflow:auto;" +
        "font:14px/1.4 ui-monospace,monospace;white-space:pre";
      pre.textContent = e.text;
      item.appendChild(pre);
      list.appendChild(item);
    });
    inner.appendChild(list);
    box.appendChild(inner);
    (document.body || document.documentElement).appendChild(box);
  }

  source.addEventListener("reload", function () {
    location.reload();
  });
  source.addEventListener("css", function () {
    hide();
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      url.searchParams.set("ayni-live", String(Date.now()));
      link.href = url.toString();
    });
  });
  source.addEventListener("errors", function (event) {
    show(JSON.parse(event.data));
  });
})();
