"""The program's crisis resources as readers reach them: tap-to-call/text actions and the numbers
that print on paper, in the words of the reader's language."""

from __future__ import annotations

import re
from typing import Optional
from urllib.parse import quote

from .locales import Catalogue, catalogue
from .model import CrisisResource


def crisis_actions(resource: CrisisResource, words: Optional[Catalogue] = None) -> list[tuple[str, str]]:
    """(words, link) pairs for one resource: ("Call 988", "tel:988"), ("Text 988", "sms:988");
    a line that asks for a word by text gets it in the message: ("Enviar AYUDA al 988",
    "sms:988?body=AYUDA")."""
    words = words or catalogue("en")
    actions = []
    if resource.phone:
        actions.append((words.text("crisis.call", number=resource.phone), f"tel:{resource.phone}"))
    if resource.sms and resource.sms_body:
        actions.append((words.text("crisis.text_body", body=resource.sms_body, number=resource.sms),
                        f"sms:{resource.sms}?body={quote(resource.sms_body)}"))
    elif resource.sms:
        actions.append((words.text("crisis.text", number=resource.sms), f"sms:{resource.sms}"))
    return actions


def numbers_to_print(resource: CrisisResource, words: Optional[Catalogue] = None) -> list[str]:
    """The actions whose number the resource's `contact` words do not already show, so that
    paper always carries every number ("Call 116123" when the contact reads "Samaritans")."""
    shown = re.sub(r"\D", "", resource.contact)
    return [action for action, link in crisis_actions(resource, words)
            if _number_of(link).lstrip("+") not in shown]


def _number_of(link: str) -> str:
    """The number a tel: or sms: link calls: 988 of sms:988?body=AYUDA."""
    return link.split(":", 1)[1].split("?", 1)[0]
