# The two commands of the README:
#   make run    set everything up and start the client on its embedded defaults
#   make test   set everything up and run the whole test suite (what CI runs)
.PHONY: run test lint bench setup

VENV := .venv/bin

run:
	tools/setup.sh chip,pcsc,post,client-extra,training
	$(VENV)/checkpoint demo

test:
	tools/setup.sh test,bench,chip,pcsc,post,client-extra,training
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	tools/mypy.sh
	$(VENV)/python -m pytest -q

lint:
	$(VENV)/ruff check .
	tools/mypy.sh

bench:
	tools/setup.sh test,bench,chip,pcsc,post,client-extra
	$(VENV)/python benchmarks/mrz_speed.py
	$(VENV)/python benchmarks/reader_latency.py
	$(VENV)/python benchmarks/client_latency.py
	$(VENV)/python benchmarks/training_latency.py
	$(VENV)/python benchmarks/ocr_accuracy.py
	$(VENV)/python benchmarks/sync.py
	$(VENV)/python benchmarks/chip_read.py
	$(VENV)/python benchmarks/repair_safety.py
	$(VENV)/python benchmarks/fuzz.py
