# The two commands of the README:
#   make run    set everything up and start the client on its embedded defaults
#   make test   set everything up and run the whole test suite (what CI runs)
.PHONY: run test lint bench setup

VENV := .venv/bin

run:
	tools/setup.sh ocr-extra
	$(VENV)/checkpoint demo

test:
	tools/setup.sh test,bench,ocr-extra
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	tools/mypy.sh
	$(VENV)/python -m pytest -q

lint:
	$(VENV)/ruff check .
	tools/mypy.sh

bench:
	tools/setup.sh test,bench,ocr-extra
	$(VENV)/python benchmarks/mrz_speed.py
	$(VENV)/python benchmarks/reader_latency.py
	$(VENV)/python benchmarks/client_latency.py
	$(VENV)/python benchmarks/ocr_accuracy.py
