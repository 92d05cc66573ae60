"""The annual statistics of 表三 and 表四 computed from the cases (pure; no storage).

CONTRACT (filled in by the statistics work; signatures are fixed):

    def year_cells(cases: Iterable[tuple[CaseRecord, list[EventRecord]]], year: int) -> dict[str, int]
        # every cell ref of 表三 and 表四 (e.g. "applications/received/natural_person") -> count
    def year_report(cases: ..., year: int, agency: str) -> Report
        # a 2021-format Report with those cells (active table absent), narrative left to the source
"""
