# Writes benches/floor/notice.typ: samples/qianquan-2019-8.yaml set by hand in
# plain Typst, the way a Typst user would write the same notice.
import re, yaml, sys
d = yaml.safe_load(open('samples/qianquan-2019-8.yaml'))
def s(t):  # a Typst string literal
    return '"' + t.replace('\\', '\\\\').replace('"', '\\"') + '"'
out = []
w = out.append
w('''// The seed-000 notice (samples/qianquan-2019-8.yaml: notice, enclosed plan,
// 版记 and 签批单) written directly in Typst with gongwen's bundled fonts, as a
// Typst user would set it: the "bare engine" side of benches/floor.rs.
// Written once from the YAML by a script; the text is the sample's.
#set page(paper: "a4", margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm),
  footer: context {
    let n = counter(page).get().first()
    let num = text(font: "FandolSong", size: 14pt)[— #n —]
    if calc.odd(n) { align(right, pad(right: 7mm, num)) } else { align(left, pad(left: 7mm, num)) }
  })
#set text(font: ("FandolFang R", "Noto Serif CJK SC"), size: 16pt, lang: "zh", region: "cn", tracking: -0.2pt, top-edge: "ascender", bottom-edge: "descender")
#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 13pt, spacing: 13pt)
#let xbs(size, body) = text(font: "Noto Serif CJK SC", weight: 700, size: size, body)
#let hei(body) = text(font: "FandolHei", body)
#let kai(body) = text(font: "FandolKai", body)
#v(35mm - 37mm + 37mm - 37mm)
#align(center, text(fill: rgb(255, 0, 0), xbs(22mm * 0.5, ''' + s(d['issuer']['names'][0] + d['issuer']['suffix']) + ''')))
#v(2em)
#align(center, text(''' + s(d['number']) + '''))
#v(-0.5em)
#line(length: 100%, stroke: 0.35mm + rgb(255, 0, 0))
#v(2em)
#align(center, xbs(22pt, ''' + s(d['title']) + '''))
#v(1em)
#par(first-line-indent: 0em, ''' + s(d['to'] + '：') + ''')
''')
for p in d['body'].strip().split('\n'):
    w('#par(' + s(p) + ')\n')
w('#v(2em)\n#align(right, pad(right: 4em, [' + '#' + s(d['signature']) + ' \\ #"2019年4月15日"]))\n')
w('#pagebreak()\n#align(center, xbs(22pt, ' + s(d['enclosure']['title']) + '))\n#v(1em)\n')
for p in d['enclosure']['body'].strip().split('\n'):
    if re.match(r'^[一二三四五六七八九十]+、', p):
        w('#par(hei(' + s(p) + '))\n')
    elif re.match(r'^（[一二三四五六七八九十]+）', p):
        w('#par(kai(' + s(p) + '))\n')
    else:
        w('#par(' + s(p) + ')\n')
w('''#v(1fr)
#line(length: 100%, stroke: 0.35mm)
#pad(left: 1em, right: 1em, grid(columns: (1fr, auto), text(size: 14pt, ''' + s(d['printer']) + '''), text(size: 14pt, "2019年4月15日印发")))
#line(length: 100%, stroke: 0.35mm)
#align(right, text(size: 14pt, "（共印80份）"))
#pagebreak()
#set page(footer: none)
#align(center, xbs(18pt, ''' + s(d['approval']['title']) + '''))
#v(1em)
#set par(first-line-indent: 0em)
#table(columns: (30mm, 1fr, 30mm, 1fr), inset: 9pt, stroke: 0.5pt, align: horizon,
''')
a = d['approval']
cells = ['文件标题', a['doc_title'], '发文字号', d['number'], a['sign']['label'], '', a['countersign'][0]['label'], '']
for r in a['reviews']:
    cells += [r['label'], '', '', '']
cells += ['拟稿单位', a['drafting_unit'], '拟稿人', a['drafter'], '印发份数', '80', '公文属性', '□公开　□依申请公开　□不公开']
w('  ' + ', '.join('text(size: 14pt, ' + s(c) + ')' for c in cells) + ',\n)\n')
open('benches/floor/notice.typ', 'w').write(''.join(out))
