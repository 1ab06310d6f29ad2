from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, SubmitField

from registry.rules.vocabulary import ImportKind
from registry.vocabulary import choices, member

# What the file field offers to pick; the reader (registry.services.import_files) decides what it can read.
ACCEPTED = (".xlsx", ".xls", ".xlsb", ".ods", ".csv")


class ImportForm(FlaskForm):
    """Rendering and CSRF only: the importer decides what is wrong with a file.

    `kind` and `sheet` are empty unless the user chose one: the importer then goes by the sheets' names (a CSV
    holds teachers). `sheet`'s choices are the visible sheets of the workbook last previewed (set by the view);
    any name is accepted here, and the importer refuses a sheet the file does not show.
    """

    file = FileField(_l("导入文件（.xlsx、.xls、.xlsb、.ods 或 .csv）"), render_kw={"accept": ",".join(ACCEPTED)})
    kind = SelectField(_l("类型"), choices=[], validate_choice=False)
    sheet = SelectField(_l("工作表"), choices=[], validate_choice=False)
    verified = BooleanField(_l("企业实践记录已审核（导入为已审核通过）"))
    preview = SubmitField(_l("预检（不写入）"))
    submit = SubmitField(_l("导入"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(ImportKind, blank=_l("按工作表名称识别（CSV 为教师）"))
        self.set_sheets([])

    def set_sheets(self, sheets: list[str]) -> None:
        """Offer `sheets` (a workbook's visible sheets, in tab order) besides reading the sheets by their names."""
        self.sheet.choices = [("", _l("名称为类别的各工作表（没有时为打开时显示的工作表）"))] + [(name, name) for name in sheets]

    def chosen_kind(self) -> ImportKind | None:
        """The kind picked in the select; None for 按名称识别 (or a value that is not a kind)."""
        return member(ImportKind, self.kind.data or None)
