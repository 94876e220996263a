"""Background tasks of the notifications app (`django-tasks`)."""

from django_tasks import task

from . import sending


@task()
def delivery_send(*, delivery_id: int) -> str:
    return sending.delivery_send(delivery_id=delivery_id)
