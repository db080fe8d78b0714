"""PLACEHOLDER (being written by a helper): the portal admin's targets form."""

from django.core.exceptions import PermissionDenied

from .permissions import can_set_targets


def targets_view(request):
    if not can_set_targets(request.user):
        raise PermissionDenied
    raise NotImplementedError
