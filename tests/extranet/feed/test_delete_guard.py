"""An initiative whose common group has posts cannot be deleted (its posts are PROTECTed)."""

import pytest
from django.db import transaction
from django.db.models import ProtectedError

from initiatives.extensions import delete_refusal_reasons
from initiatives.models import InitiativePage
from initiatives.signals import InitiativeDeletionRefused
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_posts_block_deletion_with_a_reason(gorki, polotsk):
    """A post by a since-deleted author (no membership left) still blocks the delete, with
    the feed's reason; an initiative without posts or members has no reason."""
    PostFactory(initiative=gorki, author=None)
    reasons = [str(r) for r in delete_refusal_reasons(gorki)]
    assert any("common group has posts" in r or "общей группе" in r for r in reasons), reasons
    assert delete_refusal_reasons(polotsk) == []
    # Deleting in code is stopped too (by the guard's signal or the PROTECTed key).
    with pytest.raises((InitiativeDeletionRefused, ProtectedError)), transaction.atomic():
        gorki.delete()
    assert InitiativePage.objects.filter(pk=gorki.pk).exists()
