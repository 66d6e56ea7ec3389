#!/usr/bin/env python3
"""Opens gongwen's OFD files with an OFD reader nobody here wrote (PyPI
`easyofd`) and compares what it reads with gongwen's PDF of the same
document (read with PyMuPDF, which easyofd brings along):

- the same characters in the same reading order on every page;
- every character at the same place, within 0.2 mm (its origin on the
  baseline, as the reader computes it from TextCode X/Y and DeltaX/DeltaY);
- the page as easyofd draws it against the PDF's page, both at 2 px/mm,
  blurred a little: at most 1.5 % of the pixels differ by more than a quarter
  of the grey scale (easyofd draws all text in one font, so glyph shapes
  differ; a missing or shifted block of text does not pass; pages with
  turned text are not compared, see below).

Usage: ofd_check.py FONT.ttf A.ofd A.pdf [B.ofd B.pdf ...]
Exit 0: all match; 1: a mismatch (described); 77: easyofd is not installed.

Workarounds for easyofd, here and not in gongwen's output:
- it draws every character with a reportlab font named “宋体” (and older
  versions with the font named in PublicRes.xml, failing on names such as
  仿宋_GB2312 — easyofd issue #51); reportlab cannot load the CFF (.otf)
  fonts gongwen may embed (the bundled Noto faces), so FONT.ttf (a TrueType
  CJK font) is registered under “宋体” and under every FontName of the
  package.
- it logs to stderr at import; its logger is silenced.
- it reads a TextObject's CTM but applies only its scale and shift, so turned
  text (turned tables) lands elsewhere; for such objects the full CTM is
  applied here to the positions easyofd computes from X/Y/DeltaX/DeltaY.
"""
import base64
import io
import re
import sys
import zipfile

TOL_MM = 0.2
PIXEL_SHARE = 0.015


def main(argv):
    if len(argv) < 4 or len(argv) % 2 != 0:
        print(__doc__)
        return 2
    try:
        import importlib.metadata as md

        version = md.version("easyofd")
        from loguru import logger

        logger.remove()
        import fitz  # PyMuPDF
        import numpy as np
        from PIL import Image, ImageFilter
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from easyofd.ofd import OFD
        from easyofd.draw.draw_pdf import DrawPDF
    except Exception as e:  # noqa: BLE001 - any failure means "no reader"
        print(f"easyofd not available: {e}")
        return 77
    print(f"reader: easyofd {version} (PyMuPDF {fitz.VersionBind})")
    import os
    import shutil
    import tempfile

    font = os.path.abspath(argv[1])
    files = [os.path.abspath(p) for p in argv[2:]]
    # easyofd unpacks into the working folder's path cut at its first “.”
    # (a folder like /tmp/.tmpXYZ makes it unpack into /tmp and read all of
    # it): work in a folder whose path has no dot.
    work = tempfile.mkdtemp(prefix="ofdcheck", dir="/tmp" if os.path.isdir("/tmp") else None)
    if "." in work:
        print(f"cannot make a working folder without a dot in its path: {work}")
        return 2
    here = os.getcwd()
    os.chdir(work)
    try:
        return check(font, files, fitz, np, Image, ImageFilter, pdfmetrics, TTFont, OFD, DrawPDF)
    finally:
        os.chdir(here)
        shutil.rmtree(work, ignore_errors=True)


def check(font, files, fitz, np, Image, ImageFilter, pdfmetrics, TTFont, OFD, DrawPDF):
    pdfmetrics.registerFont(TTFont("宋体", font))
    failures = []
    for ofd_path, pdf_path in zip(files[0::2], files[1::2]):
        names = font_names(ofd_path)
        for n in names:
            for alias in {n, n.replace(" ", "")}:
                pdfmetrics.registerFont(TTFont(alias, font))
        o = OFD()
        # easyofd prints its progress on stdout; keep ours readable.
        out = sys.stdout
        sys.stdout = io.StringIO()
        try:
            o.read(ofd_path, fmt="path")
            drawn = o.to_pdf()
        finally:
            sys.stdout = out
        doc = o.data[0]
        pdf = fitz.open(pdf_path)
        pages = sorted(doc["page_info"].keys())
        problems = []
        if len(pages) != pdf.page_count:
            problems.append(f"{len(pages)} pages read, the PDF has {pdf.page_count}")
        chars = 0
        worst = 0.0
        worst_px = 0.0
        easy = fitz.open(stream=drawn, filetype="pdf")
        for n, key in enumerate(pages[: pdf.page_count]):
            got = reading_order(ofd_chars(doc["page_info"][key], DrawPDF))
            want = reading_order(pdf_chars(pdf[n]))
            worst = max(worst, compare(n, "OFD", got, want, problems))
            chars += len(got)
            turned = any(
                (lambda m: len(m) == 6 and (float(m[1]) or float(m[2])))(t.get("CTM", "").split())
                for t in doc["page_info"][key].get("text_list", [])
            )
            if turned:
                print(f"  page {n + 1}: turned text, which easyofd does not draw turned; pixels not compared")
            elif n < easy.page_count:
                share = pixel_share(easy[n], pdf[n], fitz, np, Image, ImageFilter)
                worst_px = max(worst_px, share)
                if share > PIXEL_SHARE:
                    problems.append(
                        f"page {n + 1}: {share:.1%} of the pixels differ (at most {PIXEL_SHARE:.1%})"
                    )
        status = "ok" if not problems else "MISMATCH"
        print(
            f"{ofd_path}: {status}: {len(pages)} pages, {chars} characters, "
            f"largest position difference {worst:.3f} mm, "
            f"largest share of differing pixels {worst_px:.2%}"
        )
        for p in problems[:10]:
            print(f"  {p}")
        failures.extend(problems)
    return 1 if failures else 0


def compare(n, reader, got, want, problems):
    """Compares one page's characters in reading order (char, x mm, y mm)
    with the PDF's: the same text, each origin within TOL_MM. Appends what
    differs to `problems`; returns the largest position difference."""
    gtext = "".join(c for c, _, _ in got)
    wtext = "".join(c for c, _, _ in want)
    if gtext != wtext:
        i = next(
            (k for k, (a, b) in enumerate(zip(gtext, wtext)) if a != b),
            min(len(gtext), len(wtext)),
        )
        problems.append(
            f"page {n + 1}: text differs at character {i}: "
            f"{reader} …{gtext[max(0, i - 10):i + 10]}… PDF …{wtext[max(0, i - 10):i + 10]}…"
        )
        return 0.0
    worst = 0.0
    for (c, x, y), (_, px, py) in zip(got, want):
        d = max(abs(x - px), abs(y - py))
        worst = max(worst, d)
        if d > TOL_MM:
            problems.append(
                f"page {n + 1}: “{c}” at ({x:.2f}, {y:.2f}) mm, the PDF has it at ({px:.2f}, {py:.2f})"
            )
            break
    return worst


def font_names(path):
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.endswith("PublicRes.xml")]
        text = z.read(names[0]).decode("utf-8") if names else ""
    return set(re.findall(r'FontName="([^"]*)"', text)) | set(
        re.findall(r'FamilyName="([^"]*)"', text)
    )


def ofd_chars(page, DrawPDF):
    """Characters with their origins, as easyofd's own renderer computes
    them (DrawPDF.cmp_offset)."""
    out = []
    for t in page.get("text_list", []):
        text = t.get("text", "")
        m = [float(v) for v in t["CTM"].split()] if t.get("CTM") else None
        if m and (m[1] or m[2]):
            # Turned text (a turned table): easyofd reads the CTM but its
            # cmp_offset applies only scale and shift. The full matrix is
            # applied here to the positions easyofd computes unturned.
            lx = DrawPDF.cmp_offset(None, 0, t["X"], t["DeltaX"], text, {}, dire="X")
            ly = DrawPDF.cmp_offset(None, 0, t["Y"], t["DeltaY"], text, {}, dire="Y")
            if not t["DeltaY"]:
                ly = [ly[0]] * len(text)
            lx += [lx[-1]] * (len(text) - len(lx))
            ly += [ly[-1]] * (len(text) - len(ly))
            xs = [t["pos"][0] + m[0] * x + m[2] * y + m[4] for x, y in zip(lx, ly)]
            ys = [t["pos"][1] + m[1] * x + m[3] * y + m[5] for x, y in zip(lx, ly)]
        else:
            ctm = {}
            if m:
                ctm = dict(resizeX=m[0], rotateX=m[1], rotateY=m[2], resizeY=m[3], moveX=m[4], moveY=m[5])
            xs = DrawPDF.cmp_offset(None, t["pos"][0], t["X"], t["DeltaX"], text, ctm, dire="X")
            ys = DrawPDF.cmp_offset(None, t["pos"][1], t["Y"], t["DeltaY"], text, ctm, dire="Y")
            if not t["DeltaY"]:
                ys = [ys[0]] * len(text)
        for i, c in enumerate(text):
            if not c.isspace():
                out.append((c, xs[min(i, len(xs) - 1)], ys[min(i, len(ys) - 1)]))
    return out


def pdf_chars(page):
    mm = 25.4 / 72
    out = []
    for b in page.get_text("rawdict")["blocks"]:
        for line in b.get("lines", []):
            for span in line["spans"]:
                for ch in span["chars"]:
                    if not ch["c"].isspace():
                        x, y = ch["origin"]
                        out.append((ch["c"], x * mm, y * mm))
    return out


def reading_order(chars):
    """Lines (baselines within 0.5 mm) top to bottom, characters left to
    right."""
    chars = sorted(chars, key=lambda c: c[2])
    lines = []
    for c in chars:
        if lines and abs(lines[-1][0][2] - c[2]) < 0.5:
            lines[-1].append(c)
        else:
            lines.append([c])
    return [c for line in lines for c in sorted(line, key=lambda c: c[1])]


def pixel_share(a, b, fitz, np, Image, ImageFilter):
    """Share of pixels that differ by more than 64 of 255 grey levels, both
    pages drawn 420 px wide (2 px/mm on A4) and blurred by 1 px."""

    def grey(page):
        zoom = 420 / page.rect.width
        pix = page.get_pixmap(matrix=fitz.Matrix(zoom, zoom), alpha=False)
        img = Image.frombytes("RGB", (pix.width, pix.height), pix.samples).convert("L")
        return img.filter(ImageFilter.BoxBlur(1))

    ga, gb = grey(a), grey(b)
    if ga.size != gb.size:
        gb = gb.resize(ga.size)
    d = np.abs(np.asarray(ga, dtype=np.int16) - np.asarray(gb, dtype=np.int16))
    return float((d > 64).mean())


if __name__ == "__main__":
    sys.exit(main(sys.argv))
