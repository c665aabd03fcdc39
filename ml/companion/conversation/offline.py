"""The offline extractor: a documented rule parser over our own vocabularies.

1. The message is split into clauses at contrast markers ("but", "though", "although",
   "however", "yet", "except", "whereas") and at sentence ends; a clause after a contrast
   marker is a *contrast clause*.
2. Each clause gets a sentiment from cue words (loved, great, hated, boring ...), flipped
   when a negator ("not", "didn't", "never" ...) stands within three words before the cue.
   A clause without a cue inherits the previous clause's sentiment, reversed for a contrast
   clause ("loved the visuals but the pacing" = -pacing); a first clause without a cue is
   positive when the message asks for something ("something cosy"), else neutral and its
   terms are dropped.
3. Terms are found longest first and never overlap: the lexicon (`lexicon.csv`: term,
   dimension, value, polarity, genres), person names and film titles passed in as
   vocabularies. Film titles match case-sensitively and single-word titles shorter than
   four letters are skipped ("Up", "Her" are everyday words). A lexicon polarity of +1/-1
   is the term's own ("too slow" is always -slow); 0 takes the clause sentiment. A negator
   within three words before a term flips it.
4. Weight: 0.6, +0.2 per intensifier in the clause ("really", "so", "absolutely" ...,
   or "!"), at most 1. Significance = 1 - exp(-sum of weights): one plain preference 0.45,
   two 0.70, three 0.83.
5. Conversation type: "more like"/"similar to" -> want_more_like_this; a request cue
   ("something", "in the mood", "recommend", "looking for") -> mood_request; else a message
   about one film (or with --film) -> loved_it / hated_it by the sentiment of its first
   clause that has one (the lead statement: "loved X but too slow" is loved_it); else
   general_preference.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from ml.companion.conversation.schema import Extraction, Preference

LEXICON_CSV = Path(__file__).resolve().parent.parent / "lexicon.csv"
VERSION = "offline-1"

POSITIVE = {
    "love",
    "loved",
    "loves",
    "like",
    "liked",
    "enjoy",
    "enjoyed",
    "great",
    "amazing",
    "incredible",
    "awesome",
    "beautiful",
    "brilliant",
    "fantastic",
    "perfect",
    "favourite",
    "favorite",
    "adore",
    "adored",
    "best",
    "want",
    "wanted",
    "more",
    "prefer",
    "fan",
    "good",
    "wonderful",
    "masterpiece",
    "excellent",
    "fun",
    "lovely",
}
NEGATIVE = {
    "hate",
    "hated",
    "hates",
    "dislike",
    "disliked",
    "awful",
    "terrible",
    "worst",
    "bad",
    "annoying",
    "tired",
    "sick",
    "avoid",
    "overrated",
    "boring",
    "meh",
    "disappointing",
    "disappointed",
    "less",
    "weak",
    "can't stand",
    "cannot stand",
    "dull",
}
NEGATORS = {
    "not",
    "no",
    "never",
    "don't",
    "didn't",
    "isn't",
    "wasn't",
    "doesn't",
    "nothing",
    "without",
    "hardly",
    "dont",
    "didnt",
    "isnt",
    "wasnt",
    "nor",
    "neither",
}
INTENSIFIERS = {
    "really",
    "so",
    "absolutely",
    "very",
    "totally",
    "incredibly",
    "truly",
    "extremely",
    "deeply",
    "super",
}
CONTRAST = r"\b(?:but|though|although|however|yet|except|whereas)\b"
REQUEST = (
    "something",
    "in the mood",
    "recommend",
    "looking for",
    "suggest",
    "give me",
    "anything",
    "what should i watch",
    "tonight",
)
MORE_LIKE = ("more like", "similar to", "more of", "another", "anything like", "something like")
NEGATION_WINDOW = 3
BASE_WEIGHT, INTENSIFIER_STEP = 0.6, 0.2


@dataclass(frozen=True)
class Term:
    dimension: str
    value: str
    polarity: int
    genres: tuple[str, ...] = ()
    ref_id: int | None = None
    case_sensitive: bool = False


@dataclass
class Vocabulary:
    """What the parser can recognise: the lexicon plus people and film names (name -> id)."""

    terms: dict[str, Term] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        people: dict[str, int] | None = None,
        films: dict[str, int] | None = None,
        lexicon: Path = LEXICON_CSV,
    ) -> Vocabulary:
        terms: dict[str, Term] = {}
        with lexicon.open(newline="") as handle:
            for row in csv.DictReader(handle):
                genres = tuple(g for g in row["genres"].split("|") if g)
                terms[row["term"].lower()] = Term(
                    row["dimension"], row["value"], int(row["polarity"]), genres
                )
        for name, person_id in (people or {}).items():
            if len(name.split()) >= 2:  # a lone first name is too ambiguous
                terms[name.lower()] = Term("person", name, 0, ref_id=person_id)
        for title, film_id in (films or {}).items():
            if " " in title or len(title) >= 4:
                terms[title] = Term("film", title, 0, ref_id=film_id, case_sensitive=True)
        return cls(terms)

    def genres_of(self, dimension: str, value: str) -> tuple[str, ...]:
        for term in self.terms.values():
            if term.dimension == dimension and term.value == value and term.genres:
                return term.genres
        return ()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9'’-]+", text.lower().replace("’", "'"))


def _sentiment(clause: str) -> int:
    """+1, -1 or 0 from cue words, a negator before a cue flipping it."""
    words = _words(clause)
    score = 0
    lowered = clause.lower()
    for phrase in (p for p in NEGATIVE if " " in p):
        if phrase in lowered:
            score -= 1
    for i, word in enumerate(words):
        cue = 1 if word in POSITIVE else -1 if word in NEGATIVE else 0
        if cue and any(w in NEGATORS for w in words[max(0, i - NEGATION_WINDOW) : i]):
            cue = -cue
        score += cue
    return (score > 0) - (score < 0)


def _negated_before(clause: str, start: int) -> bool:
    """A negator within three words before a term, unless a cue word between them already
    took the negation ("don't like horror" is -horror once, not twice)."""
    window = _words(clause[:start])[-NEGATION_WINDOW:]
    negators = [i for i, w in enumerate(window) if w in NEGATORS]
    if not negators:
        return False
    return not any(w in POSITIVE or w in NEGATIVE for w in window[negators[-1] + 1 :])


def _matches(clause: str, vocabulary: Vocabulary) -> list[tuple[int, str, Term]]:
    """(start, matched text, term), longest terms first, no overlaps."""
    taken: list[tuple[int, int]] = []
    found = []
    lowered = clause.lower()
    for key in sorted(vocabulary.terms, key=len, reverse=True):
        term = vocabulary.terms[key]
        haystack = clause if term.case_sensitive else lowered
        pattern = r"(?<![\w-])" + re.escape(key) + r"(?:'s)?(?![\w-])"
        for match in re.finditer(pattern, haystack):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            taken.append(span)
            found.append((span[0], match.group(0), term))
    return sorted(found, key=lambda item: item[0])


def _clauses(text: str) -> list[tuple[str, bool]]:
    """(clause, follows a contrast marker)."""
    clauses = []
    for sentence in re.split(r"[.;?!\n]+", text):
        parts = re.split(f"({CONTRAST})", sentence, flags=re.IGNORECASE)
        contrast = False
        for part in parts:
            if re.fullmatch(CONTRAST, part.strip(), flags=re.IGNORECASE):
                contrast = True
            elif part.strip():
                clauses.append((part.strip(), contrast))
                contrast = False
    return clauses


def _conversation_type(
    text: str, preferences: list[Preference], sentiment: int, film_given: bool
) -> str:
    lowered = text.lower()
    if any(cue in lowered for cue in MORE_LIKE):
        return "want_more_like_this"
    if any(cue in lowered for cue in REQUEST):
        return "mood_request"
    films = [p for p in preferences if p.dimension == "film"]
    if (film_given or len(films) == 1) and sentiment:
        return "loved_it" if sentiment > 0 else "hated_it"
    return "general_preference"


def extract(text: str, vocabulary: Vocabulary, film_given: bool = False) -> Extraction:
    """Preferences, conversation type and significance of one message (see the module doc)."""
    is_request = any(cue in text.lower() for cue in REQUEST + MORE_LIKE)
    preferences: dict[tuple[str, str], Preference] = {}
    previous, lead = 0, 0
    for index, (clause, contrast) in enumerate(_clauses(text)):
        sentiment = _sentiment(clause)
        if not sentiment:
            sentiment = -previous if contrast else previous
            if index == 0 and not sentiment and is_request:
                sentiment = 1
        lead = lead or sentiment
        previous = sentiment
        intensity = sum(w in INTENSIFIERS for w in _words(clause)) + clause.count("!")
        weight = min(1.0, BASE_WEIGHT + INTENSIFIER_STEP * intensity)
        for start, matched, term in _matches(clause, vocabulary):
            polarity = term.polarity or sentiment
            if term.polarity == 0 and _negated_before(clause, start):
                polarity = -polarity
            if not polarity:
                continue
            preferences[(term.dimension, term.value)] = Preference(
                dimension=term.dimension,
                value=term.value,
                polarity=polarity,
                weight=weight,
                ref_id=term.ref_id,
                evidence=matched,
            )
    found = list(preferences.values())
    significance = 1 - math.exp(-sum(p.weight for p in found))
    kind = _conversation_type(text, found, lead, film_given)
    return Extraction(
        conversation_type=kind, preferences=found, significance=round(significance, 3)
    )
