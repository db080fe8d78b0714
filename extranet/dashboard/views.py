from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from .permissions import can_view_initiatives_registry
from .selectors import initiative_add_url, initiatives_registry


def initiatives_registry_view(request):
    """«Кабинет администратора портала → Кластерные инициативы» (seed 000)."""
    if not can_view_initiatives_registry(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "dashboard/initiatives_registry.html",
        {"rows": initiatives_registry(), "add_url": initiative_add_url()},
    )
