from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from .extensions import delete_refusal_reasons
from .models import InitiativePage
from .services import group_name, initiative_admin_group_ensure


class InitiativeDeletionRefused(Exception):
    """Deleting an initiative that still holds member data; unpublish it instead."""


@receiver(post_save, sender=InitiativePage)
def create_admin_group(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    # New initiatives get their group; a renamed one gets its group renamed.
    if instance.admin_group_id is None or instance.admin_group.name != group_name(instance):
        initiative_admin_group_ensure(initiative=instance)


@receiver(pre_delete, sender=InitiativePage)
def refuse_deleting_with_member_data(sender, instance, **kwargs):
    # The admin views refuse with a message first; this stops every other path (shell,
    # deleting a parent page) before rows with member data can cascade away.
    reasons = delete_refusal_reasons(instance)
    if reasons:
        raise InitiativeDeletionRefused(f"{instance.title}: {'; '.join(reasons)}")
