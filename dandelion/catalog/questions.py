"""Checking a worker's answers to an item's extra questions, and the questions' own shape.

Answers arrive as a JSON object keyed by the question's `key` (the API) or as form fields
(`q_<key>`, the H5). Both are checked here, so the two edges accept exactly the same answers.
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dandelion.core.errors import CoreError, InvalidInput, field_error

from .errors import CatalogError
from .models import ItemQuestion

Kind = ItemQuestion.Kind
MAX_TEXT = 500


def choices_validate(kind: str, choices: Any) -> None:
    """A choice question needs at least two choices with distinct non-empty values and labels;
    other kinds take none. Raises Django's `ValidationError` (used by model forms and services)."""
    if kind not in ItemQuestion.CHOICE_KINDS:
        if choices:
            raise ValidationError(_("只有单选和多选题需要选项。"))
        return
    if not isinstance(choices, list) or len(choices) < 2:
        raise ValidationError(_("单选和多选题至少需要两个选项。"))
    seen = set()
    for choice in choices:
        if (
            not isinstance(choice, dict)
            or not str(choice.get("value") or "").strip()
            or not str(choice.get("label") or "").strip()
        ):
            raise ValidationError(_("每个选项需要 value 和 label。"))
        if choice["value"] in seen:
            raise ValidationError(_("选项的 value 不能重复。"))
        seen.add(choice["value"])


def _one(question: ItemQuestion, raw: Any) -> tuple[Any, str | None]:
    """(clean value, error message or None) of one answer; None value means unanswered."""
    empty = raw is None or raw == "" or raw == []
    if empty:
        return None, (_("请回答这个问题。") if question.required else None)
    kind = question.kind
    if kind == Kind.TEXT:
        if not isinstance(raw, str):
            return None, _("请填写文字。")
        text = raw.strip()
        if len(text) > MAX_TEXT:
            return None, _("最多 %(n)d 个字。") % {"n": MAX_TEXT}
        if not text:
            return None, (_("请回答这个问题。") if question.required else None)
        return text, None
    if kind == Kind.NUMBER:
        if isinstance(raw, bool):
            return None, _("请填写数字。")
        try:
            number = Decimal(str(raw).strip())
        except InvalidOperation:
            return None, _("请填写数字。")
        if not number.is_finite() or abs(number) > Decimal("1e12"):
            return None, _("请填写数字。")
        return (int(number) if number == number.to_integral_value() else float(number)), None
    if kind == Kind.DATE:
        try:
            return date.fromisoformat(str(raw).strip()).isoformat(), None
        except ValueError:
            return None, _("请填写日期（年-月-日）。")
    values = {value for value, _label in question.choice_options()}
    if kind == Kind.SINGLE:
        if not isinstance(raw, str) or raw not in values:
            return None, _("请从选项中选择。")
        return raw, None
    picked = raw if isinstance(raw, list) else [raw]
    if not all(isinstance(v, str) and v in values for v in picked):
        return None, _("请从选项中选择。")
    ordered = [value for value, _label in question.choice_options() if value in set(picked)]
    return ordered, None


def answers_validate(*, questions: list[ItemQuestion], answers: dict[str, Any] | None) -> dict:
    """The clean answers, or `InvalidInput` listing every wrong answer as `answers.<key>`.
    Keys that are not questions of the item are refused too, so nothing unasked is stored."""
    answers = answers or {}
    if not isinstance(answers, dict):
        raise InvalidInput(
            gettext_lazy("回答的格式不对。"),
            code=CatalogError.INVALID_ANSWERS,
            errors=[
                field_error(
                    "answers", CoreError.INVALID_INPUT, gettext_lazy("回答须是按问题列出的对象。")
                )
            ],
        )
    known = {q.key: q for q in questions}
    errors = [
        field_error(
            f"answers.{key}", CoreError.INVALID_INPUT, gettext_lazy("这不是这项服务的问题。")
        )
        for key in sorted(set(answers) - set(known))
    ]
    clean: dict[str, Any] = {}
    for question in questions:
        value, error = _one(question, answers.get(question.key))
        if error:
            code = CoreError.REQUIRED if error == _("请回答这个问题。") else CoreError.INVALID_INPUT
            errors.append(field_error(f"answers.{question.key}", code, error))
        elif value is not None:
            clean[question.key] = value
    if errors:
        raise InvalidInput(
            gettext_lazy("有的问题没有回答或回答有误。"),
            code=CatalogError.INVALID_ANSWERS,
            errors=errors,
        )
    return clean


def answers_from_form(*, questions: list[ItemQuestion], data) -> dict[str, Any]:
    """Raw answers from a posted form (`q_<key>`; multiple choice as repeated fields)."""
    raw: dict[str, Any] = {}
    for question in questions:
        name = f"q_{question.key}"
        if question.kind == Kind.MULTIPLE:
            raw[question.key] = data.getlist(name)
        else:
            raw[question.key] = data.get(name, "")
    return raw


def answers_display(*, questions: list[ItemQuestion], answers: dict[str, Any]) -> list[dict]:
    """[{question, answer}] in the active language, for pages and the need's detail."""
    rows = []
    for question in questions:
        if question.key not in (answers or {}):
            continue
        value = answers[question.key]
        if question.kind in ItemQuestion.CHOICE_KINDS:
            labels = dict(question.choice_options())
            values = value if isinstance(value, list) else [value]
            value = "、".join(labels.get(v, v) for v in values)
        rows.append({"key": question.key, "question": question.text, "answer": str(value)})
    return rows
