"""The statutory forms as data, and which one applies to a report year."""

from .base import DOMAIN_TEXT, AgencyLevel, Block, Cell, Column, CoverField, Domain, Form, Identity, Kind, Row, Table
from .statutory import AGENCY_LEVELS, COVER_FIELDS, FORM_2019, FORM_2021, FORMS, HEADINGS, OVERVIEW_PARTS

__all__ = [
    "AGENCY_LEVELS", "DOMAIN_TEXT", "AgencyLevel", "Block", "Cell", "Column", "CoverField", "Domain", "Form", "Identity", "Kind", "Row", "Table",
    "COVER_FIELDS", "FORM_2019", "FORM_2021", "FORMS", "HEADINGS", "OVERVIEW_PARTS", "form_for_year",
]


def form_for_year(year: int) -> Form:
    """国办公开办函〔2019〕60号 for 2019–2020 reports, 〔2021〕30号 from 2021 on."""
    for form in FORMS.values():
        if form.covers(year):
            return form
    raise ValueError(f"{year} 年早于统一格式（2019年起）")
