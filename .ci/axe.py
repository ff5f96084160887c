#!/usr/bin/env python3
"""Runs axe-core in Debian's chromium on one page of each type of a built site and prints
every violation. Exits non-zero if there is any. Usage: axe.py [PUBLIC_DIR]"""
import pathlib
import sys

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "Public").resolve()
pages = sorted(str(p.relative_to(root)) for p in root.rglob("*.html"))
# One page of each type: home, each article, the tag index and one tag, data page, 404.
# Pages made from data share their templates: of a folder with more than 20 pages, its
# listing and its first two pages stand for all of them.
chosen, seen_tag = [], False
per_folder = {}
for page in pages:
    folder = page.split("/")[0] if "/" in page else ""
    per_folder[folder] = per_folder.get(folder, 0) + 1
taken = {}
for page in pages:
    if page.startswith("tags/") and page != "tags/index.html":
        if seen_tag:
            continue
        seen_tag = True
    folder = page.split("/")[0] if "/" in page else ""
    if folder and per_folder[folder] > 20 and page != folder + "/index.html":
        if taken.get(folder, 0) >= 2:
            continue
        taken[folder] = taken.get(folder, 0) + 1
    chosen.append(page)

axe = Axe()
total = 0
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        for page_path in chosen:
            page = context.new_page()
            page.goto((root / page_path).as_uri())
            results = axe.run(page)
            violations = results.response["violations"]
            total += len(violations)
            for v in violations:
                nodes = ", ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"]) for n in v["nodes"][:3])
                print(f"{page_path} @{width}px: {v['id']} ({v['impact']}): {v['help']} [{nodes}]")
            page.close()
        context.close()
    browser.close()
print(f"axe: {len(chosen)} pages at 390 and 1280 px, {total} violations")
sys.exit(1 if total else 0)
