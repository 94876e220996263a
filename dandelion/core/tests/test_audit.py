import pytest

from dandelion.core.audit import SensitiveRead, audit_reads, audit_record
from dandelion.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_audit_record_names_the_row_and_the_person(django_user_model):
    actor = django_user_model.objects.create(username="a")
    subject = django_user_model.objects.create(username="s")
    event = audit_record(actor=actor, action="role.grant", subject=subject, target=subject)
    assert (event.target_type, event.target_id) == ("accounts.user", str(subject.pk))


def test_reads_of_ones_own_data_are_not_logged(django_user_model):
    actor = django_user_model.objects.create(username="a")
    other = django_user_model.objects.create(username="o")
    audit_reads(
        actor=actor,
        field="phone",
        reads=[
            SensitiveRead(target=actor, subject=actor),
            SensitiveRead(target=other, subject=other),
        ],
    )
    assert list(AuditEvent.objects.values_list("subject__username", flat=True)) == ["o"]
