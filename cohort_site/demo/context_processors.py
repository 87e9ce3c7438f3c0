from cohort_site.demo.accounts import demo_sign_in_offered


def demo_sign_in(request):
    # A callable, so the query runs only on the page that asks ({% if demo_sign_in %} on the sign-in page).
    return {"demo_sign_in": demo_sign_in_offered}
