"""xlreport: 政府信息公开工作年度报告 in Excel, checked and generated from its cells."""

from .version import TEMPLATE_VERSION, __version__

__all__ = ["TEMPLATE_VERSION", "__version__"]
