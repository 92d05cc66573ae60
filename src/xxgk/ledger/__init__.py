"""The case ledger of 依申请公开: cases as histories of dated events, statutory deadlines,
letters, and the annual statistics (表三, 表四) computed from the cases.

Layers inside the package (downward only):
  records (plain data) <- calendar <- deadline <- history (effective events) <- domain (state of
  a case) <- fees, stats, letters (+ letterdocx), labels <- models, store (SQLAlchemy, migrations/)
  <- tabular (+ xlsxread, xlsxstyles) <- importcheck, staging <- importexport <- cli.
  officemodels: the web app's tables beside the ledger (files of a case, letter templates,
  the calendar override), used by services/casework*.
"""
