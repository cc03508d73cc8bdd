"""The readability scale for a text's language: Flesch-Kincaid grade for English (lower is
easier), Szigriszt-Pazos perspicuity on the INFLESZ scale for Spanish (higher is easier)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .spanish import inflesz_band, spanish_reading


@dataclass(frozen=True)
class ReadingScale:
    measure: Callable[[str], float]  # plain sentences → score
    warn_at: float  # scores past this (in the scale's hard direction) are findings ...
    error_at: float  # ... and past this, errors
    higher_is_harder: bool
    describe: Callable[[float], str]  # "grade 7.2", "INFLESZ 52 (algo difícil)"
    goal: str

    def too_hard(self, score: float) -> bool:
        return score > self.warn_at if self.higher_is_harder else score < self.warn_at

    def far_too_hard(self, score: float) -> bool:
        return score > self.error_at if self.higher_is_harder else score < self.error_at


def reading_scale(language: str, limits: object) -> ReadingScale:
    """The scale for `language` (a language code); `limits` is the rule data's `readability`."""
    if language.split("-")[0] == "es":
        warn, error = getattr(limits, "inflesz_warn_below"), getattr(limits, "inflesz_error_below")
        return ReadingScale(lambda text: spanish_reading(text).szigriszt_pazos, warn, error, False,
                            lambda score: f"INFLESZ {score:.1f} ({inflesz_band(score)})",
                            f"aim for INFLESZ {warn:g} or higher (bastante fácil): frases más cortas, "
                            "palabras de todos los días")
    warn, error = getattr(limits, "warn_above"), getattr(limits, "error_above")
    return ReadingScale(_flesch_kincaid_grade, warn, error, True,
                        lambda score: f"grade {score:.1f}",
                        f"aim for grade {warn:g} or lower: shorter sentences, everyday words")


def _flesch_kincaid_grade(text: str) -> float:
    import textstat  # here, not at the top: its pronouncing dictionary loads only when a text is scored

    return float(textstat.flesch_kincaid_grade(text))
