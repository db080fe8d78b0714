"""Pages of the site load nothing from third parties (pen test, issue 9)."""


def test_wagtail_admin_shows_no_gravatar(client, editor):
    """The Wagtail admin dashboard of a signed-in editor links no gravatar.com avatar: an
    avatar URL would send a hash of the editor's e-mail to a third party."""
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "gravatar" not in response.content.decode().lower()
