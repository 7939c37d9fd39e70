"""Letting a device without a cookie take part: what a new participant costs.

Dropping the device cookie makes a new participant, so a script that forgets its cookie votes as
many times as it likes. A new participant therefore costs something:

- **A ticket and a proof of work.** The voting page carries a ticket, signed by the server when it
  renders the page, bound to the consultation, usable once and for CONET_CONSULTATION_TICKET_SECONDS.
  consultations.js finds a number (the proof) such that sha256("<ticket>:<proof>") starts with
  CONET_CONSULTATION_PROOF_BITS zero bits — about 65,000 tries for 16 bits, a fraction of a second
  on a phone — and sends it with the first vote. The server checks it with one hash.
- **A limit per client address and consultation** (`conet.core.http.client_address`): at most
  CONET_CONSULTATION_NEW_PARTICIPANTS_PER_ADDRESS new participants with a ticket and proof in
  CONET_CONSULTATION_NEW_PARTICIPANTS_WINDOW seconds — room for a class or a community centre of
  40 people on one Wi-Fi — and at most CONET_CONSULTATION_NEW_PARTICIPANTS_WITHOUT_SCRIPT_PER_ADDRESS
  without one. A person whose browser runs no JavaScript still takes part with the plain form; that
  path costs no work, so its limit is the stricter one.

The proof of work does not stop a determined script (native code finds a proof in milliseconds); it
makes each participant a page load and some work, and the limits cap what one address can do.
What gets through anyway shows up as a burst for the moderators (selectors.suspicious_bursts).
"""

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from conet.consultations.models import Participant
from conet.core.ratelimit import within_limit

TICKET_SALT = "conet.consultations.ticket"


class TooManyNewParticipants(Exception):
    """Over the new-participant limit of this client address; nothing was stored."""


def proof_bits() -> int:
    return settings.CONET_CONSULTATION_PROOF_BITS


def issue_ticket(consultation) -> str:
    """A fresh ticket for one new participant of `consultation`, for a page being rendered."""
    return signing.dumps({"c": consultation.pk, "n": secrets.token_hex(8)}, salt=TICKET_SALT)


def proof_holds(ticket: str, proof: str, bits: int) -> bool:
    """Whether sha256("<ticket>:<proof>") starts with `bits` zero bits."""
    if not proof or len(proof) > 20:
        return False
    digest = hashlib.sha256(f"{ticket}:{proof}".encode()).digest()
    return int.from_bytes(digest, "big") >> (256 - bits) == 0 if bits > 0 else True


def address_hash(address: str) -> str:
    """A keyed hash of the client address: groups participants by address without storing it."""
    return salted_hmac("conet.consultations.address", address).hexdigest()[:16]


def admit(consultation, *, ticket: str, proof: str, address: str) -> str:
    """How a new device participant comes in (a Participant.Admission value), or why it may not.

    With a proof, the ticket must be genuine, this consultation's, fresh and unused: otherwise a
    ValidationError. Without a proof (no JavaScript) the ticket is not needed. Either way the
    address's limit for that path is counted; past it, TooManyNewParticipants.
    """
    window = settings.CONET_CONSULTATION_NEW_PARTICIPANTS_WINDOW
    if not proof:
        limit = settings.CONET_CONSULTATION_NEW_PARTICIPANTS_WITHOUT_SCRIPT_PER_ADDRESS
        if not within_limit(
            f"consultations:plain:{consultation.pk}:{address}", int(limit), window, refund=True
        ):
            raise TooManyNewParticipants
        return Participant.Admission.PLAIN
    max_age = settings.CONET_CONSULTATION_TICKET_SECONDS
    stale = ValidationError(_("This page was open too long to take a first vote. Vote again."))
    try:
        content = signing.loads(ticket, salt=TICKET_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise stale from None
    except signing.BadSignature:
        raise ValidationError(_("This vote did not come from this consultation's page.")) from None
    if not isinstance(content, dict) or content.get("c") != consultation.pk:
        raise ValidationError(_("This vote did not come from this consultation's page."))
    if not proof_holds(ticket, proof, proof_bits()):
        raise ValidationError(_("This vote did not come from this consultation's page."))
    # Once only: the same ticket and proof sent again would be a second participant for free.
    used = f"consultations:ticket:{hashlib.sha256(ticket.encode()).hexdigest()}"
    if not cache.add(used, 1, timeout=max_age + 1):
        raise stale
    limit = settings.CONET_CONSULTATION_NEW_PARTICIPANTS_PER_ADDRESS
    if not within_limit(
        f"consultations:joins:{consultation.pk}:{address}", int(limit), window, refund=True
    ):
        raise TooManyNewParticipants
    return Participant.Admission.PROOF
