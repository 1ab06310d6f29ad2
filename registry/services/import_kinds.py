"""The kinds of rows an import file holds, each a sheet of the workbook template (api.md "Bulk import file")."""
from __future__ import annotations

from registry.rules.i18n import N_
from registry.rules.vocabulary import Code


class ImportKind(Code):
    """A sheet of the import workbook: the code names it on the command line (--kind) and the page; the label is
    the sheet's name in the template, by which a workbook's sheets are recognised."""

    TEACHERS = ("teachers", N_("教师"))
    EMPLOYMENT = ("employment", N_("工作经历"))
    CERTIFICATES = ("certificates", N_("证书"))
    TRAINING = ("training", N_("培训"))
    PRACTICE = ("practice", N_("企业实践"))
