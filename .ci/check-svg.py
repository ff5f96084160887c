#!/usr/bin/env python3
"""Checks that every inline <svg> in the HTML pages under a folder is well-formed XML, with
xmllint. Prints one line per chart checked and exits non-zero on the first malformed one."""
import pathlib
import re
import subprocess
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "Public")
count = 0
failed = 0
for page in sorted(root.rglob("*.html")):
    html = page.read_text(encoding="utf-8")
    for n, svg in enumerate(re.findall(r"<svg\b.*?</svg>", html, flags=re.S), start=1):
        count += 1
        result = subprocess.run(["xmllint", "--noout", "-"], input=svg.encode("utf-8"), capture_output=True)
        if result.returncode != 0:
            failed += 1
            print(f"{page}: svg {n}: not well-formed XML\n{result.stderr.decode()}")
print(f"xmllint: {count} inline SVG checked, {failed} malformed")
sys.exit(1 if failed else 0)
