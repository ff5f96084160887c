#!/usr/bin/env python3
"""Types queries into a built site's search page in Debian's chromium and checks the first
result. Serves the site on a free loopback port (browsers block fetch from file://).
Usage: search-test.py PUBLIC_DIR 'QUERY=>PATH' ['QUERY=>PATH' ...]
Each PATH must be the address (under the site) of the first result for QUERY. Exits non-zero
when one is not, and prints every result list it saw."""
import functools
import http.server
import pathlib
import sys
import threading

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

root = pathlib.Path(sys.argv[1]).resolve()
cases = [arg.split("=>", 1) for arg in sys.argv[2:]]
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


handler = functools.partial(Quiet, directory=str(root))
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
base = f"http://127.0.0.1:{server.server_address[1]}/"
failures = 0
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    page = browser.new_page()
    for query, expected in cases:
        page.goto(base + "search/index.html")
        page.wait_for_function("document.getElementById('search-section').options.length > 1")
        page.fill("#search-input", "")
        page.type("#search-input", query, delay=20)
        page.wait_for_function(
            "document.getElementById('search-status').textContent.length > 0", timeout=10000)
        hrefs = page.eval_on_selector_all("#search-results a", "links => links.map(a => a.href)")
        first = hrefs[0][len(base):] if hrefs else None
        ok = first == expected
        failures += 0 if ok else 1
        print(f"{'ok' if ok else 'FAIL'}: '{query}' → {first} (expected {expected}); results: {[h[len(base):] for h in hrefs[:5]]}")
        # The page with its results, through axe-core.
        violations = Axe().run(page).response["violations"]
        for v in violations:
            print(f"axe, with results for '{query}': {v['id']} ({v['impact']}): {v['help']}")
        failures += len(violations)
        # From the keyboard: Tab from the field goes through the filters and the button to
        # the first result, and Enter opens it.
        if hrefs:
            page.focus("#search-input")
            for _ in range(4):
                page.keyboard.press("Tab")
            focused = page.evaluate("document.activeElement.href || ''")
            if focused != hrefs[0]:
                print(f"FAIL: Tab from the field reached {focused!r}, not the first result")
                failures += 1
            else:
                with page.expect_navigation():
                    page.keyboard.press("Enter")
                if page.url != hrefs[0]:
                    print(f"FAIL: Enter on the first result opened {page.url}")
                    failures += 1
    browser.close()
server.shutdown()
print(f"search: {len(cases) - failures} of {len(cases)} queries found their page first")
sys.exit(1 if failures else 0)
