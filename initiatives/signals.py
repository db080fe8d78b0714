from django.db.models.signals import post_migrate, post_save, pre_delete
from django.dispatch import receiver

from core.locales import is_original

from . import moderation
from .extensions import delete_refusal_reasons
from .models import InitiativePage
from .services import group_name, initiative_admin_group_ensure

# The moderation workflow exists from the first migrate on (initiatives/moderation.py).
post_migrate.connect(moderation.ensure_after_migrate, dispatch_uid="initiatives.moderation")


class InitiativeDeletionRefused(Exception):
    """Deleting an initiative that still holds member data; unpublish it instead."""


@receiver(post_save, sender=InitiativePage)
def create_admin_group(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or not is_original(instance):
        # A translation (another language's version) shares its original's group.
        return
    # New initiatives get their group; a renamed one gets its group renamed; one whose
    # moderation was switched gives or takes its admins' publish permission.
    moderation_saved = update_fields is None or "moderation_required" in update_fields
    if (
        instance.admin_group_id is None
        or instance.admin_group.name != group_name(instance)
        or (moderation_saved and not moderation.admin_publish_in_step(initiative=instance))
    ):
        initiative_admin_group_ensure(initiative=instance)


@receiver(pre_delete, sender=InitiativePage)
def refuse_deleting_with_member_data(sender, instance, **kwargs):
    # The admin views refuse with a message first; this stops every other path (shell,
    # deleting a parent page) before rows with member data can cascade away.
    reasons = delete_refusal_reasons(instance)
    if reasons:
        raise InitiativeDeletionRefused(f"{instance.title}: {'; '.join(reasons)}")
