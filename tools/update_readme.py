"""Regenerate the generated parts of README.md (the rule list) from the declarations."""

from pathlib import Path

from xlreport.rules.catalog import rules_markdown

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- rules:start -->\n", "<!-- rules:end -->"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(head + START + rules_markdown() + END + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
