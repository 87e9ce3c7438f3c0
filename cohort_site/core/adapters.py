from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are made when an applicant confirms their place, never by open sign-up."""

    def is_open_for_signup(self, request):
        return False
