"""Structure-aware fuzzing of xxgk's readers and the ledger import/export (issue 11, point 7).

`python -m fuzz --budget 30m [--seed N] [--medium pdf,...] [--cases N]` mutates seed files the
project builds itself (`seeds`) with one mutator per medium (`mutate`), runs each case through
the real entry point in a forked child with a wall-clock limit and RLIMIT_AS (`runner`,
`targets`), and classifies the outcome: ok, a clear error (XxgkError in Chinese), or a
failure (hang, OOM, crash, traceback, "内部错误", library output on stderr, an accepted DTD,
a live formula in an export). Everything is deterministic by seed.
"""
