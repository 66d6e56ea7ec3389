import re, os, json, collections
import os as _os
ROOT=_os.path.abspath(_os.path.join(_os.path.dirname(__file__),'..','..'))
spec=open(_os.path.join(ROOT,'..','shared','spec','gbt9704.md')).read()
defined=[]
for m in re.finditer(r'^\s*- \*\*(GW-[A-Z]+-\d+[a-z]?)\*\*', spec, re.M):
    defined.append(m.group(1))
defset=set(defined)
CATS=set(i.split('-')[1].lower() for i in defined)

def expand(cat, a, b):
    cat=cat.upper()
    return [d for d in defined if d.split('-')[1]==cat and a<=int(d.split('-')[2])<=b] or [f'GW-{cat}-{n:02d}' for n in range(a,b+1)]

# ids in free text: GW-X-NN with lists (/NN) and ranges (..NN)
TXT=re.compile(r'(?i)\bgw[-_]([a-z])[-_](\d{2})((?:(?:\.\.|/|–)\d{2})*)')
def ids_in_text(s):
    out=[]  # (id, via_range)
    for m in TXT.finditer(s):
        cat=m.group(1).upper(); cur=int(m.group(2)); out.append((f'GW-{cat}-{cur:02d}',False))
        for sep,num in re.findall(r'(\.\.|/|–)(\d{2})', m.group(3)):
            n=int(num)
            if sep=='/': out.append((f'GW-{cat}-{n:02d}',False))
            else:
                for d in expand(cat,cur+1,n): out.append((d,True))
            cur=n
    return out

def ids_in_fn_name(name):
    toks=name.split('_'); out=[]
    i=0
    while i<len(toks):
        if toks[i]=='gw':
            i+=1; cat=None; last=None
            while i<len(toks):
                t=toks[i]; nxt=toks[i+1] if i+1<len(toks) else ''
                if len(t)==1 and t in CATS and re.fullmatch(r'\d{2}',nxt): cat=t.upper(); i+=1
                elif re.fullmatch(r'\d{2}',t) and cat: last=int(t); out.append(f'GW-{cat}-{last:02d}'); i+=1
                elif t=='to' and last is not None and re.fullmatch(r'\d{2}',nxt):
                    out+= expand(cat,last+1,int(nxt)); last=int(nxt); i+=2
                else: break
        else: i+=1
    return out

def fn_spans(src):
    """return list of (name, start, end, is_test) using a small lexer for braces."""
    # mask strings/comments/chars with spaces (keep length)
    out=list(src); i=0; n=len(src)
    def blank(a,b):
        for k in range(a,b):
            if out[k]!='\n': out[k]=' '
    while i<n:
        c=src[i]
        if src.startswith('//',i):
            j=src.find('\n',i); j=n if j<0 else j; blank(i,j); i=j
        elif src.startswith('/*',i):
            j=src.find('*/',i+2); j=n if j<0 else j+2; blank(i,j); i=j
        elif c=='r' and re.match(r'r(#*)"',src[i:i+10]) and (i==0 or not (src[i-1].isalnum() or src[i-1]=='_')):
            h=re.match(r'r(#*)"',src[i:]).group(1); end='"'+h
            j=src.find(end,i+2+len(h)); j=n if j<0 else j+len(end); blank(i,j); i=j
        elif c=='"':
            j=i+1
            while j<n and src[j]!='"':
                j+= 2 if src[j]=='\\' else 1
            blank(i,j+1); i=j+1
        elif c=="'":
            m=re.match(r"'(\\.[^']*|[^'\\])'",src[i:])
            if m: blank(i,i+m.end()); i+=m.end()
            else: i+=1
        else: i+=1
    masked=''.join(out)
    spans=[]
    for m in re.finditer(r'\bfn\s+([A-Za-z_][A-Za-z0-9_]*)',masked):
        b=masked.find('{',m.end()); semi=masked.find(';',m.end())
        if b<0 or (0<=semi<b): continue
        depth=0; k=b
        while k<n:
            if masked[k]=='{': depth+=1
            elif masked[k]=='}':
                depth-=1
                if depth==0: break
            k+=1
        # attributes/doc comments directly above
        pre=src[:m.start()]
        lines=pre.split('\n'); head=len(pre)
        # walk back over attribute/comment lines
        start=m.start()
        ls=pre.rstrip(' ').split('\n')
        idx=len(ls)-1
        # the current line prefix (e.g. 'pub ') is part of fn line
        pos=len(pre)-len(ls[-1])
        is_test=False
        j=idx-1; p=pos
        while j>=0:
            s=ls[j].strip()
            if s.startswith('#[') or s.startswith('///') or s.startswith('//'):
                if s.startswith('#[test') : is_test=True
                p-= len(ls[j])+1; j-=1
            else: break
        spans.append((m.group(1),p,k+1,is_test))
    return spans

res=collections.defaultdict(lambda: {'tests':collections.OrderedDict(),'testfiles':{},'src':{},'unit':collections.OrderedDict()})
undefined=collections.defaultdict(set)
def add(d,key,via):
    d[key]=d.get(key,True) and via
for top in ['tests','src','templates']:
    for dp,dn,fns in os.walk(os.path.join(ROOT,top)):
        dn.sort()
        for f in sorted(fns):
            p=os.path.join(dp,f); rel=os.path.relpath(p,ROOT)
            try: s=open(p,encoding='utf-8').read()
            except Exception: continue
            spans=fn_spans(s) if f.endswith('.rs') else []
            def enclosing(pos):
                best=None
                for sp in spans:
                    if sp[1]<=pos<sp[2] and (best is None or sp[1]>=best[1]): best=sp
                return best
            hits=[]
            for m in TXT.finditer(s):
                for i,via in ids_in_text(m.group(0)): hits.append((m.start(),i,via))
            for sp in spans:
                if sp[0].startswith('gw_'):
                    for i in ids_in_fn_name(sp[0]): hits.append((sp[1],i,False))
            for pos,i,via in hits:
                if i not in defset: undefined[i].add(rel)
                r=res[i]; sp=enclosing(pos)
                if top=='tests':
                    if sp and sp[3]: add(r['tests'],(rel,sp[0]),via)
                    else: add(r['testfiles'],rel,via)
                else:
                    add(r['src'],rel,via)
                    if sp and sp[3]: add(r['unit'],(rel,sp[0]),via)
json.dump({'defined':defined,'res':{k:{kk:[[list(a) if isinstance(a,tuple) else a,b] for a,b in vv.items()] for kk,vv in v.items()} for k,v in res.items()},'undefined':{k:sorted(v) for k,v in undefined.items()}},open(_os.path.join(_os.path.dirname(__file__),'scan.json'),'w'),ensure_ascii=False,indent=1)
print(len(defined),'defined')
tested=[d for d in defined if res[d]['tests'] if d in res]
print('in test fns',len([d for d in defined if d in res and res[d]['tests']]))
print('in tests/ any',len([d for d in defined if d in res and (res[d]['tests'] or res[d]['testfiles'])]))
print('helpers-only',[d for d in defined if d in res and not res[d]['tests'] and res[d]['testfiles']])
print('undefined',dict(undefined))
print('unit', {d:res[d]['unit'] for d in res if res[d]['unit']})

# name-only check
nameonly=[]
for top in ['tests']:
    for dp,dn,fns in os.walk(os.path.join(ROOT,top)):
        for f in fns:
            if not f.endswith('.rs'): continue
            p=os.path.join(dp,f); s=open(p).read(); rel=os.path.relpath(p,ROOT)
            for sp in fn_spans(s):
                if not sp[0].startswith('gw_'): continue
                body=s[sp[1]:sp[2]]
                # exclude fn name itself
                body_ids=set(i for m in TXT.finditer(body.replace(sp[0],'')) for i,_ in ids_in_text(m.group(0)))
                for i in ids_in_fn_name(sp[0]):
                    if i not in body_ids: nameonly.append((i,rel,sp[0]))
print('name-only:',nameonly)
json.dump(nameonly,open(_os.path.join(_os.path.dirname(__file__),'nameonly.json'),'w'))
