"""What follows hold about a person: the things their e-mail address follows (see
conet/accounts/personal_data.py). Followers need no account; when a person with an account at the
same address asks for their data, the follows of that address are part of it, and they go with the
account. Without an account, the unsubscribe link in every digest deletes the row."""

from conet.accounts.personal_data import register_personal_data, rows
from conet.follows.models import Follow


def _of(user):
    if not user.email:
        return Follow.objects.none()
    return Follow.objects.filter(email__iexact=user.email)


def export_follows(user) -> list[dict]:
    return rows(_of(user))


def erase_follows(user) -> None:
    _of(user).delete()


register_personal_data("follows", export=export_follows, erase=erase_follows)
