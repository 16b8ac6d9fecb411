"""xlreport rules: the rule list, generated from the rule declarations."""

from __future__ import annotations

from . import EXIT_OK


def register(sub) -> None:
    p = sub.add_parser("rules", help="列出全部校验规则")
    p.add_argument("--format", choices=("text", "markdown"), default="text")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..rules.catalog import RULES, rules_markdown

    if args.format == "markdown":
        print(rules_markdown(), end="")
    else:
        for r in RULES:
            print(f"{r.id:<18}{r.severity.label}  {r.title}：{r.basis}")
    return EXIT_OK
