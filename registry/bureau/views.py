"""The bureau's pages: the compliance list and its exports, the dashboard, hire exceptions."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, get_args, get_origin

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from registry import permissions
from registry.bureau import bp, charts
from registry.bureau.exports import export_response
from registry.errors import Conflict, Invalid
from registry.extensions import db
from registry.rules.vocabulary import RULE_STATUS, ExceptionStatus, Rule
from registry.schemas.compliance import ComplianceQueryIn
from registry.services import compliance_list
from registry.services import exceptions as exception_service
from registry.services.compliance import PolicyBook
from registry.services.compliance_list.presentation import status_choice
from registry.services.dashboard import build_dashboard
from registry.services.trends import MONTHS as TREND_MONTHS
from registry.services.trends import trend_series
from registry.views_common import page_arg
from registry.vocabulary import TONE_COLORS, label, tone_color

# A field at its default is left out of the links the page makes.
DEFAULTS = {name: field.default for name, field in compliance_list.ListQuery.model_fields.items()}


def page_args() -> MultiDict:
    """The page's one status select sends "rule:status" (presentation.status_choice); the list takes rule and status."""
    args = MultiDict(request.args)
    combined = args.get("status", "")
    if ":" in combined:
        rule, status = combined.split(":", 1)
        args["rule"], args["status"] = rule, status
    return args


def canonical_args(query: compliance_list.ListQuery, **changes) -> dict[str, str]:
    """Query parameters that give this list again (for links, the pager and the exports)."""
    values = {**query.model_dump(), **changes}
    args = {}
    for name, value in values.items():
        if value is None or value == DEFAULTS.get(name):
            continue
        args[name] = "1" if value is True else value.isoformat() if hasattr(value, "isoformat") else str(value)
    return args


def whole_list_args(query: compliance_list.ListQuery) -> dict[str, str]:
    """Query parameters that give this list again from its first page, at the usual page size (the filters, the
    as-of date and the order only): the links between the paged list and the whole list printed."""
    return canonical_args(query, page=DEFAULTS["page"], per_page=DEFAULTS["per_page"])


def flash_bad_filters(errors: dict[str, str], args: Mapping[str, str]) -> None:
    """One message per refused filter. A filter chosen from a list (status, order…) that an edited address spoiled
    is named with the value given, not with the codes the schema lists, which mean nothing to a reader."""
    for name, message in errors.items():
        field = compliance_list.PARAMETER_LABELS.get(name, name)
        if name in CHOSEN_FROM_A_LIST:
            message = _("取值“%(value)s”不是可选项", value=args.get(name, ""))
        flash(_("筛选条件“%(field)s”有误：%(message)s，已忽略。", field=field, message=message), "warning")


# The filters a page offers as a drop-down list: their values are codes.
def offers_a_list(annotation) -> bool:
    """Whether a field's type annotation is (or holds) a Literal: its values are codes offered in a drop-down list."""
    return get_origin(annotation) is Literal or any(offers_a_list(arg) for arg in get_args(annotation))


CHOSEN_FROM_A_LIST = frozenset(
    name for name, info in ComplianceQueryIn.model_fields.items() if offers_a_list(info.annotation)
) | {"status"}  # a status is checked against its rule's list by a validator


@bp.route("/compliance")
@login_required
def compliance():
    args = page_args()
    query, errors = compliance_list.parse_filters_leniently(args)
    book = PolicyBook.load()
    page = compliance_list.list_page(current_user, query)
    flash_bad_filters(errors, args)
    return render_template(
        "bureau/compliance.html",
        page=page,
        query=query,
        args=lambda **changes: canonical_args(query, **changes),
        chosen_status=status_choice(query.rule, query.status),
        options=compliance_list.filter_options(current_user),
        filters=compliance_list.describe_filters(current_user, query),
        filter_text=compliance_list.describe_filters_text(current_user, query),
        policy=compliance_list.describe_policy(query.as_of, book),
        rule_label=compliance_list.rule_label,
        whole_list_args=whole_list_args(query),
    )


@bp.route("/compliance/print")
@login_required
def compliance_print():
    """The whole filtered list on one page laid out for A4 (same filters, date and order as the list, no pages), up
    to COMPLIANCE_PRINT_MAX_ROWS rows; past that it says how many there are and prints nothing."""
    args = page_args()
    query, errors = compliance_list.parse_filters_leniently(args)
    book = PolicyBook.load()
    totals = compliance_list.list_totals(current_user, query)  # Forbidden as the list is
    limit = current_app.config["COMPLIANCE_PRINT_MAX_ROWS"]
    flash_bad_filters(errors, args)
    return render_template(
        "bureau/compliance_print.html",
        rows=compliance_list.iter_rows(current_user, query) if totals.total <= limit else None,
        totals=totals,
        limit=limit,
        query=query,
        counts=compliance_list.describe_counts(totals),
        filter_text=compliance_list.describe_filters_text(current_user, query),
        policy=compliance_list.describe_policy(query.as_of, book),
        list_args=whole_list_args(query),
    )


@bp.route("/compliance.csv")
@login_required
def export_csv():
    return export_response(current_user, compliance_list.parse_filters(page_args()), "csv")


@bp.route("/compliance.xlsx")
@login_required
def export_xlsx():
    return export_response(current_user, compliance_list.parse_filters(page_args()), "xlsx")


@bp.route("/dashboard")
@login_required
def dashboard():
    args = {k: v for k, v in request.args.items() if k in ("as_of", "county", "school_id")}
    query, errors = compliance_list.parse_filters_leniently(args)
    board = build_dashboard(current_user, query)
    flash_bad_filters(errors, args)
    rule_names = {rule: compliance_list.rule_label(rule) for rule in RULE_STATUS}
    rates_chart = charts.grouped_rates(
        _("各校合规率"),
        [(s.school.name, [(rule_names[rule], tone_color(rule), s.rate(rule)) for rule in RULE_STATUS]) for s in board.schools],
    )
    practice_counts = board.overall.counts()[Rule.PRACTICE]
    status_chart = charts.columns(
        _("企业实践状态分布"),
        [(label(status), n, tone_color(status)) for status, n in practice_counts.items()],
        unit=_("人"),
    )
    histogram = board.histogram()
    months_chart = charts.columns(
        _("本周期已完成企业实践月数"), [(text, n, TONE_COLORS["primary"]) for text, n, _low, _high in histogram], unit=_("人")
    )
    trend = trend_series(current_user, query.as_of, county=query.county, school_id=query.school_id)
    trend_chart = charts.lines(
        _("近 %(n)s 个月合规率趋势", n=TREND_MONTHS),
        [f"{point.month_end:%Y-%m}" for point in trend],
        [(rule_names[rule], tone_color(rule), [point.rates[rule] for point in trend]) for rule in RULE_STATUS],
    ) if trend else None
    return render_template(
        "bureau/dashboard.html",
        board=board,
        query=query,
        counties=compliance_list.filter_options(current_user)["counties"],
        rates_chart=rates_chart,
        status_chart=status_chart,
        months_chart=months_chart,
        histogram=histogram,
        trend=trend,
        trend_chart=trend_chart,
        trend_months=TREND_MONTHS,
        practice_counts=practice_counts,
        rule_names=rule_names,
        list_args=lambda **changes: canonical_args(board.query, **changes),
    )


@bp.route("/exceptions")
@login_required
def exceptions(refused: tuple[int, str, str] | None = None):
    """The queue; `refused` = (exception id, the note as typed, the error) re-shows a decision the service refused."""
    waiting, decided_query = exception_service.queue(current_user)
    decided = db.paginate(decided_query, page=page_arg(), per_page=30, error_out=False)
    return render_template(
        "bureau/exceptions.html",
        waiting=waiting,
        decided=decided,
        may_decide=permissions.may(current_user, "decide_exception"),
        refused=refused,
        reason_missing=exception_service.refusal_reason_missing(),
    ), 400 if refused else 200


@bp.route(f"/exceptions/<int:exception_id>/<any({', '.join(exception_service.DECISIONS)}):decision>", methods=["POST"])
@login_required
def decide_exception(exception_id: int, decision: str):
    note = request.form.get("note", "")
    try:
        exception = exception_service.decide_hire_exception(current_user, exception_id, decision, {"note": note})
    except Invalid as exc:
        if "note" in exc.errors:  # shown on the request's own note field, with what was typed
            return exceptions(refused=(exception_id, note, exc.errors["note"]))
        flash_service_error(exc)
    except Conflict as exc:
        flash_service_error(exc)
    else:
        teacher = exception.teacher.name
        flash(_("已批准 %(name)s 的招聘例外申请。", name=teacher) if exception.status == ExceptionStatus.APPROVED
              else _("已不批准 %(name)s 的招聘例外申请。", name=teacher), "success")
    return redirect(url_for("bureau.exceptions"))


@bp.route("/teachers/<int:teacher_id>/exception", methods=["POST"])
@login_required
def request_exception(teacher_id: int):
    try:
        exception_service.request_hire_exception(current_user, teacher_id, {"reason": request.form.get("reason", "")})
    except (Invalid, Conflict) as exc:
        flash_service_error(exc)
    else:
        flash(_("招聘例外申请已提交，等待市教育局审批。"), "success")
    return redirect(url_for("teachers.detail", teacher_id=teacher_id) + "#hire-exception")


def flash_service_error(exc: Invalid | Conflict) -> None:
    if isinstance(exc, Conflict):
        flash(exc.message, "danger")
        return
    labels = {"reason": _("申请理由"), "note": _("审批意见")}
    for name, message in exc.errors.items():
        flash(f"{labels.get(name, name)}{_('：')}{message}", "danger")
