"""Beats (key moments) and the choice points chosen among them.

Four kinds of beat, each placed where a choice reads best:

- ``arrival``: a named character's first appearance ("a figure appeared ... It
  was Dorian"), or an unnamed newcomer ("a stranger approached"). The choice
  comes *after* the paragraph, so the player reacts to the newcomer.
- ``encounter``: meeting or talking with someone already in the story
  (greeted, shook hands, struck up a conversation). The choice comes
  *before*, so the player decides whether to engage.
- ``discovery``: a new place found or entered (stumbled upon, spotted, pushed
  open the door), or an object that changes things (revealed, handed over).
  A place that is entered gets its choice *before* the paragraph (go in or
  not); a place only spotted, or an object revealed, gets it *after* (what to
  do about it).
- ``decision``: a turning point (decided, realized, made up her mind, for the
  first time). The choice comes *before*, so the player makes the decision.

Choice points are the strongest beats, greedily, with these rules: a boundary
lies strictly inside the story text (never before the first paragraph or after
the last, never right after a title line); at most one choice point per
boundary; consecutive choice points are at least :data:`MIN_GAP` paragraphs
apart; about one choice point per :data:`WORDS_PER_CHOICE` words, and only
beats scoring at least :data:`MIN_SCORE`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

import attrs

from carnet.tools.convert.analysis import (
    BEAT_KINDS,
    Beat,
    BeatKind,
    Character,
    Place,
    Pronoun,
    Thing,
)
from carnet.tools.convert.reading.manuscript import Manuscript, Para
from carnet.tools.convert.reading.names import Mention
from carnet.tools.convert.reading.phrases import Hit, PhraseBook, weighted

# --- Weights: how strongly the text marks a beat (a beat's score is their sum) ---

ARRIVAL_BASE = 3.0  # a named character first seen after the opening
ARRIVAL_PER_MENTION = 0.5  # each later mention of the newcomer: someone who matters ...
ARRIVAL_MENTIONS_CAP = 2.0  # ... up to this much
ARRIVAL_VERB = 1.0  # an arrival verb ("came in", "appeared") in the paragraph
ARRIVAL_FIGURE = 0.5  # an unnamed figure ("a stranger", "a woman") who turns out to be them
UNNAMED_ARRIVAL = 2.0  # someone new, never named, arrives ("a man walked up")
ENCOUNTER_BASE = 1.5  # a meeting verb with someone already in the story
ENCOUNTER_PER_VERB = 0.3  # each further meeting verb in the paragraph ...
ENCOUNTER_VERBS_CAP = 1.0  # ... up to this much
ENCOUNTER_SPEECH = 0.5  # the paragraph has dialogue: the meeting is acted out
NEW_PLACE = 2.0  # a place named for the first time with a finding or entering verb
NEW_PLACE_SPOTTED = 0.5  # ... found ("spotted", "stumbled upon")
NEW_PLACE_ENTERED = 1.0  # ... entered ("pushed open", "stepped into")
KNOWN_PLACE_ENTERED = 2.5  # going into a place the story has named before
THING_BASE = 2.0  # an object introduced with a verb that gives it weight ("handed her a letter")
THING_PER_MENTION = 0.3  # each later mention of the object ...
THING_MENTIONS_COUNTED = 3  # ... counting at most this many
DECISION_BASE = 1.0  # added to the weight of the strongest decision phrase of the paragraph

MIN_GAP = 2
"""Paragraphs between two consecutive choice points, at least (every scene between
two choices has two paragraphs or more)."""
WORDS_PER_CHOICE = 140
MIN_SCORE = 1.5

_KIND_ORDER: dict[str, int] = {kind: order for order, kind in enumerate(BEAT_KINDS)}


_PHRASES = PhraseBook(
    {
        "arrival": weighted(
            "appeared, appears, arrived, arrives, came in, comes in, came into, came over,"
            " came up, comes up, came toward, came towards, entered, enters, emerged, emerges,"
            " walked up, walks up, walked in, walks in, walked over, approached, approaches,"
            " introduced himself, introduced herself, introduced themselves,"
            " introduces himself, introduces herself, stepped in, showed up, shows up,"
            " turned up, burst in, burst into, strode in, slid into, joined, joins, knocked"
        ),
        "newcomer": weighted("a figure, a stranger, a voice, a shadow, someone, a child"),
        "newcomer_she": weighted(
            "a woman, a girl, a young woman, an old woman, a lady, a young girl, a little girl"
        ),
        "newcomer_he": weighted(
            "a man, a boy, a young man, an old man, a gentleman, a young boy, a little boy,"
            " a fellow"
        ),
        "encounter": weighted(
            "greeted, greets, met, meets, shook hands, shook his hand, shook her hand,"
            " shook their hands, shakes his hand, shakes her hand, struck up a conversation,"
            " strikes up a conversation, chatted, chats, talked, talks, spoke with, spoke to,"
            " speaks to, asked, asks, offered, offers, embraced, hugged, kissed, waved,"
            " invited, thanked, smiled at, nodded to, led him, led her, led them, followed"
        ),
        "spot": weighted(
            "stumbled upon, stumbles upon, stumbled across, spotted, spots, noticed, notices,"
            " discovered, discovers, found, finds, came across, comes across, caught sight of,"
            " catches sight of, glimpsed, tucked away, the sign, a sign"
        ),
        "enter": weighted(
            "pushed open, pushes open, stepped inside, steps inside, stepped into, steps into,"
            " went inside, goes inside, walked into, walks into, entered, enters,"
            " opened the door, opens the door, crossed the threshold, went in, slipped inside,"
            " ducked into, stepped through, let himself in, let herself in, let myself in"
        ),
        "decision": [
            *weighted(
                "decided, decides, made up his mind, made up her mind, made up my mind,"
                " made up their minds, chose to, chooses to, resolved to, resolves to,"
                " determined to, vowed, vows, made a decision, it was time to",
                1.0,
            ),
            *weighted(
                "realized, realised, realizes, realises, understood that, knew that,"
                " knows that, it dawned on",
                0.7,
            ),
            *weighted("ready to", 0.5),
            *weighted(
                "could not help but, couldn't help but, can't help but, cannot help but,"
                " for the first time, no longer",
                0.4,
            ),
        ],
    }
)


@attrs.frozen
class Findings:
    """What the beat finder needs from the other stages."""

    doc: Manuscript
    characters: tuple[Character, ...]
    mentions: tuple[tuple[Mention, ...], ...]
    protagonist: str | None
    places: tuple[Place, ...]
    things: tuple[Thing, ...]
    thing_verbs: dict[str, str]
    speech_paragraphs: frozenset[int]


def _bounds(doc: Manuscript) -> tuple[int, int]:
    """The lowest and highest boundary a choice point may have."""
    return doc.body_start + 1, len(doc.paragraphs) - 1


def _place(paragraph: int, prefer_after: bool, lo: int, hi: int) -> tuple[int, bool] | None:
    """The boundary for a beat in ``paragraph``, and whether it is after it."""
    first, second = (paragraph + 1, paragraph) if prefer_after else (paragraph, paragraph + 1)
    if lo <= first <= hi:
        return first, first == paragraph + 1
    if lo <= second <= hi:
        return second, second == paragraph + 1
    return None


def _where(after: bool) -> str:
    return "after this paragraph" if after else "before this paragraph"


def _beat(
    kind: BeatKind,
    paragraph: int,
    prefer_after: bool,
    subject: str | None,
    score: float,
    what: str,
    why_after: str,
    why_before: str,
    bounds: tuple[int, int],
) -> Beat | None:
    placed = _place(paragraph, prefer_after, *bounds)
    if placed is None:
        return None
    boundary, after = placed
    why = why_after if after else why_before
    reason = f"{what}; the choice comes {_where(after)}, {why}"
    return Beat(paragraph, boundary, kind, subject, round(score, 2), reason)


Hits = Sequence[dict[str, list[Hit]]]


def _hit(found: dict[str, list[Hit]], group: str) -> Hit | None:
    """The first phrase of ``group`` in a paragraph, if any."""
    hits = found.get(group)
    return hits[0] if hits else None


def _said(text: str, hit: Hit) -> str:
    return " ".join(text[hit.start : hit.end].split())


_LOOK_BACK = 2  # paragraphs before a name where an unnamed newcomer may have come in
_NEWCOMER_GROUPS: dict[str, Pronoun | None] = {
    "newcomer": None,
    "newcomer_she": "she",
    "newcomer_he": "he",
}


def _newcomer(found: dict[str, list[Hit]], pronoun: Pronoun | None) -> Hit | None:
    """The first unnamed newcomer phrase of a paragraph ("a stranger", "a young
    woman") that fits ``pronoun`` (any, when ``pronoun`` is None)."""
    best: Hit | None = None
    for group, gender in _NEWCOMER_GROUPS.items():
        if pronoun is not None and gender is not None and gender != pronoun:
            continue
        hit = _hit(found, group)
        if hit is not None and (best is None or hit.start < best.start):
            best = hit
    return best


def _comes_in(para: Para, figure: Hit, found: dict[str, list[Hit]]) -> bool:
    """Whether an unnamed newcomer phrase is someone arriving: it starts its sentence
    ("A young woman was sitting on the wall") or an arrival verb shares its sentence."""
    index = bisect.bisect_right(para.sentences, figure.start, key=lambda b: b[0]) - 1
    if index < 0:
        return False
    start, end = para.sentences[index]
    if figure.start == start:
        return True
    arrivals = found.get("arrival", [])
    first = bisect.bisect_left(arrivals, start, key=lambda h: h.start)
    return first < len(arrivals) and arrivals[first].start < end


def _first_seen(story: Findings) -> dict[str, int]:
    """Where each character is first named outside quotes or introduces themself
    ("I'm Clara"): a name only spoken about (or to) is not a presence, and a
    character only ever spoken about has no arrival."""
    seen: dict[str, int] = {}
    for paragraph in story.mentions:
        for mention in paragraph:
            if not mention.quoted or mention.self_intro:
                seen.setdefault(mention.character, mention.para)
    return seen


def _arrivals(story: Findings, bounds: tuple[int, int], hits: Hits) -> list[Beat]:
    """Arrivals of named characters (not the protagonist, not those present from
    the first paragraph), then of unnamed newcomers nobody names later."""
    beats: list[Beat] = []
    doc = story.doc
    first_seen = _first_seen(story)
    opening = doc.body_start
    claimed: set[int] = set()  # paragraphs whose newcomer turned out to be named
    named_at: dict[int, list[Character]] = {}
    for character in story.characters:
        seen = first_seen.get(character.id)
        if character.id == story.protagonist or seen is None or seen <= opening:
            continue
        named_at.setdefault(seen, []).append(character)
    for named, characters in sorted(named_at.items()):
        for character in characters:
            paragraph = named
            found = hits[named]
            verb = _hit(found, "arrival")
            figure = _newcomer(found, None)
            if verb is None and figure is None:
                for earlier in range(named - 1, max(opening, named - _LOOK_BACK - 1), -1):
                    if earlier in named_at:
                        break
                    figure = _newcomer(hits[earlier], character.pronoun)
                    if figure is not None and not _comes_in(
                        doc.paras[earlier], figure, hits[earlier]
                    ):
                        figure = None
                    if figure is not None:
                        paragraph = earlier
                        verb = _hit(hits[earlier], "arrival")
                        break
            text = doc.paragraphs[paragraph]
            notes = [f"'{_said(text, h)}'" for h in (figure, verb) if h is not None]
            named_here = character.first_paragraph <= paragraph
            where = "first appears here" if named_here else "comes in here, named later"
            note = f" ({', '.join(notes)})" if notes else ""
            score = ARRIVAL_BASE + min(
                ARRIVAL_MENTIONS_CAP, ARRIVAL_PER_MENTION * (len(character.mentions) - 1)
            )
            score += ARRIVAL_VERB if verb else 0.0
            score += ARRIVAL_FIGURE if figure else 0.0
            beat = _beat(
                "arrival",
                paragraph,
                True,
                character.id,
                score,
                f"new character '{character.short}' {where}{note}",
                "so the player can react to the newcomer",
                "so the player meets the newcomer by choice (this is the last paragraph)",
                bounds,
            )
            if beat is not None:
                beats.append(beat)
                claimed.add(paragraph)
    for para in doc.paras[opening + 1 :]:
        found = hits[para.index]
        verb = _hit(found, "arrival")
        figure = _newcomer(found, None)
        if para.index in claimed or para.index in named_at or verb is None or figure is None:
            continue
        beat = _beat(
            "arrival",
            para.index,
            True,
            None,
            UNNAMED_ARRIVAL,
            f"someone new arrives here ('{_said(para.text, figure)}', '{_said(para.text, verb)}')",
            "so the player can react to the newcomer",
            "so the player meets the newcomer by choice (this is the last paragraph)",
            bounds,
        )
        if beat is not None:
            beats.append(beat)
    return beats


def _encounters(
    story: Findings, bounds: tuple[int, int], hits: Hits, arrivals: dict[int, str]
) -> list[Beat]:
    """Meetings with someone already in the story. ``arrivals`` maps the paragraph
    of each named arrival to the newcomer, who counts as present from there."""
    beats: list[Beat] = []
    doc = story.doc
    known: dict[str, Character] = {c.id: c for c in story.characters}
    previous: str | None = None  # the last non-protagonist named in the paragraphs before
    for para in doc.paras[doc.body_start :]:
        others = [
            m.character
            for m in story.mentions[para.index]
            if m.character != story.protagonist and known[m.character].first_paragraph < para.index
        ]
        verb = _hit(hits[para.index], "encounter")
        subject = others[0] if others else previous
        if verb and subject is not None and para.index not in arrivals:
            matches = len(hits[para.index]["encounter"])
            score = ENCOUNTER_BASE + min(ENCOUNTER_VERBS_CAP, ENCOUNTER_PER_VERB * (matches - 1))
            score += ENCOUNTER_SPEECH if para.index in story.speech_paragraphs else 0.0
            beat = _beat(
                "encounter",
                para.index,
                False,
                subject,
                score,
                f"the protagonist meets '{known[subject].short}' here ('{_said(para.text, verb)}')",
                "so the player reacts to the meeting (this is the first paragraph)",
                "so the player decides whether to engage",
                bounds,
            )
            if beat is not None:
                beats.append(beat)
        named = [
            m.character for m in story.mentions[para.index] if m.character != story.protagonist
        ]
        if named:
            previous = named[-1]
        if para.index in arrivals:
            previous = arrivals[para.index]
    return beats


_ENTERED_WINDOW = 40  # characters after "stepped into" where the place entered is named


def _place_discoveries(story: Findings, bounds: tuple[int, int], hits: Hits) -> list[Beat]:
    """New places found ("spotted a bakery") and places entered ("stepped into the
    bakery"). What is entered is the place named right after the verb, else the
    new place named last before it ("a chapel ... pushed open its door")."""
    beats: list[Beat] = []
    doc = story.doc
    new_places: dict[int, list[Place]] = {}
    mentioned: dict[int, list[tuple[int, Place]]] = {}
    for known in story.places:
        new_places.setdefault(known.first_paragraph, []).append(known)
        for span in known.mentions:
            mentioned.setdefault(span.paragraph, []).append((span.start, known))
    for spans in mentioned.values():
        spans.sort(key=lambda item: item[0])
    last_new: Place | None = None
    for para in doc.paras[doc.body_start :]:
        text = para.text
        spot = _hit(hits[para.index], "spot")
        enter = _hit(hits[para.index], "enter")
        fresh = new_places.get(para.index, [])
        here = mentioned.get(para.index, [])
        place: Place | None = None
        if enter is not None:
            window = enter.end + _ENTERED_WINDOW
            place = next((p for start, p in here if enter.end <= start <= window), None)
            if place is None:
                before = [p for p in fresh if p.mentions[0].start < enter.start]
                place = before[-1] if before else (here[0][1] if here else last_new)
        elif spot is not None and fresh:
            after_verb = [p for p in fresh if p.mentions[0].start >= spot.start]
            place = (after_verb or fresh)[0]
        if place is not None:
            is_new = place.first_paragraph == para.index
            verbs = [
                _said(text, m) for m in (spot, enter) if m is not None and (is_new or m is enter)
            ]
            if is_new:
                score = NEW_PLACE + (NEW_PLACE_SPOTTED if spot else 0.0)
                score += NEW_PLACE_ENTERED if enter else 0.0
                found = "found and entered" if spot and enter else "entered" if enter else "found"
                what = f"a new place, '{place.name}', is {found} here"
            else:
                score = KNOWN_PLACE_ENTERED
                what = f"the protagonist goes into '{place.name}' here"
            beat = _beat(
                "discovery",
                para.index,
                enter is None,
                place.id,
                score,
                what + " ('" + "', '".join(verbs) + "')",
                "so the player decides whether to go there",
                "so the player decides whether to go in",
                bounds,
            )
            if beat is not None:
                beats.append(beat)
        if fresh:
            last_new = fresh[-1]
    return beats


def _thing_discoveries(story: Findings, bounds: tuple[int, int]) -> list[Beat]:
    beats: list[Beat] = []
    for thing in story.things:
        verb = story.thing_verbs.get(thing.id)
        if verb is None or thing.first_paragraph < story.doc.body_start:
            continue
        later = min(THING_MENTIONS_COUNTED, len(thing.mentions) - 1)
        score = THING_BASE + THING_PER_MENTION * later
        beat = _beat(
            "discovery",
            thing.first_paragraph,
            True,
            thing.id,
            score,
            f"an object that matters, '{thing.name}', turns up here (verb '{verb}')",
            "so the player decides what to do with it",
            "so the player decides whether to take it up (this is the last paragraph)",
            bounds,
        )
        if beat is not None:
            beats.append(beat)
    return beats


def _decisions(story: Findings, bounds: tuple[int, int], hits: Hits) -> list[Beat]:
    beats: list[Beat] = []
    doc = story.doc
    for para in doc.paras[doc.body_start :]:
        found = hits[para.index].get("decision")
        if not found:
            continue
        match = max(found, key=lambda h: (h.weight, -h.start))
        strength = match.weight
        beat = _beat(
            "decision",
            para.index,
            False,
            story.protagonist,
            DECISION_BASE + strength,
            f"a turning point ('{_said(para.text, match)}')",
            "so the player makes the decision (this is the first paragraph)",
            "so the player makes the decision",
            bounds,
        )
        if beat is not None:
            beats.append(beat)
    return beats


@attrs.frozen
class Scan:
    """What a beat finder looks at: the other stages' findings, the boundaries a
    choice point may take, the phrases found in each paragraph, and the beats the
    finders of earlier kinds (in :data:`BEAT_KINDS` order) have found."""

    findings: Findings
    bounds: tuple[int, int]
    hits: Hits
    earlier: tuple[Beat, ...]


Finder = Callable[[Scan], list[Beat]]


def find_arrivals(scan: Scan) -> list[Beat]:
    return _arrivals(scan.findings, scan.bounds, scan.hits)


def find_discoveries(scan: Scan) -> list[Beat]:
    return [
        *_place_discoveries(scan.findings, scan.bounds, scan.hits),
        *_thing_discoveries(scan.findings, scan.bounds),
    ]


def find_encounters(scan: Scan) -> list[Beat]:
    arrived = {b.paragraph: b.subject for b in scan.earlier if b.kind == "arrival" and b.subject}
    return _encounters(scan.findings, scan.bounds, scan.hits, arrived)


def find_decisions(scan: Scan) -> list[Beat]:
    return _decisions(scan.findings, scan.bounds, scan.hits)


FINDERS: dict[BeatKind, Finder] = {
    "arrival": find_arrivals,
    "discovery": find_discoveries,
    "encounter": find_encounters,
    "decision": find_decisions,
}
"""The registry of beat kinds: one finder per kind of :data:`BEAT_KINDS`."""


def find_beats(story: Findings) -> tuple[Beat, ...]:
    """Every candidate beat, in text order (paragraph, then boundary, then kind)."""
    doc = story.doc
    if len(doc.paragraphs) - doc.body_start < 2:
        return ()
    hits = [_PHRASES.scan(para.tokens) for para in doc.paras]
    beats: list[Beat] = []
    for kind in BEAT_KINDS:
        beats += FINDERS[kind](Scan(story, _bounds(doc), hits, tuple(beats)))
    beats.sort(key=lambda b: (b.paragraph, b.boundary, _KIND_ORDER[b.kind], b.subject or ""))
    return tuple(beats)


def choose_points(beats: Sequence[Beat], paragraphs: int, words: int) -> tuple[Beat, ...]:
    """The beats that carry a choice (see the module docstring for the rules)."""
    if paragraphs < 2 or not beats:
        return ()
    target = max(1, int(words / WORDS_PER_CHOICE + 0.5))
    ranked = sorted(
        (b for b in beats if b.score >= MIN_SCORE and 1 <= b.boundary <= paragraphs - 1),
        key=lambda b: (-b.score, b.paragraph, _KIND_ORDER[b.kind], b.boundary),
    )
    taken = bytearray(paragraphs + 1)
    chosen: list[Beat] = []
    for beat in ranked:
        if len(chosen) >= target:
            break
        low = max(0, beat.boundary - MIN_GAP + 1)
        high = min(paragraphs, beat.boundary + MIN_GAP - 1)
        if any(taken[low : high + 1]):
            continue
        taken[beat.boundary] = 1
        chosen.append(beat)
    chosen.sort(key=lambda b: b.boundary)
    return tuple(chosen)
