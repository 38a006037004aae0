# MIA edition pipeline. `make` sets everything up and builds every edition;
# `make test` runs the tests. Both install what they need (a virtual environment,
# pip packages, Debian packages through apt-get when missing).

PYTHON     ?= python3
VENV       := .venv
PY         := $(VENV)/bin/python
# `make -jN` sets the pipeline's worker count; else JOBS (default 2, this machine's cores).
JOBS       ?= $(or $(patsubst -j%,%,$(filter -j%,$(MAKEFLAGS))),2)
ACE_DIR    := $(VENV)/ace
AXE_DIR    := $(VENV)/axe
VNU_DIR    := $(VENV)/vnu
DEB_RUNTIME := poppler-utils libharfbuzz-subset0 fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 default-jre-headless
DEB_TEST    := chromium pandoc
export PYTHONDONTWRITEBYTECODE := 1

.DELETE_ON_ERROR:
.PHONY: all setup dev-setup lock test-setup build editions masters validate verify catalog test bench archive-import bench-library archive golden clean distclean help

all: build

help:
	@echo "make            set up and build every edition into editions/"
	@echo "make test       run the test suite"
	@echo "make validate   validate every source and master"
	@echo "make verify     check every edition against its master"
	@echo "make bench      run the benchmark (bench/)"
	@echo "make archive-import  import the whole shared archive into a scratch folder; triage table in bench/results/"
	@echo "make bench-library   time writing the library site and catalogs (WORKS=1000, or ROOT=a built project)"
	@echo "make archive    import, every master, 300 works' editions, in .archive/; figures in bench/results/ARCHIVE.md"
	@echo "make golden     regenerate the golden masters and editions (tests/goldens.py); review the diff"
	@echo "make lock       re-resolve the lock files from pyproject.toml (LOCK_ARGS=--upgrade: newest releases)"
	@echo "make clean      remove editions/"

# --- set-up -------------------------------------------------------------------------
define ensure_debs
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

# Node.js may come from outside Debian (as on this project's machines): install it only when `npm` is missing.
define ensure_debs_cmd
	SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(1) >/dev/null
endef

$(VENV)/.deb-runtime:
	$(call ensure_debs,$(DEB_RUNTIME))
	@mkdir -p $(VENV) && touch $@

# The Python packages come from two lock files that pip-tools' pip-compile writes from
# pyproject.toml (`make lock`): requirements.lock, what the build needs (and setuptools, which
# installs the project itself), and requirements-dev.lock, that plus the test, bench and cluster
# extras, resolved under the first so that a package has one version in both. Every pin carries
# the sha256 of each file PyPI has for it and pip installs with --require-hashes, so a fresh
# clone gets exactly these versions (tests/test_lock.py checks the venv and that the locks
# satisfy pyproject.toml); the build's code digest covers the pins of requirements.lock, so a
# changed pin rebuilds every work. pip-tools rather than uv: its locks are plain requirements
# files that the pip we install with reads as they are, resolved by pip itself on this Python,
# so set-up needs no second installer; pip-tools is needed only by `make lock`.
LOCK              := requirements.lock
DEV_LOCK          := requirements-dev.lock
PIP_VERSION       := 26.3
PIP_TOOLS_VERSION := 7.6.2
LOCK_TOOLS        := $(VENV)/lock-tools

# pip itself is pinned by version (it installs, it shapes no output). The project goes in last,
# without its dependencies and with the locked setuptools (--no-build-isolation) rather than
# whatever setuptools pip would fetch into an isolated build (setuptools' notice about editable
# installs goes to .venv/install.log, shown only if the install fails). Then the PDF typeface's static
# instances (pipeline/writers/fonts.py), made once here rather than by the first build.
$(VENV)/.installed: $(LOCK) pyproject.toml $(VENV)/.deb-runtime
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q pip==$(PIP_VERSION)
	$(PY) -m pip install -q --require-hashes -r $(LOCK)
	@echo "installing mia-pipeline into $(VENV) (editable)"
	@$(PY) -m pip install -q --no-deps --no-build-isolation -e . 2>$(VENV)/install.log || { cat $(VENV)/install.log; exit 1; }
	@echo "preparing the PDF typeface (static instances of EB Garamond, once)"
	$(PY) -c 'from pipeline.writers import fonts; fonts.print_faces()'
	touch $@

# The test, bench and cluster tools, on top (`make test`, `make bench`).
$(VENV)/.installed-dev: $(DEV_LOCK) $(VENV)/.installed
	$(PY) -m pip install -q --require-hashes -r $(DEV_LOCK)
	touch $@

setup: $(VENV)/.installed

dev-setup: $(VENV)/.installed-dev

# Updating the locks, on purpose: `make lock` re-resolves pyproject.toml keeping every pin that
# still satisfies it (after a changed requirement); `make lock LOCK_ARGS=--upgrade` takes the
# newest releases, `make lock LOCK_ARGS='-P pillow'` one package's. Then `make test` (the golden
# test says whether an output byte changed) and commit both locks with pyproject.toml.
LOCK_FLAGS := -q --generate-hashes --allow-unsafe --all-build-deps --strip-extras --no-emit-index-url --no-emit-find-links
lock:
	test -x $(LOCK_TOOLS)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_TOOLS) && \
	  $(LOCK_TOOLS)/bin/pip install -q pip==$(PIP_VERSION) pip-tools==$(PIP_TOOLS_VERSION); }
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_TOOLS)/bin/pip-compile $(LOCK_FLAGS) $(LOCK_ARGS) -o $(LOCK) pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_TOOLS)/bin/pip-compile $(LOCK_FLAGS) $(LOCK_ARGS) \
	  --extra test --extra bench --extra cluster -c $(LOCK) -o $(DEV_LOCK) pyproject.toml

$(VENV)/.deb-test:
	$(call ensure_debs,$(DEB_TEST))
	@command -v npm >/dev/null 2>&1 || { $(call ensure_debs_cmd,nodejs npm); }
	@mkdir -p $(VENV) && touch $@

$(ACE_DIR)/.installed: $(VENV)/.deb-test
	mkdir -p $(ACE_DIR)
	cd $(ACE_DIR) && PUPPETEER_SKIP_DOWNLOAD=1 npm install --silent --no-audit --no-fund @daisy/ace-cli@1.4.6 >/dev/null
	touch $@

# axe-core's browser script, injected by tests/distribution into pages of the library site.
$(AXE_DIR)/.installed: $(VENV)/.deb-test
	mkdir -p $(AXE_DIR)
	cd $(AXE_DIR) && npm install --silent --no-audit --no-fund axe-core@4 >/dev/null
	touch $@

# The W3C Nu HTML Checker (v.Nu), run by tests/distribution over every library page and
# every EPUB's XHTML; a Java program (default-jre-headless is among the runtime debs).
$(VNU_DIR)/.installed: $(VENV)/.deb-test $(VENV)/.deb-runtime
	mkdir -p $(VNU_DIR)
	cd $(VNU_DIR) && npm install --silent --no-audit --no-fund vnu-jar@26.9.27 >/dev/null
	touch $@

test-setup: dev-setup $(VENV)/.deb-test $(ACE_DIR)/.installed $(AXE_DIR)/.installed $(VNU_DIR)/.installed

# --- building -------------------------------------------------------------------------
# The pipeline's own build is incremental (a work is rebuilt only when its source,
# manifest, the pipeline's code or its stylesheets changed) and runs warm workers.
# The catalog is written even when a work failed: it publishes only the works whose last
# build was verified (editions/<slug>/.verified) and whose files still have the sha256
# recorded then, and names the others and why. The build's status decides make's.
build: setup
	@status=0; $(PY) -m pipeline build --jobs $(JOBS) || status=$$?; \
	  $(PY) -m pipeline catalog && exit $$status
	@echo "the library: editions/site/index.html; serve it with: python3 -m http.server --directory editions/site 8000 (then open http://localhost:8000/)"

editions: build

# Every source manifest (schema and fixity) and every master built so far.
validate: setup
	$(PY) -m pipeline validate sources $$(ls editions/*/*.tei.xml 2>/dev/null)

verify: setup
	@$(PY) -m pipeline verify

catalog: setup
	$(PY) -m pipeline catalog

# Two pytest workers, a test file each at a time (--dist loadfile keeps a file's module
# fixtures in one worker): the suite's many single-process tests (WeasyPrint, jing,
# Chromium) then use both cores. The longest files go first (tests/conftest.py's
# LONGEST_FIRST; --no-loadscope-reorder keeps that order rather than xdist's, by number of
# tests), so that no long file is left for the end with one core idle; what a run makes
# once (the build of sources/, the tiny project, EPUBCheck of the build's books) both workers
# share (conftest.made_once).
# The checks first (each a few seconds): formatting, lint, types (mypy, strict on the
# readers), the import contracts; then the tests.
test: test-setup
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" ACE_CLI="$(CURDIR)/$(ACE_DIR)/node_modules/.bin/ace-cli" \
	  AXE_JS="$(CURDIR)/$(AXE_DIR)/node_modules/axe-core/axe.min.js" \
	  VNU_JAR="$(CURDIR)/$(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar" \
	  PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium $(PY) -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder

# The golden masters and editions of every source (tests/golden/): regenerated on purpose, the
# diff reviewed and committed with the change that made it.
golden: setup
	$(PY) -m tests.goldens

bench: dev-setup $(VENV)/.deb-test
	$(PY) bench/run.py

# The whole shared archive (8,914 pages) through `import`, into a scratch sources folder
# (never the project's sources/); the triage table goes to bench/results/import-triage.md.
# Uses MIA_SITE when it is a folder (an unpacked copy), else unpacks the tarball into a temp dir.
MIA_SITE    ?= /tmp/mia
MIA_TARBALL ?= ../shared/mia-archive/mia-site.tar.xz
archive-import: setup
	@set -e; scratch=$$(mktemp -d); trap 'rm -rf "$$scratch"' EXIT; site="$(MIA_SITE)"; \
	if [ ! -d "$$site/archive" ]; then \
	  test -f "$(MIA_TARBALL)" || { echo "no site copy: set MIA_SITE or provide $(MIA_TARBALL)"; exit 2; }; \
	  echo "unpacking $(MIA_TARBALL)"; mkdir -p "$$scratch/site"; tar -xJf "$(MIA_TARBALL)" -C "$$scratch/site"; site="$$scratch/site"; fi; \
	$(PY) -m pipeline import "$$site" --sources "$$scratch/sources" --jobs $(JOBS) --report "$$scratch/report.json"; \
	$(PY) bench/import_table.py "$$scratch/report.json" bench/results/import-triage.md \
	  "make archive-import  (python -m pipeline import $$site --sources SCRATCH --jobs $(JOBS) --report FILE)"
# Writing the library (site, OPDS, search, SHA256SUMS) for ROOT's built works, or WORKS synthetic ones.
WORKS ?= 1000
bench-library: dev-setup $(VENV)/.deb-test
	$(PY) bench/library.py $(if $(ROOT),--root $(ROOT),--works $(WORKS))

# The whole shared archive through the pipeline, in a scratch project (.archive/root, git-ignored):
# import, every work's master (build --masters-only), the editions of every work (SAMPLE=N: a seeded sample of N
# works; only free works have editions); the figures go to bench/results/ (ARCHIVE.md).
# MASTERS=N builds the masters of a seeded sample of N works only; PATHS narrows the import
# (e.g. PATHS=archive/trotsky) for a quick run; SEED changes both samples.
SAMPLE  ?= 0
MASTERS ?= 0
SEED    ?= 13
PATHS   ?=
archive: setup
	$(PY) bench/archive.py --site "$(MIA_SITE)" --tarball "$(MIA_TARBALL)" --jobs $(JOBS) --seed $(SEED) \
	  --sample $(SAMPLE) --masters $(MASTERS) $(if $(PATHS),--paths $(PATHS))

clean:
	find editions -mindepth 1 ! -name README.md -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
