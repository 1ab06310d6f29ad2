"""The benchmark of issue 11: `python -m registry.bench --teachers N [--database-url URL] [--repeat K]`.

It generates N realistic teachers in an empty database (generate), asks the
registry's questions as requests would ask them — lists, dashboard, one
teacher, one school, the exports, a write — timing and weighing each
(measure, memory), measures the per-request evaluation of the rules as the
baseline, and prints one table (report). `__main__` ties them together.
"""
