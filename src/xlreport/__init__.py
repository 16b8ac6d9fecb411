"""xlreport: 政府信息公开工作年度报告 in Excel, checked and generated from its cells."""

from .version import TEMPLATE_VERSION, __version__

__all__ = ["TEMPLATE_VERSION", "__version__"]  # not the frames: `import *` must not need pandas

_ANALYSIS = ("findings_frame", "read_frame")


def __getattr__(name: str):
    # pandas is imported only when asked for: `import xlreport` stays light for the ribbon and check
    # (no module of the package imports this root, so this lazy import closes no cycle).
    if name in _ANALYSIS:
        from . import analysis

        return getattr(analysis, name)
    raise AttributeError(f"module 'xlreport' has no attribute {name!r}")
