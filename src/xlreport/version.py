"""The package and template versions: the lowest module, so any layer may read them."""

__version__ = "0.1.0"
TEMPLATE_VERSION = "3"  # 2: live checks (conditional formatting, status formulas); 3: cover fields 机关层级, 发布日期
