"""Filling our forms in the browser the way a person does: by their labels."""


def fill_application(page, *, name: str, email: str, times: dict[str, str]) -> None:
    """Every required answer of the application form; `times` maps a candidate time's label to Yes, No or
    If need be, e.g. {"Monday 10:00–12:00": "Yes"}."""
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_role("combobox", name="Organisation").fill("Leeds Befriending")
    page.get_by_label("Your role").fill("Volunteer coordinator")
    page.get_by_label("I work directly in a front-line role").check()
    page.get_by_label("What did your organisation do during the pandemic?").fill("Telephone befriending.")
    page.get_by_label("What learning have you or your organisation gained?").fill("Small groups work best.")
    page.get_by_label("Why do you want to take part?").fill("To learn from peers.")
    page.get_by_label("What do you hope to achieve?").fill("New ideas for volunteers.")
    page.get_by_label("A challenge or question you would like to bring").fill("Keeping volunteers connected.")
    for time, answer in times.items():
        page.get_by_label(f"{time}: {answer}").check()
    page.get_by_label("My organisation supports me to attend").check()
    page.get_by_label("My wider team is open to new ideas").check()
    page.get_by_label("I commit to showing up with openness").check()
    page.get_by_label("I commit to sharing feedback and learning").check()
    page.get_by_label("I agree to my answers being stored").check()
