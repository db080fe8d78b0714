"""Steps several browser tests take."""


def log_in(page, base: str, email: str, password: str) -> None:
    """Sign in through allauth's English login form."""
    page.goto(base + "/en/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
