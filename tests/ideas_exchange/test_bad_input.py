"""Bad input on every form of the ideas exchange: empty, huge, markup, forged initiative,
visibility, role, parent and stage ids, bad files. Never a 500: the form (or the idea's page)
comes back with a 400, a sentence on the field and what was typed; nothing is half-saved."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ideas_exchange.models import Idea, IdeaAttachment, IdeaComment, IdeaStageChange, Partnership
from tests.ideas_exchange.factories import IdeaCommentFactory, IdeaFactory
from tests.ideas_exchange.test_posting import idea_data, pdf, url

pytestmark = pytest.mark.django_db

HUGE = "Я" * 25_000

IDEA_CASES = {
    "empty": (dict.fromkeys(idea_data(), ""), "title"),
    "blank title": (idea_data(title="   "), "title"),
    "huge title": (idea_data(title=HUGE), "title"),
    "huge summary": (idea_data(summary=HUGE), "summary"),
    "huge text": (idea_data(text=HUGE), "text"),
    "unknown kind": (idea_data(kind="petition"), "kind"),
    "forged initiative": (idea_data(initiative="999999"), "initiative"),
    "initiative not a number": (idea_data(initiative="gorki'--"), "initiative"),
    "forged visibility": (idea_data(visibility="secret"), "visibility"),
    "members without initiative": (idea_data(visibility="members"), "initiative"),
    "too many tags": (idea_data(tags=",".join(f"тег{i}" for i in range(11))), "tags"),
    "tag too long": (idea_data(tags="а" * 51), "tags"),
}


@pytest.mark.parametrize("case", list(IDEA_CASES))
def test_bad_idea_is_400_and_keeps_what_was_typed(ideas_page, people, client_for, case):
    """Each bad idea form is a 400 with the error on its field, the typed title back, and no
    idea stored."""
    data, field = IDEA_CASES[case]
    response = client_for(people["member"]).post(url(ideas_page, "new"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors.get(field), (case, form.errors)
    body = response.content.decode()
    assert "field--invalid" in body
    if data["title"].strip() and len(data["title"]) < 300:
        assert data["title"] in body
    assert not Idea.objects.exists()


def test_members_visibility_for_someone_elses_initiative(
    ideas_page, people, client_for, gorki, polotsk
):
    """A member of gorki may not post for polotsk's members only (a forged choice): the error
    names the initiative."""
    response = client_for(people["member"]).post(
        url(ideas_page, "new"), idea_data(visibility="members", initiative=str(polotsk.pk))
    )
    assert response.status_code == 400
    assert response.context["form"].errors["visibility"]
    assert not Idea.objects.exists()


def test_initiative_without_the_ideas_exchange_is_refused(ideas_page, people, client_for, gorki):
    """An initiative that switched the exchange off is not a choice."""
    gorki.ideas_enabled = False
    gorki.save_revision().publish()
    response = client_for(people["member"]).post(
        url(ideas_page, "new"), idea_data(initiative=str(gorki.pk))
    )
    assert response.status_code == 400
    assert response.context["form"].errors["initiative"]


def test_script_in_text_is_shown_escaped(ideas_page, people, client_for):
    """Markup in the title, summary and text is stored as typed and shown as text."""
    script = "<script>alert('idea')</script>"
    client = client_for(people["member"])
    client.post(
        url(ideas_page, "new"), idea_data(title=f"Заголовок {script}", text=f"Текст {script}")
    )
    idea = Idea.objects.get()
    assert script in idea.text
    body = client.get(url(ideas_page, "idea", idea.pk)).content.decode()
    assert script not in body
    assert "&lt;script&gt;" in body


def test_script_in_a_refused_form_is_escaped(ideas_page, people, client_for):
    """What was typed comes back escaped in the re-rendered form."""
    response = client_for(people["member"]).post(
        url(ideas_page, "new"), idea_data(title="<script>x()</script>", kind="bad")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "<script>x()</script>" not in body
    assert "&lt;script&gt;x()&lt;/script&gt;" in body


BAD_FILES = {
    "program": lambda: SimpleUploadedFile("setup.pdf", b"MZ\x90\x00" + b"\x00" * 100),
    "fake pdf": lambda: SimpleUploadedFile("отчёт.pdf", b"just text, not a pdf"),
    "empty file": lambda: SimpleUploadedFile("пусто.pdf", b""),
    "wrong type": lambda: SimpleUploadedFile("script.exe", b"MZ\x00"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_upload_refuses_the_whole_idea(ideas_page, people, client_for, case):
    """One bad file among good ones: a 400 naming the file, no idea and no file stored."""
    response = client_for(people["member"]).post(
        url(ideas_page, "new"), {**idea_data(), "attachments": [pdf(), BAD_FILES[case]()]}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["attachments"]
    assert not Idea.objects.exists()
    assert not IdeaAttachment.objects.exists()


def test_too_many_files(ideas_page, people, client_for, settings):
    """More files than IDEAS_MAX_ATTACHMENTS are refused with the limit."""
    settings.IDEAS_MAX_ATTACHMENTS = 2
    response = client_for(people["member"]).post(
        url(ideas_page, "new"), {**idea_data(), "attachments": [pdf(), pdf(), pdf()]}
    )
    assert response.status_code == 400
    assert "2" in str(response.context["form"].errors["attachments"])
    assert not Idea.objects.exists()


def test_edit_with_too_many_files_changes_nothing(
    ideas_page, people, client_for, public_idea, settings
):
    """An edit past the file limit keeps the old title and files."""
    settings.IDEAS_MAX_ATTACHMENTS = 1
    client = client_for(people["member"])
    edit = url(ideas_page, "edit", public_idea.pk)
    client.post(edit, {**idea_data(initiative=public_idea.initiative_id), "attachments": [pdf()]})
    response = client.post(
        edit,
        {**idea_data(title="Новое", initiative=public_idea.initiative_id), "attachments": [pdf()]},
    )
    assert response.status_code == 400
    public_idea.refresh_from_db()
    assert public_idea.title != "Новое"
    assert IdeaAttachment.objects.count() == 1


def test_edit_forged_attachment_to_remove(ideas_page, people, client_for, public_idea):
    """Removing a file of another idea is refused (the id is not a choice)."""
    other = IdeaFactory()
    IdeaAttachment.objects.create(
        idea=other, name="чужой.pdf", content_type="application/pdf", size=1
    )
    client = client_for(people["member"])
    edit = url(ideas_page, "edit", public_idea.pk)
    client.post(edit, {**idea_data(initiative=public_idea.initiative_id), "attachments": [pdf()]})
    response = client.post(
        edit,
        {
            **idea_data(initiative=public_idea.initiative_id),
            "remove_attachments": [str(IdeaAttachment.objects.get(idea=other).pk)],
        },
    )
    assert response.status_code == 400
    assert IdeaAttachment.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "kept"),
    [
        ({"text": ""}, None),
        ({"text": "   \n  "}, None),
        ({"text": "x" * 4001}, None),
        ({"text": "Мой ответ", "parent": "999999"}, "Мой ответ"),
        ({"text": "Мой ответ", "parent": "abc"}, "Мой ответ"),
        ({"text": "Мой ответ", "parent": "-1"}, "Мой ответ"),
        ({"text": "Мой ответ", "parent": "9" * 40}, "Мой ответ"),
    ],
    ids=["empty", "blank", "huge", "unknown parent", "parent not a number", "negative", "huge id"],
)
def test_bad_comment_is_400(ideas_page, people, client_for, public_idea, data, kept):
    """A bad comment re-renders the idea's page (400) with the error and the typed text."""
    response = client_for(people["registered"]).post(
        url(ideas_page, "comment", public_idea.pk), data
    )
    assert response.status_code == 400
    assert response.context["comment_form"].errors
    if kept:
        assert kept in response.content.decode()
    assert not IdeaComment.objects.exists()


def test_reply_to_another_ideas_or_a_hidden_comment(ideas_page, people, client_for, public_idea):
    """A parent id of another idea's comment or of a hidden one is refused with a sentence."""
    foreign = IdeaCommentFactory(text="Чужая ветка")
    hidden = IdeaCommentFactory(idea=public_idea, hidden=True)
    client = client_for(people["registered"])
    for parent in (foreign, hidden):
        response = client.post(
            url(ideas_page, "comment", public_idea.pk), {"text": "Ответ", "parent": parent.pk}
        )
        assert response.status_code == 400
        assert response.context["comment_form"].errors["parent"]
    assert IdeaComment.objects.count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"role": "lead", "note": "Хотим быть лидером"},
        {"role": "owner", "note": "Хотим"},
        {"role": "partner", "note": "н" * 1001},
    ],
    ids=["empty", "lead is the author's", "unknown role", "huge note"],
)
def test_bad_partnership_request_is_400(ideas_page, people, client_for, project, data):
    """A forged role or a note over the limit: the page again with the error, no request."""
    response = client_for(people["other_member"]).post(url(ideas_page, "partner", project.pk), data)
    assert response.status_code == 400
    assert response.context["partner_form"].errors
    if data.get("note") and len(data["note"]) < 100:
        assert data["note"] in response.content.decode()
    assert not Partnership.objects.exists()


@pytest.mark.parametrize("text", ["", "  ", "x" * 4001])
def test_bad_response_is_400(ideas_page, people, client_for, public_idea, text):
    """An empty or huge «Откликнуться» is refused before anything is sent."""
    response = client_for(people["registered"]).post(
        url(ideas_page, "respond", public_idea.pk), {"text": text}
    )
    assert response.status_code == 400
    assert response.context["respond_form"].errors["text"]


def test_forged_stage_changes_nothing(ideas_page, people, client_for, project):
    """A stage that is not a stage is refused (the full set is in test_stages)."""
    response = client_for(people["member"]).post(
        url(ideas_page, "stage", project.pk), {"stage": "<script>"}
    )
    assert response.status_code == 400
    assert not IdeaStageChange.objects.exists()


@pytest.mark.parametrize("name", ["idea", "edit", "comment", "respond", "partner", "stage"])
def test_unknown_idea_is_404(ideas_page, people, client_for, name):
    """Every route of a missing idea is a 404, for GET and POST."""
    client = client_for(people["member"])
    assert client.get(url(ideas_page, name, 999_999)).status_code == 404
    assert client.post(url(ideas_page, name, 999_999), {"text": "x"}).status_code == 404
