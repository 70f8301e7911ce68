"""The province-scale benchmark (issue #16): a data generator (bench.generate, `manage.py bench_data`)
and a page benchmark driven by locust (bench.run, `python -m bench.run`, `make bench`)."""
