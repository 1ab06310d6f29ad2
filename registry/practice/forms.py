"""Page forms for rendering and CSRF only: the service validates (registry.schemas.PracticeIn)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, StringField, TextAreaField

from registry.form_fields import code_select, date_field, payload
from registry.rules import vocabulary as codes
from registry.schemas import PracticeIn
from registry.services.evidence import ACCEPT


class PracticeForm(FlaskForm):
    enterprise = StringField(_l("实践企业"), render_kw={"maxlength": 100, "required": True})
    start = date_field(_l("开始日期"), required=True)
    end = date_field(_l("结束日期"))
    form = code_select(_l("实践形式"), codes.PracticeForm)
    description = TextAreaField(_l("实践内容"), render_kw={"rows": 3, "maxlength": 2000})
    file = MultipleFileField(_l("证明材料"), render_kw={"accept": ACCEPT})

    def record_data(self) -> dict:
        """The PracticeIn fields the page has (not the status), as typed."""
        return payload(self, PracticeIn)


class EvidenceForm(FlaskForm):
    file = MultipleFileField(_l("添加证明材料"), render_kw={"accept": ACCEPT})
