#!/usr/bin/env python3
"""Renders Backprop's HTML reports in headless Chromium and fails when a page does not fit.

    scripts/browser-check.py [--screenshots DIR] [--width PX] PAGE_OR_DIRECTORY...

A directory stands for every .html page under it (report.html, evaluation.html). For each page, a copy with a small measuring
script is written next to it (so that its images resolve as they do for the page itself), rendered
with `chromium --headless --dump-dom`, and removed; the report pages themselves hold no script.
The script writes its verdict into the DOM (an element with id "backprop-browser-check"), which
this program reads. A page fails when:

- the page, or any element, overflows its box horizontally (content wider than a scrolling box
  counts too: a table must wrap, never hide a column behind a scrollbar);
- text of a chart is clipped: an SVG <text> lies outside its SVG's view box;
- an image or chart is missing: an <img> that did not load, an <svg> of zero size;
- the page logs a console error or throws.

With --screenshots, a PNG of each page is kept in DIR (for CI artefacts). Exit status 0 when every
page passes, 1 otherwise (each failure printed with its page), 2 for a usage error.
Python 3 standard library only.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

MARKER_ID = "backprop-browser-check"

# Runs after load; measures, then writes a JSON verdict into the DOM for --dump-dom.
CHECK_SCRIPT = r"""
<script>
(function () {
  var problems = [];
  window.addEventListener("error", function (e) {
    problems.push("script error: " + (e.message || (e.target && (e.target.src || e.target.outerHTML))));
  }, true);
  var originalError = console.error;
  console.error = function () {
    problems.push("console error: " + Array.prototype.join.call(arguments, " "));
    originalError.apply(console, arguments);
  };
  function describe(el) {
    var text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 60);
    return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (el.className && typeof el.className === "string" ? "." + el.className : "") +
      (text ? " \"" + text + "\"" : "");
  }
  function measure() {
    var doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth + 1) {
      problems.push("page overflows horizontally: " + doc.scrollWidth + " px wide in a " + doc.clientWidth + " px window");
    }
    var all = document.body.querySelectorAll("*");
    for (var i = 0; i < all.length; i++) {
      var el = all[i];
      if (el.closest("svg") || el.tagName === "SCRIPT") continue;
      // Content wider than its box: hidden behind a scrollbar or spilling out.
      if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 &&
          getComputedStyle(el).display !== "inline") {
        problems.push("content overflows its box (" + el.scrollWidth + " > " + el.clientWidth + " px): " + describe(el));
      }
      var parent = el.parentElement;
      if (parent && parent !== document.body && getComputedStyle(el).position !== "absolute") {
        var r = el.getBoundingClientRect(), p = parent.getBoundingClientRect();
        if (r.width > 0 && (r.right > p.right + 1 || r.left < p.left - 1)) {
          problems.push("element sticks out of its parent by " + Math.round(Math.max(r.right - p.right, p.left - r.left)) + " px: " + describe(el));
        }
      }
    }
    var images = document.images;
    for (var j = 0; j < images.length; j++) {
      if (!images[j].complete || images[j].naturalWidth === 0) problems.push("image missing: " + images[j].getAttribute("src"));
    }
    var svgs = document.querySelectorAll("svg");
    for (var k = 0; k < svgs.length; k++) {
      var svg = svgs[k], box = svg.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) { problems.push("chart of zero size: " + describe(svg)); continue; }
      var view = svg.viewBox && svg.viewBox.baseVal;
      var width = view && view.width ? view.width : box.width, height = view && view.height ? view.height : box.height;
      var texts = svg.querySelectorAll("text");
      for (var t = 0; t < texts.length; t++) {
        var b = texts[t].getBBox();
        var m = texts[t].getCTM && texts[t].getCTM();
        // Rotated labels: measure in the SVG's coordinates through their transform.
        var x0 = b.x, x1 = b.x + b.width, y0 = b.y, y1 = b.y + b.height;
        if (m && texts[t].transform.baseVal.numberOfItems > 0) {
          var tm = texts[t].transform.baseVal.consolidate().matrix;
          var xs = [tm.a * x0 + tm.c * y0 + tm.e, tm.a * x1 + tm.c * y1 + tm.e, tm.a * x0 + tm.c * y1 + tm.e, tm.a * x1 + tm.c * y0 + tm.e];
          var ys = [tm.b * x0 + tm.d * y0 + tm.f, tm.b * x1 + tm.d * y1 + tm.f, tm.b * x0 + tm.d * y1 + tm.f, tm.b * x1 + tm.d * y0 + tm.f];
          x0 = Math.min.apply(null, xs); x1 = Math.max.apply(null, xs); y0 = Math.min.apply(null, ys); y1 = Math.max.apply(null, ys);
        }
        if (x0 < -1 || y0 < -1 || x1 > width + 1 || y1 > height + 1) {
          problems.push("chart text clipped: \"" + texts[t].textContent + "\" spans x " + Math.round(x0) + "…" + Math.round(x1) +
            " in a chart " + width + " wide");
        }
      }
    }
    var figures = document.querySelectorAll("figure");
    for (var n = 0; n < figures.length; n++) {
      if (!figures[n].querySelector("svg, img")) problems.push("figure without its image or chart: " + describe(figures[n]));
    }
    var out = document.createElement("pre");
    out.id = "MARKER";
    out.textContent = JSON.stringify(problems);
    document.body.appendChild(out);
  }
  if (document.readyState === "complete") { setTimeout(measure, 0); }
  else { window.addEventListener("load", function () { setTimeout(measure, 0); }); }
})();
</script>
""".replace("MARKER", MARKER_ID)


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def pages(arguments):
    found = []
    for argument in arguments:
        if os.path.isdir(argument):
            for root, _, files in os.walk(argument):
                found += [os.path.join(root, f) for f in files
                          if f.endswith(".html") and not f.startswith(".browser-check-")]
        elif os.path.isfile(argument):
            found.append(argument)
        else:
            raise SystemExit(f"browser-check: {argument}: no such file or directory")
    return sorted(found)


def chromium_command(chromium, width, extra):
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--hide-scrollbars", "--allow-file-access-from-files",
            "--enable-logging=stderr", "--v=0", f"--window-size={width},1200",
            "--virtual-time-budget=5000"] + extra


def check(page, chromium, width, screenshots):
    """The problems found on `page`, as a list of strings."""
    with open(page, encoding="utf-8") as handle:
        html = handle.read()
    if "<script" in html.lower():
        problems = ["page holds a <script> element (reports must not need one)"]
    else:
        problems = []
    if re.search(r"""(src|href)\s*=\s*["']https?://""", html):
        problems.append("page loads a file from the network")
    instrumented = html.replace("</body>", CHECK_SCRIPT + "</body>") if "</body>" in html else html + CHECK_SCRIPT
    directory = os.path.dirname(os.path.abspath(page))
    handle, copy = tempfile.mkstemp(prefix=".browser-check-", suffix=".html", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(instrumented)
        with tempfile.TemporaryDirectory() as profile:
            result = subprocess.run(
                chromium_command(chromium, width, [f"--user-data-dir={profile}", "--dump-dom", "file://" + copy]),
                capture_output=True, text=True, timeout=120)
    finally:
        os.unlink(copy)
    match = re.search(r'<pre id="%s">(.*?)</pre>' % MARKER_ID, result.stdout, re.S)
    if not match:
        problems.append(f"no verdict from the page (chromium exit {result.returncode}): {result.stderr.strip()[-400:]}")
    else:
        text = match.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
        problems += json.loads(text)
    for line in result.stderr.splitlines():
        if "CONSOLE" in line and ("ERROR" in line or "Uncaught" in line):
            problems.append("console: " + line.strip()[:300])
    if screenshots:
        os.makedirs(screenshots, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", os.path.relpath(os.path.abspath(page), os.path.commonpath([os.getcwd(), os.path.abspath(page)])))
        target = os.path.abspath(os.path.join(screenshots, name[-120:] + ".png"))
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(chromium_command(chromium, width, [
                f"--user-data-dir={profile}", f"--screenshot={target}", f"--window-size={width},2400",
                "file://" + os.path.abspath(page)]), capture_output=True, timeout=120)
    return problems


SELF_TEST_STYLE = "<style>body{margin:0} main{max-width:600px;margin:0 auto} .table-wrap{overflow-x:auto}</style>"


def self_test(chromium, width):
    """The check itself: a page that fits must pass, and pages with an overflowing table, a clipped
    chart title or a missing image must each fail. Returns the number of wrong verdicts."""
    table = "<div class='table-wrap'><table><tr>%s</tr></table></div>"
    cells = "".join("<td>%s</td>" % ("directory_name_%d" % i) for i in range(12))
    pages = {
        "fits": (True, "<p>ok</p>" + table % "<td>a</td><td>b</td>"
                 + "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='50' viewBox='0 0 200 50'>"
                   "<text x='100' y='20' text-anchor='middle'>title</text></svg>"),
        "overflowing-table": (False, table % cells.replace("<td>", "<td style='white-space:nowrap'>")),
        "clipped-chart-title": (False, "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='50' viewBox='0 0 200 50'>"
                                "<text x='20' y='20' text-anchor='middle'>a title much too long to fit here</text></svg>"),
        "missing-image": (False, "<figure><img src='absent.png' alt='absent'></figure>"),
    }
    wrong = 0
    with tempfile.TemporaryDirectory() as directory:
        for name, (should_pass, body) in pages.items():
            path = os.path.join(directory, name + ".html")
            with open(path, "w", encoding="utf-8") as out:
                out.write("<!DOCTYPE html><html><head><meta charset='utf-8'><title>t</title>" + SELF_TEST_STYLE
                          + "</head><body><main>" + body + "</main></body></html>")
            problems = check(path, chromium, width, None)
            verdict = "passes" if not problems else "fails (" + "; ".join(problems)[:200] + ")"
            right = (not problems) == should_pass
            wrong += 0 if right else 1
            print(f"{'ok  ' if right else 'WRONG'} self-test page {name} {verdict}")
    return wrong


def main():
    parser = argparse.ArgumentParser(description="Checks report pages in headless Chromium.")
    parser.add_argument("paths", nargs="*", help="report pages, or directories searched for .html pages")
    parser.add_argument("--self-test", action="store_true",
                        help="first check the check: deliberately broken pages must fail, a fitting one pass")
    parser.add_argument("--screenshots", help="directory for a PNG of each page")
    parser.add_argument("--width", type=int, default=1024, help="window width in CSS pixels (default 1024)")
    arguments = parser.parse_args()
    chromium = find_chromium()
    if not chromium:
        print("browser-check: no chromium on PATH (Debian: apt-get install -y chromium)", file=sys.stderr)
        return 2
    if arguments.self_test and self_test(chromium, arguments.width):
        print("browser-check: the check itself gave a wrong verdict", file=sys.stderr)
        return 1
    if arguments.self_test and not arguments.paths:
        return 0
    found = pages(arguments.paths)
    if not found:
        print("browser-check: no .html page under " + ", ".join(arguments.paths), file=sys.stderr)
        return 2
    failed = 0
    for page in found:
        problems = check(page, chromium, arguments.width, arguments.screenshots)
        if problems:
            failed += 1
            print(f"FAIL {page}")
            for problem in problems[:20]:
                print(f"  - {problem}")
            if len(problems) > 20:
                print(f"  … and {len(problems) - 20} more")
        else:
            print(f"ok   {page}")
    print(f"browser-check: {len(found) - failed} of {len(found)} pages pass")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
