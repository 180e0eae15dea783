# The README's commands. Everything installs itself on first use:
#   make deploy [ENV=local]   deploy an environment (local: starts the moto endpoint)
#   make test                 the whole test suite, end-to-end test included
SHELL := /bin/bash
.DEFAULT_GOAL := help

ENV ?= local
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The pinned Node 22 and CDK CLI from node_modules come first, for cdk and for jsii.
export PATH := $(CURDIR)/node_modules/.bin:$(CURDIR)/$(VENV)/bin:$(PATH)
# Keep compiled bytecode (in the ignored __pycache__ directories): each `python -m deployer`
# and each synthesis the CDK CLI starts then loads the project's modules instead of compiling them.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help install deploy bootstrap status test test-fast mutation synth diff lint local-down schema bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed  ## install pinned Python and npm dependencies

deploy: install  ## deploy ENV (default local) and print its status
	$(PY) -m deployer deploy --env $(ENV)

bootstrap: install  ## cdk bootstrap the account and region of ENV
	$(PY) -m deployer bootstrap --env $(ENV)

status: install  ## stacks, cluster and services of ENV
	$(PY) -m deployer status --env $(ENV)

# Three workers on this 2-core machine: as fast as two when it is idle, faster when it is busy
# (the end-to-end and CLI tests wait on subprocesses; docs/benchmarks.md). A file stays on one
# worker, so the end-to-end timeline and each module's fixtures run once.
PYTEST_PARALLEL ?= -n 3 --dist loadfile

test: install  ## run the whole test suite
	$(PY) -m pytest $(PYTEST_PARALLEL)

test-fast: install  ## unit tests only
	$(PY) -m pytest $(PYTEST_PARALLEL) tests/unit

# MUTANTS: mutmut names to run, e.g. MUTANTS='deployer.aws.rollout*' (default: every configured module).
# One mutant at a time: mutmut forks each from a process whose jsii kernel (the node process behind
# aws_cdk) is already running, and two at once share it and fail; mutmut counts that as killed.
MUTANTS ?=
mutation: install  ## mutation testing (mutmut) of the riskiest modules; slow, not part of `make test`
	mkdir -p mutants && ln -sfn ../node_modules mutants/node_modules
	$(VENV)/bin/mutmut run --max-children 1 $(MUTANTS) > mutants/run.log 2>&1 || { tail -c 3000 mutants/run.log; exit 1; }
	$(PY) -m tests.mutation_scores

synth: install  ## synthesise ENV into cdk.out/ENV/
	$(PY) -m deployer cdk --env $(ENV) -- synth --quiet

diff: install  ## cdk diff of ENV against what is deployed
	$(PY) -m deployer cdk --env $(ENV) -- diff --all

lint: install  ## ruff, mypy, actionlint on the workflows, cfn-lint on every environment's templates
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(VENV)/bin/actionlint -shellcheck $(VENV)/bin/shellcheck .github/workflows/*.yml
	$(PY) -m tests.cfn_lint_check

local-down:  ## stop the local AWS endpoint
	$(PY) -m deployer local down

schema: install  ## regenerate config/spec.schema.json
	$(PY) -m config.json_schema

bench: install  ## run the benchmarks (results in docs/benchmarks.md)
	$(PY) -m bench.synth
	$(PY) -m bench.scale
	$(PY) -m bench.suite_time

clean:  ## remove build output (keeps .venv and node_modules)
	rm -rf cdk.out build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache mutants
	find . -path ./node_modules -prune -o -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
