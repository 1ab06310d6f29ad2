"""The form to add a policy version: it renders the fields; services.policies validates (schemas.PolicyIn)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField

from registry.form_fields import code_select, date_field, payload
from registry.rules.vocabulary import Education, SkillLevel
from registry.schemas import PolicyIn


def months_field(text):
    return StringField(text, render_kw={"type": "number", "min": 0, "step": 1, "inputmode": "numeric"})


class PolicyForm(FlaskForm):
    effective_from = date_field(_l("本版本生效日期"))
    hire_rule_effective = date_field(_l("招聘规则施行日期"))
    hire_min_experience_months = months_field(_l("招聘所需企业工作经历（月）"))
    hire_min_education = code_select(_l("招聘最低学历"), Education, blank=None)
    direct_min_skill_level = code_select(_l("直接考核引进所需最低技能等级"), SkillLevel, blank=None)
    practice_rule_effective = date_field(_l("企业实践规则施行日期"))
    cycle_years = months_field(_l("企业实践与轮训周期（年）"))
    practice_required_months = months_field(_l("每周期企业实践要求（月）"))
    leadership_min_experience_months = months_field(_l("领导班子成员所需企业工作经历（月）"))
    note = TextAreaField(_l("依据与说明"), render_kw={"rows": 2, "maxlength": 500})
    submit = SubmitField(_l("新增版本"))

    def values(self) -> dict:
        """The PolicyIn input, as typed."""
        return payload(self, PolicyIn)
