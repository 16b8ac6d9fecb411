"""xlreport: 政府信息公开工作年度报告 in Excel, checked and generated from its cells."""

__version__ = "0.1.0"
TEMPLATE_VERSION = "1"
