"""The program's crisis resources as readers reach them: tap-to-call/text actions and the numbers
that print on paper."""

from __future__ import annotations

import re

from .model import CrisisResource


def crisis_actions(resource: CrisisResource) -> list[tuple[str, str]]:
    """(words, link) pairs for one resource: ("Call 988", "tel:988"), ("Text 988", "sms:988")."""
    actions = []
    if resource.phone:
        actions.append((f"Call {resource.phone}", f"tel:{resource.phone}"))
    if resource.sms:
        actions.append((f"Text {resource.sms}", f"sms:{resource.sms}"))
    return actions


def numbers_to_print(resource: CrisisResource) -> list[str]:
    """The actions whose number the resource's `contact` words do not already show, so that
    paper always carries every number ("Call 116123" when the contact reads "Samaritans")."""
    shown = re.sub(r"\D", "", resource.contact)
    return [words for words, _ in crisis_actions(resource)
            if words.split(" ", 1)[1].lstrip("+") not in shown]
