#!/usr/bin/env python3
"""Writes composite.ttf, a tiny TrueType font for the hollow-font tests
(src/typeset/hollow.rs): composite glyphs nested two deep, with each kind
of component transform, so keeping a composite glyph must keep the glyphs
it is made of.

Usage: make_composite.py OUT.ttf   (needs fontTools)

Glyphs (character → glyph):
  A  simple, a triangle        B  simple, a square
  C  composite: A, and B moved (word offsets) and scaled by 0.5
  D  composite: C, and A with x/y scale and A with a 2×2 transform
  E  simple, drawn by none of the others
"""
import sys

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen


def simple(points):
    pen = TTGlyphPen(None)
    pen.moveTo(points[0])
    for p in points[1:]:
        pen.lineTo(p)
    pen.closePath()
    return pen.glyph()


def composite(glyphs, parts):
    pen = TTGlyphPen(glyphs)
    for name, transform in parts:
        pen.addComponent(name, transform)
    return pen.glyph()


def main(argv):
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    order = [".notdef", "A", "B", "C", "D", "E"]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap({ord(c): c for c in "ABCDE"})
    glyphs = {
        ".notdef": simple([(50, 0), (50, 700), (450, 700), (450, 0)]),
        "A": simple([(0, 0), (300, 700), (600, 0)]),
        "B": simple([(0, 0), (0, 500), (500, 500), (500, 0)]),
        "E": simple([(100, 100), (100, 400), (400, 100)]),
    }
    glyphs["C"] = composite(glyphs, [("A", (1, 0, 0, 1, 0, 0)), ("B", (0.5, 0, 0, 0.5, 300, 200))])
    glyphs["D"] = composite(
        glyphs,
        [
            ("C", (1, 0, 0, 1, 10, 0)),
            ("A", (0.5, 0, 0, 0.75, 700, 0)),
            ("A", (0.5, 0.25, 0, 0.5, 400, 600)),
        ],
    )
    fb.setupGlyf(glyphs)
    metrics = {}
    glyf = fb.font["glyf"]
    for name in order:
        glyf[name].recalcBounds(glyf)
        metrics[name] = (1000, getattr(glyf[name], "xMin", 0))
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "Gongwen Composite Test", "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    fb.save(argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
