"""Forms of the personal cabinet and of sign-up."""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from core.locales import originals
from initiatives.models import InitiativePage

from .photos import photo_process
from .profiles import consent_give

PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"


def initiatives_open_for_applications():
    """Live initiatives that take applications (not invitation-only)."""
    return (
        originals(InitiativePage.objects.live())
        .filter(join_policy=InitiativePage.JoinPolicy.APPROVAL)
        .order_by("title")
    )


class _SlugTitleIterator(forms.models.ModelChoiceIterator):
    """The options as (slug, title) rows: the cabinet is rendered on every visit, and
    building 50 initiative pages (Wagtail page objects, their bodies decoded) only to print
    their titles cost more than the rest of the form."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("slug", "title")


class InitiativeChoiceField(forms.ModelChoiceField):
    """An initiative chosen by slug; validation loads the chosen one only."""

    iterator = _SlugTitleIterator


class ProfileForm(forms.Form):
    """The cabinet's profile form (seed 000 «Личный кабинет пользователя»)."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    organisation = forms.CharField(
        label=_("Organisation name (optional)"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"list": "organisation-suggestions", "autocomplete": "off"}),
    )
    hide_organisation = forms.BooleanField(
        label=_("Do not show my organisation in the public list"), required=False
    )
    phone = PhoneNumberField(
        label=_("Contact number"),
        region="BY",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("For example +375 29 123 45 67."),
    )
    position = forms.CharField(label=_("Position (optional)"), max_length=150, required=False)
    newsletter = forms.BooleanField(
        label=_("Subscribed to the e-mail newsletter"),
        required=False,
        help_text=_(
            "Untick to receive only service e-mails (password, invitations, decisions on "
            "your applications). Which notifications come and how often: «Notifications and "
            "e-mail» below."
        ),
    )
    initiative = InitiativeChoiceField(
        label=_("Cluster initiative"),
        queryset=InitiativePage.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("— do not apply now —"),
        help_text=_("Choose an initiative to apply to; its administrators confirm you."),
    )
    message = forms.CharField(
        label=_("Message to the administrators (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
        help_text=_("JPEG, PNG or WebP; it is cropped square."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = initiatives_open_for_applications()

    def clean_photo(self):
        uploaded = self.cleaned_data.get("photo")
        if not uploaded:
            return None
        return photo_process(uploaded)

    def clean_message(self):
        message = self.cleaned_data.get("message", "").strip()
        if message and not self.data.get(self.add_prefix("initiative")):
            raise ValidationError(
                _("A message goes with an application: choose an initiative."), code="no_initiative"
            )
        return message


class ConfirmPasswordForm(forms.Form):
    """Re-entering the password before an irreversible action (account deletion).

    People who signed up through a social account and have no password type their e-mail.
    """

    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            self.fields["password"] = forms.CharField(label=_("Your e-mail address"))

    def clean_password(self):
        value = self.cleaned_data["password"]
        if self.user.has_usable_password():
            ok = self.user.check_password(value)
        else:
            ok = value.strip().lower() == self.user.email.lower()
        if not ok:
            raise ValidationError(_("That is not right; nothing was deleted."), code="mismatch")
        return value


def privacy_policy_url() -> str:
    """The privacy policy page chosen in the site settings, else /privacy/."""
    try:
        site_model = apps.get_model("wagtailcore", "Site")
        settings_model = apps.get_model("home", "SiteSettings")
        site = site_model.objects.filter(is_default_site=True).first()
        if site is not None:
            page = settings_model.for_site(site).privacy_policy_page
            if page is not None and page.live:
                return page.url or "/privacy/"
    except LookupError:
        pass
    return "/privacy/"


class SignupForm(AllauthSignupForm):
    """allauth's sign-up with first and last name and an explicit, recorded consent."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    consent = forms.BooleanField(
        label=_("I consent to the processing of my personal data"),
        error_messages={
            "required": _("Registration needs your consent to the processing of personal data.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["email", "first_name", "last_name", "password1", "password2"])
        self.fields["consent"].help_text = format_html(
            gettext("Read the {link}privacy policy{end}."),
            link=format_html('<a href="{}" target="_blank" rel="noopener">', privacy_policy_url()),
            end=mark_safe("</a>"),
        )

    def save(self, request):
        user = super().save(request)
        if user is None:
            return user
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.save(update_fields=["first_name", "last_name"])
        consent_give(user=user)
        return user
