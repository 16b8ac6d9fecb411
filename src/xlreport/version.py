"""The package and template versions: the lowest module, so any layer may read them."""

__version__ = "0.1.0"
TEMPLATE_VERSION = "2"  # 2: live checks (conditional formatting, status formulas)
