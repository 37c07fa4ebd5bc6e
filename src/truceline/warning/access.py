"""The warning context's rows as the access policy sees them (listed in ``RESOURCE_MODULES``)."""

from __future__ import annotations

from truceline.accounts.policy import Resource, ResourceType
from truceline.accounts.scoping import ResourceMapping, register_resource
from truceline.warning.models import Notification


def _notification_resource(note: Notification) -> Resource:
    return Resource(ResourceType.NOTIFICATION, owner_user=note.recipient)


register_resource(
    Notification,
    ResourceMapping(
        type=ResourceType.NOTIFICATION,
        to_resource=_notification_resource,
        owner_user=Notification.recipient,
    ),
)
