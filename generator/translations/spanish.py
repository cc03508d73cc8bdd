"""Spanish syllables and readability (Szigriszt-Pazos perspicuity on the INFLESZ scale).

Syllables come from the orthographic rules of Spanish, not from hyphenation patterns: those
undercount hiatus ("dí-a", "pa-ís", "re-ír") and so make text look easier than it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STRONG = set("aeoáéó")
_ACCENTED_WEAK = set("íú")
_WEAK = set("iuüy")
_VOWELS = _STRONG | _ACCENTED_WEAK | _WEAK
_DIGRAPHS = ("ch", "ll", "rr")
# Consonant pairs that start a syllable together (pla-to, o-tro, a-tlas).
_ONSETS = {"pl", "pr", "bl", "br", "fl", "fr", "gl", "gr", "cl", "cr", "kl", "kr", "dr", "tr", "tl"}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _units(word: str) -> list[tuple[str, bool]]:
    """The word as sounds: (letters, is_vowel). `ch`, `ll`, `rr` are one consonant; the silent
    `u` of `que`, `qui`, `gue`, `gui` belongs to the consonant; `y` is a vowel only at the end
    of a word or before a consonant (`hoy`, `muy`, `reyes` has a consonant `y`)."""
    units: list[tuple[str, bool]] = []
    i = 0
    while i < len(word):
        pair = word[i:i + 2]
        if pair in _DIGRAPHS:
            units.append((pair, False))
            i += 2
        elif pair in ("qu", "gu") and i + 2 < len(word) and word[i + 2] in "eiéí":
            units.append((pair, False))
            i += 2
        elif word[i] == "y":
            after = word[i + 1] if i + 1 < len(word) else ""
            units.append(("y", len(word) == 1 or (i > 0 and after not in _VOWELS)))
            i += 1
        else:
            units.append((word[i], word[i] in _VOWELS))
            i += 1
    return units


def _same_nucleus(first: str, second: str) -> bool:
    """Two neighbouring vowels share a syllable (a diphthong) when one is an unstressed weak
    vowel and neither is a stressed weak one: `ai`, `ue`, `iu`; not `ea`, `ía`, `aí`."""
    if first in _ACCENTED_WEAK or second in _ACCENTED_WEAK:
        return False
    return first in _WEAK or second in _WEAK


def syllables(word: str) -> list[str]:
    """The syllables of one Spanish word, e.g. `tranquilo` → tran-qui-lo, `día` → dí-a."""
    units = _units(word.lower())
    # nuclei: runs of vowels split at hiatus; each a list of unit indexes
    nuclei: list[list[int]] = []
    for index, (letters, vowel) in enumerate(units):
        if not vowel:
            continue
        if nuclei and nuclei[-1][-1] == index - 1 and _same_nucleus(units[index - 1][0], letters):
            nuclei[-1].append(index)
        else:
            nuclei.append([index])
    if not nuclei:
        return [word] if word else []
    cuts = []  # unit index where each syllable after the first starts
    for before, after in zip(nuclei, nuclei[1:]):
        between = [units[i][0] for i in range(before[-1] + 1, after[0])]
        cuts.append(after[0] - _onset_length(between))
    bounds = [0, *cuts, len(units)]
    return ["".join(u for u, _ in units[start:end]) for start, end in zip(bounds, bounds[1:])]


def _onset_length(consonants: list[str]) -> int:
    """How many of the consonants between two vowels start the next syllable."""
    if not consonants:
        return 0
    if len(consonants) >= 2 and "".join(consonants[-2:]) in _ONSETS:
        return 2
    return 1


def syllable_count(word: str) -> int:
    return max(1, len(syllables(word)))


@dataclass(frozen=True)
class SpanishReading:
    words: int
    sentences: int
    syllables: int

    @property
    def szigriszt_pazos(self) -> float:
        """Perspicuity, 0 (very hard) to 100 (very easy): 206.835 − 62.3·syllables/words − words/sentences."""
        if not self.words:
            return 100.0
        return 206.835 - 62.3 * self.syllables / self.words - self.words / max(1, self.sentences)


_SENTENCE_END = re.compile(r"[.!?…]+")


def spanish_reading(text: str) -> SpanishReading:
    words = _WORD.findall(text)
    sentences = len([part for part in _SENTENCE_END.split(text) if _WORD.search(part)])
    return SpanishReading(len(words), max(1, sentences), sum(syllable_count(w) for w in words))


# INFLESZ bands (Barrio-Cantalejo et al., 2008) for the Szigriszt-Pazos score.
INFLESZ_BANDS = ((80, "muy fácil"), (65, "bastante fácil"), (55, "normal"), (40, "algo difícil"), (0, "muy difícil"))


def inflesz_band(score: float) -> str:
    return next(name for floor, name in INFLESZ_BANDS if score >= floor)
