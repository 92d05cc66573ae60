"""A generated cohort (tests/batch/cohortmaker.py) read once by `xxgk batch` for the module."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cohortmaker import make_cohort  # noqa: E402

from xxgk.batch.run import BatchOptions, run_batch  # noqa: E402

SEED = 7


@pytest.fixture(scope="session")
def cohort_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("cohort")
    return directory, make_cohort(directory, SEED)


@pytest.fixture(scope="session")
def local_run(cohort_dir):
    directory, cohort = cohort_dir
    out = directory / "dataset-local"
    progress = run_batch([str(directory / "reports")], str(out), BatchOptions(jobs=2, org_tree=cohort.tree))
    return out, cohort, progress
