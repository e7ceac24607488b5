# The two commands of the README:
#   make run    set everything up and start the client on its embedded defaults
#   make test   set everything up and run the whole test suite (what CI runs)
.PHONY: run test lint bench setup docs

VENV := .venv/bin

run:
	tools/setup.sh all
	$(VENV)/checkpoint demo

test:
	tools/setup.sh all,test,bench,docs
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	tools/mypy.sh
	$(VENV)/python -m pytest -q

# The documentation site (guides and the API reference) into build/site, offline, in strict mode.
docs:
	tools/setup.sh all,test,bench,docs
	tools/docs.sh --strict

lint:
	$(VENV)/ruff check .
	tools/mypy.sh

bench:
	tools/setup.sh all,test,bench,docs
	$(VENV)/python benchmarks/mrz_speed.py
	$(VENV)/python benchmarks/reader_latency.py
	$(VENV)/python benchmarks/client_latency.py
	$(VENV)/python benchmarks/training_latency.py
	$(VENV)/python benchmarks/ocr_accuracy.py
	$(VENV)/python benchmarks/sync.py
	$(VENV)/python benchmarks/chip_read.py
	$(VENV)/python benchmarks/repair_safety.py
	$(VENV)/python benchmarks/fuzz.py
