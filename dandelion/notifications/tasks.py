from django_tasks import task

from . import services


@task()
def delivery_send(*, delivery_id: int) -> str:
    return services.delivery_send(delivery_id=delivery_id)
