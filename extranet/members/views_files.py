"""Private files of the members app, served only after the permission module says yes."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_GET

from .models import Profile
from .permissions import can_view_personal_data


def _private_response(file_field, content_type: str):
    prefix = getattr(settings, "PRIVATE_MEDIA_X_ACCEL_PREFIX", "")
    if prefix:
        # nginx sends the file from its internal location; Django only decided.
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{file_field.name.lstrip('/')}"
    else:
        try:
            handle = file_field.storage.open(file_field.name, "rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def profile_photo(request, user_id: int):
    """A profile photo, for those the privacy rule lets see it; 404 for everyone else."""
    subject = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if subject is None or not can_view_personal_data(request.user, subject):
        raise Http404
    profile = Profile.objects.filter(user=subject).first()
    if profile is None or not profile.photo:
        raise Http404
    return _private_response(profile.photo, "image/jpeg")
