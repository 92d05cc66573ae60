"""Slow work off the request: uploads become jobs in the database, run by worker processes
(`xxgk worker`; `xxgk serve` starts one). See queue.py (the table's life cycle) and
worker.py (the loop, one child process per job with a time limit)."""
