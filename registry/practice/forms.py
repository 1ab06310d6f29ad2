"""Page forms for rendering and CSRF only: the service validates (registry.schemas.PracticeIn)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, SelectField, StringField, TextAreaField

from registry.rules import vocabulary as codes
from registry.services.evidence import ACCEPT
from registry.vocabulary import choices


class PracticeForm(FlaskForm):
    enterprise = StringField(_l("实践企业"), render_kw={"maxlength": 100, "required": True})
    start = StringField(_l("开始日期"), render_kw={"type": "date", "required": True})
    end = StringField(_l("结束日期"), render_kw={"type": "date"})
    form = SelectField(_l("实践形式"), validate_choice=False)
    description = TextAreaField(_l("实践内容"), render_kw={"rows": 3, "maxlength": 2000})
    file = MultipleFileField(_l("证明材料"), render_kw={"accept": ACCEPT})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.choices = choices(codes.PracticeForm, blank=str(_l("请选择")))

    def record_data(self) -> dict:
        """The fields the service takes, as typed."""
        return {name: self[name].data or "" for name in ("enterprise", "start", "end", "form", "description")}


class EvidenceForm(FlaskForm):
    file = MultipleFileField(_l("添加证明材料"), render_kw={"accept": ACCEPT})
