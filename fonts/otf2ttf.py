#!/usr/bin/env python3
"""Converts an OpenType font with CFF outlines (.otf) to TrueType outlines
(.ttf), everything else unchanged.

Usage: otf2ttf.py IN.otf OUT.ttf

Why: the bundled Fandol faces are CFF. Exporting a PDF, krilla/subsetter
desubroutinises every CFF charstring and computes glyph boxes with a CFF
evaluator, a third of a batch's CPU; TrueType outlines are copied as they
are (a 300-document batch takes 16-19 % less CPU, PDFs are ~9 % smaller).
Some OFD readers also handle TrueType better than CFF.

How: each cubic outline becomes quadratic (cu2qu) within 1 font unit (the
Fandol faces have 1000 units per em), contours reversed to TrueType's
clockwise direction; the `CFF ` and `VORG` tables are dropped, `glyf`,
`loca` and a version 1.0 `maxp` are built, and `post` becomes format 2
(glyph names kept). Names, cmap, hmtx, GSUB/GPOS, OS/2 and the vertical
metrics are copied unchanged. Needs fontTools (`pip install fonttools`).
"""
import sys

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

# Largest distance between a cubic curve and its quadratic approximation,
# in font units.
MAX_ERR = 1.0


def otf_to_ttf(font, max_err=MAX_ERR):
    if font.sfntVersion != "OTTO" or "CFF " not in font:
        raise SystemExit("not a CFF-outline OpenType font")
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyf[name] = pen.glyph()
    del font["CFF "]
    if "VORG" in font:  # vertical origins are for CFF outlines only
        del font["VORG"]
    glyf.compile(font)

    # A TrueType rasterizer (FreeType, Acrobat) places a glyph so that its
    # box's left edge is at its left side bearing. A CFF font's `hmtx`
    # bearing is the true outline's; a quadratic outline's box is that of
    # its points, off-curve ones included, a few units wider where a curve
    # has no point at its extreme. Without this, such glyphs would be drawn
    # up to 12 units to the right. Advance widths are unchanged.
    hmtx = font["hmtx"]
    for name in order:
        g = glyf[name]
        g.recalcBounds(glyf)
        if g.numberOfContours:
            hmtx[name] = (hmtx[name][0], g.xMin)

    # maxp version 0.5 (CFF) has only the glyph count; TrueType needs 1.0.
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = max(
        len(getattr(g, "components", [])) for g in glyf.glyphs.values()
    )
    maxp.compile(font)  # counts points and contours from glyf; head flags

    # post format 3 (usual with CFF) has no glyph names; keep them.
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\000\001\000\000"


def main(argv):
    if len(argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    # The original's timestamps: the same input gives the same file.
    font = TTFont(argv[1], recalcTimestamp=False)
    otf_to_ttf(font)
    font.save(argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
