#!/usr/bin/env python3
"""Cross-benchmark leak check for models/jmere.mie: its entity stages train on GMNER train and its
relation stage is scored on MNRE val read as posts, so no MNRE val text may be a GMNER train post.
    /usr/bin/python3 scripts/check-leaks.py          # from the source root (data in ../shared/data)
"""
import ast, sys
gm = set(); cur = []
for line in open("../shared/data/gmner/train.txt", encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("IMGID:"):
        cur = []; continue
    if not line.strip():
        if cur: gm.add(tuple(cur)); cur = []
        continue
    cur.append(line.split("\t")[0])
if cur: gm.add(tuple(cur))
val = {tuple(ast.literal_eval(l)["token"]) for l in open("../shared/data/mnre/val.txt", encoding="utf-8")}
print(f"{len(val)} distinct MNRE val token sequences; {len(val & gm)} of them are GMNER train posts ({len(gm)} posts)")
