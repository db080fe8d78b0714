"""Private files of the members app, served only after the permission module says yes."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import Http404
from django.views.decorators.http import require_GET

from core.uploads import private_file_response

from .models import Profile
from .permissions import can_view_personal_data


@require_GET
def profile_photo(request, user_id: int):
    """A profile photo, for those the privacy rule lets see it; 404 for everyone else."""
    subject = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if subject is None or not can_view_personal_data(request.user, subject):
        raise Http404
    profile = Profile.objects.filter(user=subject).first()
    if profile is None or not profile.photo:
        raise Http404
    return private_file_response(profile.photo, content_type="image/jpeg")
