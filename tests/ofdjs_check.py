#!/usr/bin/env python3
"""Opens gongwen's OFD files with a second OFD reader nobody here wrote —
the npm package `ofd.js` (0.2.6, Apache-2.0, the last release whose core is
open: 1.5.0 answers “授权信息错误” without a licence key) — running in
headless Chromium, and compares what it draws with gongwen's PDF of the same
document (read with PyMuPDF, as tests/ofd_check.py does):

- the same number of pages;
- the same characters in the same reading order on every page;
- every character at the same place within 0.2 mm: its origin as ofd.js
  placed the SVG <text> on the page (the element's x/y through its screen
  transform, relative to the page box ofd.js drew, scaled by the page's
  width in mm).

Usage: ofdjs_check.py OFD_JS_DIR A.ofd A.pdf [B.ofd B.pdf ...]
OFD_JS_DIR holds lib/ofd.umd.min.js (`npm pack ofd.js@0.2.6`, unpacked).
Exit 0: all match; 1: a mismatch (described); 77: Chromium, ofd.js or
PyMuPDF is missing.
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ofd_check import compare, pdf_chars, reading_order  # noqa: E402

PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<div id="out"></div><pre id="result"></pre>
<script src="ofd.js"></script>
<script>
function report(v) { document.getElementById('result').textContent = JSON.stringify(v); }
ofd.parseOfdDocument({ofd: 'doc.ofd', success: function (res) {
  try {
    var doc = Array.isArray(res) ? res[0] : res;
    var divs = ofd.renderOfd(794, doc);
    var out = document.getElementById('out');
    divs.forEach(function (d) { out.appendChild(d); });
    var pages = [];
    divs.forEach(function (div) {
      var box = div.getBoundingClientRect();
      var chars = [];
      div.querySelectorAll('text').forEach(function (t) {
        var xs = (t.getAttribute('x') || '0').trim().split(/[\\s,]+/).map(parseFloat);
        var ys = (t.getAttribute('y') || '0').trim().split(/[\\s,]+/).map(parseFloat);
        var m = t.getScreenCTM();
        var s = Array.from(t.textContent);
        for (var i = 0; i < s.length; i++) {
          var p = t.ownerSVGElement.createSVGPoint();
          p.x = xs[Math.min(i, xs.length - 1)];
          p.y = ys[Math.min(i, ys.length - 1)];
          p = p.matrixTransform(m);
          chars.push([s[i], p.x - box.left, p.y - box.top]);
        }
      });
      pages.push({width: box.width, chars: chars});
    });
    report({pages: pages});
  } catch (e) { report({error: String(e)}); }
}, fail: function (e) { report({error: String(e)}); }});
</script></body></html>
"""


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def read_with_ofdjs(browser, lib, ofd_path):
    work = tempfile.mkdtemp(prefix="ofdjs")
    try:
        shutil.copy(lib, os.path.join(work, "ofd.js"))
        shutil.copy(ofd_path, os.path.join(work, "doc.ofd"))
        with open(os.path.join(work, "view.html"), "w", encoding="utf-8") as f:
            f.write(PAGE)
        out = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--allow-file-access-from-files",
                f"--user-data-dir={os.path.join(work, 'profile')}",
                "--virtual-time-budget=60000",
                "--dump-dom",
                "file://" + os.path.join(work, "view.html"),
            ],
            capture_output=True,
            timeout=180,
        )
        dom = out.stdout.decode("utf-8", "replace")
        m = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
        if not m or not m.group(1).strip():
            return {"error": "ofd.js drew nothing (no result in the page)"}
        return json.loads(html.unescape(m.group(1)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv):
    if len(argv) < 4 or len(argv) % 2 != 0:
        print(__doc__)
        return 2
    lib = os.path.join(argv[1], "lib", "ofd.umd.min.js")
    browser = chromium()
    try:
        try:
            import pymupdf as fitz
        except ImportError:
            import fitz  # PyMuPDF before 1.24
    except Exception as e:  # noqa: BLE001
        print(f"PyMuPDF not available: {e}")
        return 77
    if not browser or not os.path.isfile(lib):
        print(f"ofd.js or Chromium not available (browser {browser}, {lib})")
        return 77
    version = json.load(open(os.path.join(argv[1], "package.json"), encoding="utf-8"))["version"]
    browser_version = subprocess.run([browser, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"reader: ofd.js {version} in {browser_version}")
    failures = []
    files = argv[2:]
    for ofd_path, pdf_path in zip(files[0::2], files[1::2]):
        got = read_with_ofdjs(browser, lib, ofd_path)
        pdf = fitz.open(pdf_path)
        problems = []
        if "error" in got:
            problems.append(f"ofd.js: {got['error']}")
            pages = []
        else:
            pages = got["pages"]
        if pages and len(pages) != pdf.page_count:
            problems.append(f"{len(pages)} pages drawn, the PDF has {pdf.page_count}")
        chars = 0
        worst = 0.0
        for n, page in enumerate(pages[: pdf.page_count]):
            scale = pdf[n].rect.width * 25.4 / 72 / page["width"]
            drawn = [(c, x * scale, y * scale) for c, x, y in page["chars"] if not c.isspace()]
            a = reading_order(drawn)
            b = reading_order(pdf_chars(pdf[n]))
            worst = max(worst, compare(n, "ofd.js", a, b, problems))
            chars += len(a)
        status = "ok" if not problems else "MISMATCH"
        print(
            f"{ofd_path}: {status}: {len(pages)} pages, {chars} characters, "
            f"largest position difference {worst:.3f} mm"
        )
        for p in problems[:10]:
            print(f"  {p}")
        failures.extend(problems)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
