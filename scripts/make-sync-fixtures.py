#!/usr/bin/env python3
"""Builds fixtures/sync/: a small, coherent excerpt of the two real model-reference repositories
(an older snapshot as "the repository", a newer one as "PRIMARY"), used by the end-to-end tests
and `npm run demo`. Re-run it to re-record:  python3 scripts/make-sync-fixtures.py ../shared/data

Repository files keep their exact bytes where whole files are used; excerpts of
stable_diffusion.json and db.json are re-serialized exactly as their repositories write them
(json.dumps(indent=4) + "\n"; db.json through the repository's own convert.py). PRIMARY bodies are
serialized as PRIMARY serves them: json.dumps(indent=2, ensure_ascii=False), no final newline.
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

data = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "sync")
IMG = os.path.join(data, "AI-Horde-image-model-reference")
TXT = os.path.join(data, "AI-Horde-text-model-reference")
IMG_OLD, IMG_NEW = "pre-sync-2026-03", "new-2026-06"
TXT_OLD, TXT_NEW = "pre-sync-2026-05", "new-2026-06"
SMALL = ["blip", "clip", "codeformer", "controlnet", "esrgan", "gfpgan", "miscellaneous", "safety_checker"]

def primary_dumps(obj):
    return json.dumps(obj, indent=2, ensure_ascii=False)

def write(path, text, newline=""):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline=newline) as f:
        f.write(text)

def copy_bytes(src, dst):
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copyfile(src, dst)

# --- image repository ---------------------------------------------------------------------------
for name in SMALL:
    copy_bytes(os.path.join(IMG, IMG_OLD, f"{name}.json"), os.path.join(root, "image", "repo", f"{name}.json"))
    primary = json.load(open(os.path.join(IMG, IMG_NEW, f"{name}.json")))
    if name == "controlnet":
        # Synthetic drift (the real pair has none here): one changed URL in the CRLF, hand-formatted file.
        first = next(iter(primary))
        primary[first]["config"]["download"][0]["file_url"] += "?revision=2"
    write(os.path.join(root, "image", "primary", f"{name}.json"), primary_dumps(primary))

old_sd = json.load(open(os.path.join(IMG, IMG_OLD, "stable_diffusion.json")))
new_sd = json.load(open(os.path.join(IMG, IMG_NEW, "stable_diffusion.json")))
removed = [k for k in old_sd if k not in new_sd]
added = [k for k in new_sd if k not in old_sd]
modified = [k for k in old_sd if k in new_sd and old_sd[k] != new_sd[k]]
escaped = [k for k in old_sd if k in new_sd and old_sd[k] == new_sd[k] and "\\u" in json.dumps(old_sd[k])][:2]
unchanged = [k for k in old_sd if k in new_sd and old_sd[k] == new_sd[k] and k not in escaped]
keep = set(removed + modified + escaped + unchanged[:: max(1, len(unchanged) // 8)][:8])
repo_sd = {k: v for k, v in old_sd.items() if k in keep}
primary_sd = {k: v for k, v in new_sd.items() if k in keep or k in added}
write(os.path.join(root, "image", "repo", "stable_diffusion.json"), json.dumps(repo_sd, indent=4) + "\n")
write(os.path.join(root, "image", "primary", "stable_diffusion.json"), primary_dumps(primary_sd))

# --- text repository ----------------------------------------------------------------------------
def read_rows(folder):
    with open(os.path.join(TXT, folder, "models.csv"), newline="", encoding="utf-8") as f:
        return list(csv.reader(f))

def convert(rows, folder):
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "models.csv"), "w", newline="", encoding="utf-8") as f:
            csv.writer(f, lineterminator="\r\n").writerows(rows)
        for name in ("defaults.json", "generation_params.json"):
            shutil.copyfile(os.path.join(TXT, folder, name), os.path.join(tmp, name))
        shutil.copyfile(os.path.join(TXT, "convert.py"), os.path.join(tmp, "convert.py"))
        subprocess.run([sys.executable, "convert.py"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        csv_text = open(os.path.join(tmp, "models.csv"), newline="", encoding="utf-8").read()
        db_text = open(os.path.join(tmp, "db.json"), encoding="utf-8").read()
        return csv_text, db_text

old_rows, new_rows = read_rows(TXT_OLD), read_rows(TXT_NEW)
header = old_rows[0]
old_by = {}
for r in old_rows[1:]:
    old_by.setdefault(r[0], []).append(r)
new_by = {}
for r in new_rows[1:]:
    new_by.setdefault(r[0], []).append(r)
dups = [n for n, rs in old_by.items() if len(rs) > 1]
changed = [n for n in old_by if n in new_by and old_by[n][-1] != new_by[n][-1]][:4]
new_models = [n for n in new_by if n not in old_by][:3]
with_settings = [n for n, rs in old_by.items() if rs[-1][9] and n in new_by][:2]
plain = [n for n in old_by if n in new_by and n not in dups and n not in changed][:: 60][:6]
chosen = set(dups + changed + with_settings + plain)
repo_rows = [header] + [r for r in old_rows[1:] if r[0] in chosen]
primary_rows = [header] + [r for r in new_rows[1:] if r[0] in chosen or r[0] in new_models]
repo_csv, repo_db = convert(repo_rows, TXT_OLD)
_, primary_db = convert(primary_rows, TXT_NEW)
write(os.path.join(root, "text", "repo", "models.csv"), repo_csv)
write(os.path.join(root, "text", "repo", "db.json"), repo_db)
for name in ("defaults.json", "generation_params.json"):
    copy_bytes(os.path.join(TXT, TXT_OLD, name), os.path.join(root, "text", "repo", name))
write(os.path.join(root, "text", "primary", "text_generation.json"), primary_dumps(json.loads(primary_db)))

print(f"image: stable_diffusion +{len(added)} -{len(removed)} ~{len(modified)} (of {len(repo_sd)} kept); controlnet ~1 (synthetic)")
print(f"text: {len(chosen)} models kept ({len(dups)} duplicated), {len(changed)} changed, {len(new_models)} new")
