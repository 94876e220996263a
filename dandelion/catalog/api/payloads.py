"""Rows of the service menu as the API's shapes (`schemas`)."""

from ..models import ItemQuestion, ServiceCategory, ServiceItem


def question_payload(question: ItemQuestion) -> dict:
    return {
        "key": question.key,
        "label": question.text,
        "kind": question.kind,
        "required": question.required,
        "choices": [{"value": v, "label": label} for v, label in question.choice_options()],
    }


def item_payload(item: ServiceItem) -> dict:
    return {
        "id": item.pk,
        "code": item.code,
        "name": item.label,
        "description": item.description_label,
        "category": item.category.code,
        "accept_hours": item.accept_hours,
        "resolve_hours": item.resolve_hours,
        "needs_location": item.needs_location,
        "providers": [{"id": org.pk, "name": org.name} for org in item.providers.all()],
        "questions": [question_payload(q) for q in item.questions.all()],
    }


def category_payload(category: ServiceCategory) -> dict:
    return {
        "code": category.code,
        "name": category.label,
        "icon": category.icon,
        "items": [item_payload(item) for item in category.menu_items],
    }
