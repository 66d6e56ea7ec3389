#!/usr/bin/env python3
"""Writes the Word-draft corpus of tests/it/word.rs: flat ODF drafts (.fodt)
typed the way a county clerk types them, which LibreOffice (a word processor
nobody here wrote) turns into the .docx files beside them:

    python3 tests/data/word/corpus/make.py          # writes the .fodt files
    cd tests/data/word/corpus && soffice --headless --convert-to docx *.fodt

The .fodt and .docx files are committed; the tests need neither Python nor
LibreOffice. The samples' drafts are made from samples/*.yaml, so the import
can be compared with the hand-written YAML (tests/it/word.rs).
"""
import base64
import os
import struct
import zlib

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles>
<style:style style:name="Standard" style:family="paragraph"><style:text-properties style:font-name-asian="仿宋_GB2312" fo:font-size="16pt" style:font-size-asian="16pt"/></style:style>
<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="1"><style:text-properties style:font-name-asian="黑体"/></style:style>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="2"><style:text-properties style:font-name-asian="楷体_GB2312"/></style:style>
<text:outline-style style:name="Outline">
<text:outline-level-style text:level="1" style:num-format="一, 二, 三, ..." style:num-suffix="、"/>
<text:outline-level-style text:level="2" style:num-format="一, 二, 三, ..." style:num-prefix="（" style:num-suffix="）"/>
<text:outline-level-style text:level="3" style:num-format="1" style:num-suffix="."/>
</text:outline-style>
<text:list-style style:name="公文编号">
<text:list-level-style-number text:level="1" style:num-format="一, 二, 三, ..." style:num-suffix="、"/>
<text:list-level-style-number text:level="2" style:num-format="一, 二, 三, ..." style:num-prefix="（" style:num-suffix="）"/>
<text:list-level-style-number text:level="3" style:num-format="1" style:num-suffix="."/>
</text:list-style>
<text:list-style style:name="附件编号">
<text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix="."/>
</text:list-style>
</office:styles>
<office:automatic-styles>
<style:style style:name="Red" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:color="#ff0000" fo:font-size="26pt" style:font-size-asian="26pt" fo:font-weight="bold" style:font-weight-asian="bold" style:font-name-asian="方正小标宋简体"/></style:style>
<style:style style:name="C" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/></style:style>
<style:style style:name="T" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="22pt" style:font-size-asian="22pt" style:font-name-asian="方正小标宋简体"/></style:style>
<style:style style:name="Big" style:family="paragraph"><style:text-properties fo:font-size="22pt" style:font-size-asian="22pt" fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
<style:style style:name="R" style:family="paragraph"><style:paragraph-properties fo:text-align="end"/></style:style>
<style:style style:name="L" style:family="paragraph"><style:paragraph-properties fo:text-align="start"/></style:style>
<style:style style:name="Tb" style:family="table"><style:table-properties style:width="15.6cm" table:align="center"/></style:style>
<style:style style:name="fr" style:family="graphic"><style:graphic-properties style:wrap="run-through" style:run-through="foreground" style:vertical-pos="from-top" style:horizontal-pos="from-left"/></style:style>
MOREAUTO</office:automatic-styles>
MASTER<office:body><office:text>
"""

TAIL = "</office:text></office:body></office:document>\n"

FW = "\u3000\u3000"


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def p(text, style=None, indent=False):
    st = f' text:style-name="{style}"' if style else ""
    return f"<text:p{st}>{FW if indent else ''}{esc(text)}</text:p>\n"


def raw(inner, style=None):
    st = f' text:style-name="{style}"' if style else ""
    return f"<text:p{st}>{inner}</text:p>\n"


def listed(level, text, style="公文编号"):
    """A paragraph numbered by the list `style` at `level` (1-based)."""
    inner = f"<text:p>{esc(text)}</text:p>"
    for i in range(level):
        inner = f"<text:list-item>{inner}</text:list-item>"
        if i < level - 1:
            inner = f"<text:list>{inner}</text:list>"
    return f'<text:list text:style-name="{style}" text:continue-numbering="true">{inner}</text:list>\n'


def heading(level, text):
    return f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">{esc(text)}</text:h>\n'


def write(name, body, master="", more_auto=""):
    doc = HEAD.replace("MASTER", master).replace("MOREAUTO", more_auto) + body + TAIL
    with open(os.path.join(HERE, name + ".fodt"), "w", encoding="utf-8") as f:
        f.write(doc)


def sample(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return yaml.safe_load(f)


def lines(text):
    return [l for l in (text or "").split("\n") if l.strip()]


def marker(line):
    """(level, text without its marker) of a heading typed as 一、 / （一）."""
    import re

    m = re.match(r"^([一二三四五六七八九十]+)、(.*)$", line)
    if m:
        return 1, m.group(2)
    m = re.match(r"^（([一二三四五六七八九十]+)）(.*)$", line)
    if m:
        return 2, m.group(2)
    return 0, line


def text_block(ls, numbering, half=False):
    """Body lines as paragraphs: headings numbered by a Word list
    (numbering="list"), by heading styles with outline numbering
    ("outline"), or typed by hand ("typed")."""
    out = []
    for l in ls:
        level, rest = marker(l)
        if half:
            l = halfwidth(l)
            rest = halfwidth(rest)
        if level and numbering == "list":
            out.append(listed(level, rest))
        elif level and numbering == "outline":
            out.append(heading(level, rest))
        else:
            out.append(p(l, indent=not level))
    return "".join(out)


def halfwidth(s):
    """As pasted from a web page: commas, colons, semicolons and
    parentheses half-width (the seeds 003/004 look like this)."""
    return (s.replace("，", ",").replace("：", ":").replace("；", ";")
             .replace("（", "(").replace("）", ")"))


def table(header, rows, widths=None):
    """An ODF table from the model's header rows and rows (cells: text or
    {text, rowspan, colspan}); spanned places get covered cells."""
    grid = header + rows
    ncols = sum(c.get("colspan", 1) if isinstance(c, dict) else 1 for c in header[0])
    covered = set()
    if widths:
        cols = "".join(f'<table:table-column table:style-name="W{str(w).replace(".", "_")}"/>' for w in widths)
        out = [f'<table:table table:style-name="Tb{sum(widths):g}">{cols}\n']
    else:
        out = [f'<table:table table:style-name="Tb"><table:table-column table:number-columns-repeated="{ncols}"/>\n']
    for r, row in enumerate(grid):
        if r == 0:
            out.append("<table:table-header-rows>") if len(header) else None
        out.append("<table:table-row>")
        cells = iter(row)
        c = 0
        while c < ncols:
            if (r, c) in covered:
                out.append("<table:covered-table-cell/>")
                c += 1
                continue
            cell = next(cells)
            if isinstance(cell, dict):
                text, rs, cs = str(cell["text"]), cell.get("rowspan", 1), cell.get("colspan", 1)
            else:
                text, rs, cs = str(cell), 1, 1
            span = ""
            if rs > 1:
                span += f' table:number-rows-spanned="{rs}"'
            if cs > 1:
                span += f' table:number-columns-spanned="{cs}"'
            out.append(f'<table:table-cell office:value-type="string"{span}><text:p>{esc(text)}</text:p></table:table-cell>')
            for dr in range(rs):
                for dc in range(cs):
                    if dr or dc:
                        covered.add((r + dr, c + dc))
            c += 1
        out.append("</table:table-row>\n")
        if r == len(header) - 1:
            out.append("</table:table-header-rows>\n")
    out.append("</table:table>\n")
    return "".join(out)


def closing(s, signature=True):
    out = ""
    if signature:
        sig = s["signature"]
        for name in sig if isinstance(sig, list) else [sig]:
            out += p(name, "R")
        d = s["date"]
        out += p(f"{d.year}年{d.month}月{d.day}日", "R")
    return out


def colophon(s):
    out = ""
    if s.get("cc"):
        out += p(f"抄送：{s['cc']}。")
    d = s["print_date"]
    out += raw(f"{esc(s['printer'])}<text:tab/>{d.year}年{d.month}月{d.day}日印发")
    if s.get("copies"):
        out += p(f"（共印{s['copies']}份）", "R")
    return out


def red_head(s, number_style="C"):
    out = p("".join(s["issuer"]["names"]) + s["issuer"].get("suffix", ""), "Red")
    out += p(s["number"], number_style)
    return out


def title_lines(title, at):
    """A title typed over two centred paragraphs, broken at `at`."""
    return p(title[:at], "T") + p(title[at:], "T")


def samples():
    # seed 000: red header typed, Word list numbering for the 方案's headings.
    s = sample("samples/qianquan-2019-8.yaml")
    b = red_head(s) + title_lines(s["title"], 13)
    b += p(s["to"] + "：")
    b += text_block(lines(s["body"]), "typed")
    b += closing(s)
    b += p(s["enclosure"]["title"], "T")
    b += text_block(lines(s["enclosure"]["body"]), "list")
    b += colophon(s)
    write("s01-qianquan-word-numbering", b)

    # seed 001: numbers typed by hand, the 版记 before the 方案 as printed.
    s = sample("samples/lingchuan-2020-28.yaml")
    b = red_head(s) + p(s["title"], "T") + p(s["to"] + "：")
    b += text_block(lines(s["body"]), "typed") + closing(s)
    b += colophon(s)
    b += p(s["enclosure"]["title"], "T")
    b += text_block(lines(s["enclosure"]["body"]), "typed")
    write("s02-lingchuan-typed-numbers", b)

    # seed 002: an attachment with a merged table (包联责任清单).
    s = sample("samples/zezhou-2021-24.yaml")
    b = red_head(s) + p(s["title"], "T") + p(s["to"] + "：")
    b += text_block(lines(s["body"]), "typed")
    b += p("附件：" + s["attachments"][0]["title"], indent=True)
    b += closing(s)
    a = s["attachments"][0]
    b += p("附件", "L") + p(a["title"], "T")
    t = a["body"][0]["table"]
    b += table(t["header"], t["rows"], t["widths"])
    b += colophon(s)
    auto = f'<style:style style:name="Tb{sum(t["widths"]):g}" style:family="table"><style:table-properties style:width="{sum(t["widths"]):g}cm" table:align="center"/></style:style>\n'
    for w in t["widths"]:
        auto += f'<style:style style:name="W{str(w).replace(".", "_")}" style:family="table-column"><style:table-column-properties style:column-width="{w}cm"/></style:style>\n'
    write("s03-zezhou-merged-table", b, "", auto)

    # seed 004: a stand-alone 方案, headings by outline-numbered styles,
    # three 附件 pages.
    s = sample("samples/fangan/anquan-shequ-shidian.yaml")
    b = p(s["title"], "T") + text_block(lines(s["body"]), "outline")
    for i, a in enumerate(s["attachments"], 1):
        b += p(f"附件{i}", "L") + p(a["title"], "T")
        b += text_block(lines(a["body"]), "typed")
    write("s04-anquan-shequ-plan-outline", b)

    # seed 003: a stand-alone 方案 pasted from a web page: half-width
    # punctuation, numbers typed, the leading group as 组长/成员 lines.
    s = sample("samples/fangan/zhiben-gongjian-pian4.yaml")
    b = p(s["title"], "Big")
    for block in s["body"]:
        if isinstance(block, str):
            b += text_block(lines(block), "typed", half=True)
        elif "members" in block:
            for k, v in block["members"].items():
                v = "、".join(v) if isinstance(v, list) else v
                b += p(f"{k}:{v}", indent=True)
    write("s05-zhiben-plan-pasted", b)


def seal_png():
    """A 160×160 red ring with a star: a seal as clerks paste it."""
    n = 160
    rows = []
    for y in range(n):
        row = bytearray([0])
        for x in range(n):
            dx, dy = x - n / 2 + 0.5, y - n / 2 + 0.5
            r = (dx * dx + dy * dy) ** 0.5
            inside = 66 <= r <= 76 or (abs(dx) < 14 and abs(dy) < 14)
            row += bytes([230, 0, 18, 255]) if inside else bytes([255, 255, 255, 0])
        rows.append(bytes(row))
    raw_ = zlib.compress(b"".join(rows), 9)

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", n, n, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", raw_) + chunk(b"IEND", b""))


# A small notice the feature drafts vary.
HEADER = p("青石县人民政府办公室文件", "Red") + p("青政办发〔2024〕7号", "C")
TITLE = p("青石县人民政府办公室关于做好", "T") + p("2024年秋冬季森林防火工作的通知", "T")
TO = p("各乡镇人民政府，县直有关部门：")
BODY = (p("为切实做好今年秋冬季森林防火工作，现将有关事项通知如下。", indent=True)
        + p("一、压实防火责任", indent=False)
        + p("各乡镇要落实属地管理责任，层层签订防火责任书。", indent=True)
        + p("二、加强巡查值守", indent=False)
        + p("各地要加强重点时段巡查，严格执行24小时值班制度。", indent=True)
        + p("特此通知。", indent=True))
SIGN = p("青石县人民政府办公室", "R") + p("2024年10月8日", "R")
NOTE = p("（联系人：王五，电话：0537-7654321）", indent=True)
COLOPHON = p("抄送：县委办公室。") + raw("青石县人民政府办公室<text:tab/>2024年10月9日印发")


def features():
    # Tracked changes: an insertion kept, a deletion dropped.
    tc = """<text:tracked-changes>
<text:changed-region text:id="c1"><text:insertion><office:change-info><dc:creator>张三</dc:creator><dc:date>2024-10-08T09:00:00</dc:date></office:change-info></text:insertion></text:changed-region>
<text:changed-region text:id="c2"><text:deletion><office:change-info><dc:creator>张三</dc:creator><dc:date>2024-10-08T09:01:00</dc:date></office:change-info><text:p>和夜间</text:p></text:deletion></text:changed-region>
</text:tracked-changes>\n"""
    b = tc + HEADER + TITLE + TO + BODY.replace(
        "加强重点时段巡查", '加强<text:change-start text:change-id="c1"/>清明、春节等<text:change-end text:change-id="c1"/>重点时段<text:change text:change-id="c2"/>巡查') + SIGN + COLOPHON
    write("f01-tracked-changes", b)

    # A comment (批注) on the title: not text of the notice.
    ann = '<office:annotation><dc:creator>李四</dc:creator><dc:date>2024-10-08T10:00:00</dc:date><text:p>标题请再斟酌</text:p></office:annotation>'
    b = HEADER + TITLE.replace("关于做好", "关于做好" + ann, 1) + TO + BODY + SIGN + COLOPHON
    write("f02-comment", b)

    # A footnote in the body.
    fn = '<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>指每年10月至次年4月。</text:p></text:note-body></text:note>'
    b = HEADER + TITLE + TO + BODY.replace("秋冬季森林防火工作，", "秋冬季" + fn + "森林防火工作，", 1) + SIGN + COLOPHON
    write("f03-footnote", b)

    # Header and footer (with a page-number field): not text of the notice.
    master = """<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"><style:header><text:p>青石县人民政府办公室 内部资料</text:p></style:header><style:footer><text:p>— <text:page-number text:select-page="current">1</text:page-number> —</text:p></style:footer></style:master-page></office:master-styles>\n"""
    pl = '<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"/><style:header-style/><style:footer-style/></style:page-layout>\n'
    write("f04-header-footer", HEADER + TITLE + TO + BODY + SIGN + COLOPHON, master, pl)

    # The red header typed in a text box (as many templates have it).
    box = ('<text:p><draw:frame draw:style-name="fr" draw:name="红头" text:anchor-type="paragraph" svg:width="15.6cm" svg:height="2.5cm" svg:x="0cm" svg:y="0cm"><draw:text-box>'
           + p("青石县人民政府办公室文件", "Red") + '</draw:text-box></draw:frame></text:p>\n')
    write("f05-red-header-in-text-box", box + p("青政办发〔2024〕7号", "C") + TITLE + TO + BODY + SIGN + COLOPHON)

    # A seal image over the 署名 and date.
    img = base64.b64encode(seal_png()).decode()
    frame = (f'<draw:frame draw:style-name="fr" draw:name="印章" text:anchor-type="paragraph" svg:width="4.2cm" svg:height="4.2cm" svg:x="10cm" svg:y="-1.5cm">'
             f'<draw:image><office:binary-data>{img}</office:binary-data></draw:image></draw:frame>')
    sign = raw(frame + "青石县人民政府办公室", "R") + p("2024年10月8日", "R")
    write("f06-seal-image", HEADER + TITLE + TO + BODY + sign + COLOPHON)

    # A table with merged cells in the body.
    t = table([[{"text": "序号", "rowspan": 2}, {"text": "时段", "rowspan": 2}, {"text": "值班人员", "colspan": 2}],
               ["带班领导", "值班员"]],
              [["1", {"text": "10月", "rowspan": 2}, "张三", "李四"],
               ["2", "王五", "赵六"],
               ["3", "11月", "钱七", "孙八"]])
    body = BODY.replace(p("二、加强巡查值守"), p("二、加强巡查值守") + p("值班安排如下：", indent=True) + t)
    write("f07-merged-table", HEADER + TITLE + TO + body + SIGN + COLOPHON)

    # Soft line breaks (Shift+Enter), tabs and full-width spaces to align.
    body = (raw(FW + "为切实做好今年秋冬季森林防火工作，<text:line-break/>现将有关事项通知如下。")
            + raw("一、压实防火责任<text:tab/>")
            + p("各乡镇要落实属地管理责任，层层签订防火责任书。", indent=True)
            + p("特此通知。", indent=True))
    sign = p("\u3000" * 12 + "青石县人民政府办公室") + p("\u3000" * 13 + "2024年10月8日")
    write("f08-soft-breaks-and-spaces", HEADER + TITLE + TO + body + sign + COLOPHON)

    # Dates as fields with their shown results.
    sign = p("青石县人民政府办公室", "R") + raw('<text:date style:data-style-name="N1" text:date-value="2024-10-08" text:fixed="true">2024年10月8日</text:date>', "R")
    ds = '<number:date-style style:name="N1"><number:year number:style="long"/><number:text>年</number:text><number:month/><number:text>月</number:text><number:day/><number:text>日</number:text></number:date-style>\n'
    write("f09-date-field", HEADER + TITLE + TO + BODY + sign + COLOPHON, "", ds)

    # 份号, 密级 and 紧急程度 typed above the red header.
    top = p("000123", "L") + p("机密★1年", "L") + p("特急", "L")
    write("f10-copy-number-secrecy-urgency", top + HEADER + TITLE + TO + BODY + SIGN + COLOPHON)

    # Headings by Heading 1/2 styles with outline numbering.
    body = (p("为切实做好今年秋冬季森林防火工作，现将有关事项通知如下。", indent=True)
            + heading(1, "压实防火责任") + heading(2, "落实属地责任")
            + p("各乡镇要落实属地管理责任。", indent=True) + heading(2, "落实部门责任")
            + heading(1, "加强巡查值守") + heading(2, "重点时段巡查")
            + p("特此通知。", indent=True))
    write("f11-outline-heading-styles", HEADER + TITLE + TO + body + SIGN + COLOPHON)

    # A list numbered 1. 2. that restarts in the second section.
    body = (p("为切实做好今年秋冬季森林防火工作，现将有关事项通知如下。", indent=True)
            + p("一、压实防火责任")
            + '<text:list text:style-name="附件编号"><text:list-item><text:p>落实属地责任。</text:p></text:list-item><text:list-item><text:p>落实部门责任。</text:p></text:list-item></text:list>\n'
            + p("二、加强巡查值守")
            + '<text:list text:style-name="附件编号" text:continue-numbering="false"><text:list-item text:start-value="1"><text:p>重点时段巡查。</text:p></text:list-item><text:list-item><text:p>节假日值班。</text:p></text:list-item></text:list>\n'
            + p("特此通知。", indent=True))
    write("f12-list-restarts", HEADER + TITLE + TO + body + SIGN + COLOPHON)

    # Pasted from a web page: half-width punctuation, “1、”, stray spaces.
    body = (p("为切实做好今年秋冬季森林防火工作,现将有关事项通知如下:", indent=True)
            + p("一、压实防火责任")
            + p("1、落实属地责任。各乡镇要落实属地管理责任;层层签订防火责任书。", indent=True)
            + p("2、落实部门 责任。各部门要按职责分工(见附件)抓好落实。", indent=True)
            + p("特此通知。", indent=True))
    write("f13-half-width-punctuation", HEADER + TITLE + TO + body + SIGN + COLOPHON)

    # Invisible characters pasted with the text.
    body = (p("为切实做好今年秋冬季\u200b森林防火工作，现将有关事项通知如下。", indent=True)
            + p("一、压实\u00a0防火责任") + p("各乡镇要落实属地管理\ufeff责任。", indent=True)
            + p("特此通知。", indent=True))
    write("f14-invisible-characters", HEADER + TITLE + TO + body + SIGN + COLOPHON)

    # A 函 on letterhead: the organ's name without 文件.
    head = p("青石县人民政府办公室", "Red") + p("青政办函〔2024〕15号", "R")
    title = p("青石县人民政府办公室关于商请协助做好", "T") + p("森林防火宣传工作的函", "T")
    body = p("为做好今年秋冬季森林防火宣传工作，现商请贵局协助做好有关事项。", indent=True) + p("请予支持为盼。", indent=True)
    write("f15-letter", head + title + p("县广播电视台：") + body + SIGN)

    # 联合行文: two organs sign.
    sign = p("青石县人民政府办公室", "R") + p("青石县应急管理局", "R") + p("2024年10月8日", "R")
    write("f16-joint-signature", HEADER.replace("青石县人民政府办公室文件", "青石县人民政府办公室 青石县应急管理局文件") + TITLE + TO + BODY + sign + COLOPHON)

    # 附件 pages after the notice.
    body = BODY.replace(p("特此通知。", indent=True), p("特此通知。", indent=True)
                        + p("附件：1.森林防火责任人名单", indent=True) + p("2.森林防火物资清单", indent=True))
    att = (p("附件1", "L") + p("森林防火责任人名单", "T") + p("县林业局：王五，电话0537-1111111。", indent=True)
           + p("附件2", "L") + p("森林防火物资清单", "T") + p("灭火器200具，风力灭火机50台。", indent=True))
    write("f17-attachment-pages", HEADER + TITLE + TO + body + SIGN + NOTE + att + COLOPHON)

    # The 版记 typed with copies and the cc before the printer line.
    col = p("抄送：县委办公室，县人大常委会办公室，县政协办公室。") + raw("青石县人民政府办公室<text:tab/>2024年10月9日印发") + p("（共印30份）", "R")
    write("f18-colophon-with-copies", HEADER + TITLE + TO + BODY + SIGN + NOTE + col)

    # No centring at all: the title is only big and bold.
    title = p("青石县人民政府办公室关于做好2024年秋冬季森林防火工作的通知", "Big")
    write("f19-title-bold-not-centred", HEADER.replace('"C"', '"L"').replace('"Red"', '"Big"') + title + TO + BODY + SIGN + COLOPHON)

    # 签发人 on the number line (上行文: a 请示).
    head = p("青石县人民政府文件", "Red") + raw("青政发〔2024〕21号<text:tab/>签发人：李明", "L")
    title = p("青石县人民政府关于申请森林防火专项资金的请示", "T")
    body = p("为加强森林防火基础设施建设，特申请专项资金200万元。", indent=True) + p("妥否，请批示。", indent=True)
    sign = p("青石县人民政府", "R") + p("2024年10月8日", "R")
    write("f20-request-with-signer", head + title + p("市人民政府：") + body + sign + p("（联系人：王五，电话：0537-7654321）", indent=True))

    # Word list numbering on every level of the body, text typed in 1.
    body = (p("为切实做好今年秋冬季森林防火工作，现将有关事项通知如下。", indent=True)
            + listed(1, "压实防火责任") + listed(2, "落实属地责任") + listed(3, "乡镇签订责任书。")
            + listed(3, "村（居）落实护林员。") + listed(2, "落实部门责任") + listed(1, "加强巡查值守")
            + listed(2, "重点时段巡查") + p("特此通知。", indent=True))
    write("f21-list-three-levels", HEADER + TITLE + TO + body + SIGN + COLOPHON)

    # Empty paragraphs and page breaks between the parts, as clerks space out a draft.
    blank = p("") + p("")
    pb = '<text:p text:style-name="PB"/>\n'
    more = '<style:style style:name="PB" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style>\n'
    write("f22-blank-lines-and-page-breaks", HEADER + blank + TITLE + blank + TO + BODY + blank + SIGN + pb + COLOPHON, "", more)

    # 纪要: its 标志, the 期数, the organ and date under it, 出席/列席 lines.
    head = p("青石县人民政府常务会议纪要", "Red") + p("第5期", "C") + raw("青石县人民政府办公室<text:tab/>2024年6月3日", "C")
    body = (p("关于研究防汛工作有关事项的会议纪要", "T")
            + p("2024年6月1日，县长王建国主持召开县政府常务会议，研究防汛工作有关事项。纪要如下：", indent=True)
            + p("一、关于汛前隐患排查") + p("会议要求，各乡镇于6月10日前完成隐患排查。", indent=True)
            + p("出席：王建国　李明　张伟　刘洋") + p("列席：县应急局　县水利局"))
    write("f23-minutes", head + body + COLOPHON)

    # 命令（令）: 标志, 令号, the text, 职务 and 姓名.
    body = (p("青石县人民政府令", "Red") + p("第3号", "C")
            + p("《青石县森林防火办法》已经2024年5月20日县人民政府第12次常务会议通过，现予公布，自2024年7月1日起施行。", indent=True)
            + p("县长　王建国", "R") + p("2024年5月28日", "R"))
    write("f24-order", body)

    # 联合行文 typed one organ a line, 文件 beside them, both organs signing on one line.
    head = p("青石县人民政府办公室", "Red") + p("青石县应急管理局　　文件", "Red") + p("青政办发〔2024〕9号", "C")
    sign = p("青石县人民政府办公室　　青石县应急管理局", "R") + p("2024年10月8日", "R")
    write("f25-joint-header-stacked", head + TITLE + TO + BODY + sign + COLOPHON)


if __name__ == "__main__":
    samples()
    features()
