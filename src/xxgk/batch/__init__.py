"""Corpus runs (`xxgk batch`): many reports read on all cores or a Dask cluster into a checked,
cell-level dataset (Parquet, CSV, DuckDB, 汇总.xlsx, data dictionary), with the cohort checks
(雷同 across units, cross-year pairs, roll-up with an org tree, timeliness, regions).

Entry points: `run.run_batch` (the run), `database.query` (SQL on a dataset), `queries` and
`dashboard.write_dashboard` (the dashboard). Heavy libraries (pyarrow, DuckDB, datasketch, Dask)
are imported inside the functions that use them.
"""
