# Two commands for a fresh machine (README.md): `make run` and `make test`.
VENV := .venv
PYTHON := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install catalogue run serve test clean

$(VENV)/installed: requirements.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/installed catalogue

# The English catalogue: messages.po is kept in git, the compiled messages.mo is built here (README, "English / 语言").
catalogue: $(VENV)/installed
	$(VENV)/bin/pybabel compile --statistics -d registry/translations

run: install
	$(FLASK) db upgrade
	$(FLASK) demo load
	@echo "打开 http://$(HOST):$(PORT) 用上面的演示账号登录。"
	$(FLASK) run --host $(HOST) --port $(PORT)

# Production-style serving (README, "部署到全省或全国"): settings from the environment, see registry/serving.py.
serve: install
	$(FLASK) db upgrade
	$(VENV)/bin/gunicorn -c python:registry.serving app:app

test: install
	$(PYTHON) -m pytest

clean:
	rm -rf $(VENV) instance .pytest_cache
