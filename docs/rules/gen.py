import os as _os
ROOT=_os.path.abspath(_os.path.join(_os.path.dirname(__file__),'..','..'))
import json, collections, sys
sys.path.insert(0,_os.path.dirname(__file__))
from desc import D
S=json.load(open(_os.path.join(_os.path.dirname(__file__),'scan.json')))
defined=S['defined']; res=S['res']; undefined=S['undefined']

SECTIONS=[
 ('U','§1.1–1.2 Units','字/行 units and 字号→pt.'),
 ('P','§1.3–1.4 Page','Paper, margins, 版心, 22 × 28 grid, line-box model.'),
 ('C','§1.5 Colour','What is black, what is red, and how red is encoded.'),
 ('F','§1.6 Fonts','Bold policy and font substitution (the face/size table itself has no ids).'),
 ('H','§2 版头 (header)','份号, 密级, 紧急程度, 发文机关标志, 发文字号, 签发人, red rule — first page only.'),
 ('B','§3 主体 (body)','标题, 主送, 正文, 附件说明, 署名/日期/印章, 附注, 附件 pages.'),
 ('E','§4 版记 (colophon)','抄送, 印发机关和日期, rules; bottom of the last, even page.'),
 ('N','§5 页码 (page numbers)','Form, position and suppression of page numbers.'),
 ('S','§6 Special formats','信函, 命令, 纪要, landscape tables, stand-alone lists/台账.'),
 ('T','§7 文种, 行文规则, 发文字号 register','Validator rules for 文种, upward/downward issue, 签发, number allocation and the 发文登记簿.'),
 ('K','§8 公文签批单 / 发文稿纸','The approval form (after the withdrawn GB 826-1989) and 公开属性.'),
 ('A','§9 归档 (archive, DA/T 22-2015)','档号, 归档章, 归档文件目录, boxes, 保管期限.'),
]
def tests_cell(r):
    by=collections.OrderedDict()
    for (f,fn),via in r.get('tests',[]):
        by.setdefault(f,[]).append(f'`{fn}`')
    parts=[f'{f}: '+', '.join(v) for f,v in sorted(by.items())]
    for f,via in r.get('testfiles',[]):
        if f not in by: parts.append(f'{f} (helper comment)')
    return '<br>'.join(parts) if parts else '—'
def src_cell(r):
    fs=sorted(r.get('src',[]), key=lambda x:(not x[0].startswith('src'),x[0]))
    return ', '.join(f'{f}†' if via else f for f,via in fs) or '—'

in_test=[d for d in defined if res.get(d,{}).get('tests')]
helper_only=[d for d in defined if not res.get(d,{}).get('tests') and res.get(d,{}).get('testfiles')]
untested=[d for d in defined if not res.get(d,{}).get('tests')]
no_code=[d for d in defined if d not in res]
out=[]
w=out.append
w('# Rule index (GW-… ids)\n')
w('Every rule in the rule book `shared/spec/gbt9704.md` (GB/T 9704-2012 layout plus 党政机关公文处理工作条例, '
  'DA/T 22-2015 and related practice) carries an id of the form `GW-<area>-<nn>`, where the area letter '
  'follows the spec section (U units, P page, C colour, F fonts, H 版头, B 主体, E 版记, N 页码, S special formats, '
  'T 文种/行文规则/register, K 签批单, A archive). '
  'Tests name the ids they check, either in the test function name (lower case with underscores, e.g. '
  '`gw_h_11_21_40_b_01_10_21_page_one_geometry` checks GW-H-11, GW-H-21, GW-H-40, GW-B-01, GW-B-10 and GW-B-21) '
  'or in assertion messages, and source/template comments and warnings cite the ids they implement. '
  'The one-line wording below is a short paraphrase for finding things; the spec file is authoritative for the exact rule, '
  'its tolerances and its status tags ([STD], [PRACTICE], [UNCONFIRMED] …).\n')
w(f'- **Spec:** {len(defined)} ids defined. **Named in a test** (function name or body under `tests/`): {len(in_test)}. '
  f'Mentioned only in test helper comments: {", ".join(helper_only)}.')
w('- **Ids used in tests/src/templates but not defined in the spec:** ' + (', '.join(sorted(undefined)) if undefined else 'none.'))
w(f'- **Ids defined in the spec that no test names ({len(untested)}):** ' + ', '.join(untested) + '.')
w(f'- Of those, cited nowhere in `src/` or `templates/` either ({len(no_code)}): ' + ', '.join(no_code) + '.')
w('- Notes: `gw_s_01_to_07_letter_format` names GW-S-01…07 in its name, but its assertions only cover S-01, S-02, S-04 (horizontal position) and S-07. '
  'Some `#[cfg(test)]` unit tests in `src/` exercise rules without naming ids (src/model/number.rs → GW-H-20, src/model/date.rs → GW-B-40, '
  'src/compose/title.rs → GW-B-03, src/compose/heading.rs → GW-B-22, src/compose/punct.rs → GW-B-23); they are not counted above. '
  '`templates/notice.typ` also has a section comment citing `GW-H-*`, which is not expanded here.')
w('- Columns: **Tests** lists `tests/` files with the test functions that name the id; **Source / templates** lists files under `src/` and `templates/` that cite it. '
  '† = the file cites the id only through a range or list such as `GW-B-30..60` or `GW-E-01..14` (ranges are expanded to the ids the spec defines). '
  'File names only, no line numbers. Regenerate with `python3 docs/rules/scan.py && python3 docs/rules/gen.py`.')
w('- Spec sections §0 (reading guide), §10 (GB/T 33476 electronic format), §11 (OFD export basics), §12 (checker notes), §13 (conflicts) and §14 (common errors) define no ids.\n')
w('Regenerate the "where" columns with e.g. `grep -rnoiE "gw[-_][a-z][-_][0-9]{2}" tests src templates`; note that one test name can list several ids (`gw_e_01_n_05_…` = GW-E-01 + GW-N-05, `gw_n_01_to_04_…` = GW-N-01…04).\n')
for cat,title,line in SECTIONS:
    w(f'## {title}\n')
    w(line+'\n')
    w('| ID | Rule (paraphrase) | Tests | Source / templates |')
    w('|---|---|---|---|')
    for d in defined:
        if d.split('-')[1]!=cat: continue
        r=res.get(d,{})
        w(f'| {d} | {D[d]} | {tests_cell(r)} | {src_cell(r)} |')
    w('')
open(_os.path.join(_os.path.dirname(__file__),'..','RULES.md'),'w').write('\n'.join(out))
print(len(in_test),len(untested),len(no_code))
