from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from core.uploads import private_storage

from .managers import UserManager


class User(AbstractUser):
    """A person with an account. The e-mail address is the login; there is no username.

    Name and e-mail stay here; everything else about the person (organisation, phone,
    photo, consent) belongs to the profile (DESIGN.md, "Data model").
    """

    username = None
    email = models.EmailField(_("e-mail"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="members_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)

    def save(self, *args, **kwargs):
        self.email = self.__class__.objects.normalize_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self):
        # Russian order: family name first, as in the mock-ups («Гуляев Юрий»).
        return " ".join(part for part in (self.last_name, self.first_name) if part).strip()

    def get_short_name(self):
        return self.first_name or self.email


class Organisation(models.Model):
    """A company, university or agency members belong to; counted per initiative.

    People type the name with suggestions; the portal admin merges duplicates in Wagtail admin.
    """

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        UNIVERSITY = "university", _("University")
        RESEARCH = "research", _("Research institute")
        GOVERNMENT = "government", _("Government body")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="members_organisation_name_ci_unique"),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person's application to, and membership in, one initiative (DESIGN.md, data model).

    At most one pending-or-approved row per (user, initiative); decided rows stay as history.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REMOVED = "removed", _("Removed")

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        ADMIN = "admin", _("Initiative administrator")

    class Source(models.TextChoices):
        APPLICATION = "application", _("Application")
        INVITATION = "invitation", _("Invitation")

    ACTIVE_STATUSES = (Status.PENDING, Status.APPROVED)

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    # PROTECT: an initiative with member history is never deleted by a cascade.
    initiative = models.ForeignKey(
        "initiatives.InitiativePage",
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    message = models.TextField(_("message to the administrators"), blank=True, max_length=1000)
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.TextField(_("reason"), blank=True, max_length=1000)
    # How the person came (the indicators count new members by invitation and by application)
    # and when they were approved: ``decided_at`` moves on when a member leaves or is removed.
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.APPLICATION
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        ordering = ["-applied_at"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "initiative"],
                condition=models.Q(status__in=["pending", "approved"]),
                name="members_one_active_membership",
            ),
        ]
        indexes = [models.Index(fields=["initiative", "status"], name="members_ms_init_status")]

    def __str__(self):
        return f"{self.user} → {self.initiative_id} ({self.status})"

    @property
    def is_admin(self) -> bool:
        return self.status == self.Status.APPROVED and self.role == self.Role.ADMIN


def profile_photo_path(instance, filename):
    # A random name: the original file name is not kept, nor is it guessable.
    import uuid

    return f"photos/{instance.user_id}/{uuid.uuid4().hex}.jpg"


class Profile(models.Model):
    """Personal data beyond name and e-mail (seed 000 «Личные данные»). Private by default."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="profile"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="profiles",
    )
    position = models.CharField(_("position"), max_length=150, blank=True)
    phone = PhoneNumberField(_("contact number"), blank=True)
    photo = models.ImageField(
        _("photo"), blank=True, storage=private_storage, upload_to=profile_photo_path
    )
    newsletter = models.BooleanField(_("e-mail newsletter"), default=True)
    # A member may ask that their organisation is not listed on the public initiative page.
    hide_organisation = models.BooleanField(
        _("do not list my organisation publicly"), default=False
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)


class Invitation(models.Model):
    """An e-mailed, single-use invitation to become an approved member of one initiative.

    Only the SHA-256 of the token is stored; the token itself exists in the e-mail alone.
    """

    initiative = models.ForeignKey(
        "initiatives.InitiativePage",
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, verbose_name=_("invited by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.initiative_id}"


class Consent(models.Model):
    """A person's consent to personal data processing: its own versioned record."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="consents"
    )
    policy_version = models.CharField(_("policy version"), max_length=50)
    purpose = models.CharField(_("purpose"), max_length=255)
    given_at = models.DateTimeField(_("given"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return f"{self.user} · {self.policy_version}"
