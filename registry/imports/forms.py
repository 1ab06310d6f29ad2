from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SubmitField


class ImportForm(FlaskForm):
    """Rendering and CSRF only: the importer decides what is wrong with a file."""

    file = FileField(_l("导入文件（.xlsx 或 .csv）"), render_kw={"accept": ".xlsx,.csv"})
    preview = SubmitField(_l("预检（不写入）"))
    submit = SubmitField(_l("导入"))
