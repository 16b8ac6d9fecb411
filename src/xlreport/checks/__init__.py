"""The checks: rules evaluated on report values (one report, its totals, two consecutive years). Pure."""
