"""xxgk: 政府信息公开工作年度报告 — read, check and compile the annual reports."""

__version__ = "0.1.0"
