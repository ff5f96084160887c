#!/usr/bin/env python3
"""Bytes a reader's browser fetches for each query on a built site's search page: served on a
loopback port, each query typed into a fresh browser context (nothing cached), every response
under search/ after the page itself counted (the index description, the shards of the query's
words, the chunks of page data of its results). Usage: search-bytes.py PUBLIC_DIR QUERY..."""
import functools
import http.server
import pathlib
import sys
import threading

from playwright.sync_api import sync_playwright


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


root = pathlib.Path(sys.argv[1]).resolve()
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
threading.Thread(target=server.serve_forever, daemon=True).start()
base = f"http://127.0.0.1:{server.server_address[1]}/"
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    for query in sys.argv[2:]:
        context = browser.new_context()
        page = context.new_page()
        fetched = []
        page.on("requestfinished", lambda request: fetched.append(request))
        page.goto(base + "search/index.html")
        page.wait_for_function("document.getElementById('search-section').options.length > 1")
        page.type("#search-input", query, delay=10)
        page.wait_for_function("document.getElementById('search-status').textContent.length > 0", timeout=20000)
        page.wait_for_timeout(300)
        total = 0
        files = 0
        for request in fetched:
            path = request.url[len(base):]
            if path.startswith("search/") and (path.endswith(".json")):
                total += len(request.response().body())
                files += 1
        results = page.eval_on_selector_all("#search-results a", "links => links.length")
        print(f"'{query}': {total:,} bytes in {files} files, {results} results shown")
        context.close()
    browser.close()
server.shutdown()
