"""Beats (key moments) and the choice points chosen among them.

Five kinds of beat (:data:`~carnet.tools.convert.analysis.BEAT_KINDS`), each
found by its finder in :data:`FINDERS`, most of them from the cues of
:mod:`.cues`:

- ``arrival``: someone physically turns up: a named character first seen
  coming ("a figure appeared ... It was Dorian"), or an unnamed one ("a
  stranger was standing at the foot of the stairs", "her husband entered").
  A name alone, with nobody seen coming, is a mention (someone remembered or
  spoken of), scored too low to carry a choice.
- ``encounter``: a meeting starts with someone already in the story
  ("accosted", "spoke to me"), a call or a letter, or a conversation after a
  stretch of narration; "asked" or "talked" with someone present in the
  paragraphs just before is not a new meeting.
- ``discovery``: a new common place found or entered (a place with a name of
  its own is known, not found), an object that changes things, something
  perceived or learned ("perceived", "understood at last", "was informed"),
  something judged beyond all one has known ("the best ... he had ever seen").
- ``decision``: the protagonist commits: a deciding verb whose subject is the
  protagonist (not a bystander), a refusal, a promise in their own words (a
  quotation nobody is known to speak commits nobody).
- ``turning_point``: the protagonist's state turns ("for the first time",
  "began to fade", "gave way"), a sudden moment, a repeated cry, a lone
  untagged cry in narration ("Ah!"); never in the opening paragraph, which
  sets the state.

Every choice point comes at the end of the paragraph where its beat happens:
the reader has just seen the moment, the player answers it. A beat in the last
paragraph gets none (nothing follows for a branch to lead into).

Choice points are the strongest boundaries, greedily: a boundary's strength is
its strongest beat plus :data:`CORROBORATION` for each other kind found there;
only boundaries of strength :data:`MIN_SCORE` or more are taken; at most one
choice point per boundary; two choice points are at least :data:`MIN_GAP`
paragraphs apart, and :data:`SAME_KIND_GAP` when they are of the same kind; a
boundary loses :data:`SPREAD_PENALTY` of strength for each choice point already
taken within :data:`SPREAD` paragraphs (choice points spread out); at
most :func:`choice_count` of them (``--density`` per 1,000 words, at least
:data:`MIN_CHOICES`).
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable, Sequence

import attrs

from carnet.tools.convert.analysis import (
    BEAT_KINDS,
    Beat,
    BeatKind,
    Character,
    Place,
    Pronoun,
    Speech,
    Thing,
)
from carnet.tools.convert.reading.cues import Cue, find_cues, unreal
from carnet.tools.convert.reading.cues import scan as scan_cues
from carnet.tools.convert.reading.manuscript import Manuscript, Para
from carnet.tools.convert.reading.names import Mention
from carnet.tools.convert.reading.phrases import Hit, PhraseBook, weighted

# --- Weights: how strongly the text marks a beat (a beat's score is their sum) ---

ARRIVAL_BASE = 3.0  # a named character first seen coming after the opening
NAMED_ONLY = 1.0  # a named character first named, but not seen coming: maybe only remembered
ARRIVAL_PER_MENTION = 0.5  # each later mention of the newcomer: someone who matters ...
ARRIVAL_MENTIONS_CAP = 2.0  # ... up to this much
ARRIVAL_VERB = 1.0  # an arrival verb ("came in", "appeared") in the paragraph
ARRIVAL_FIGURE = 0.5  # an unnamed figure ("a stranger", "a woman") who turns out to be them
UNNAMED_ARRIVAL = 2.0  # someone new, never named, arrives ("a man walked up")
ENCOUNTER_BASE = 1.0  # a meeting verb ("asked", "talked") with someone already in the story
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
CUE_EXTRA = 0.5  # each further cue of the same kind in the paragraph ...
CUE_EXTRA_CAP = 1.0  # ... up to this much
DIALOGUE_STARTS = 1.0  # speech after paragraphs of narration without any: a conversation starts
CORROBORATION = 0.5  # each other kind of beat found in the same paragraph
QUIET_BEFORE = 2  # paragraphs without speech before a conversation counts as starting

MIN_GAP = 1
"""Paragraphs between two consecutive choice points, at least."""
SPREAD = 3  # paragraphs around a choice point where another one counts as crowding it
SPREAD_PENALTY = 0.5  # strength a boundary loses per choice point already within SPREAD
SAME_KIND_GAP = 2
"""Paragraphs between two choice points of the same kind, at least: a moment of one
kind that goes on over two paragraphs is one moment."""
DENSITY = 8.0
"""Choice points per 1,000 words, at most (``--density``). Chosen on the development
corpus (``benchmarks/bench_corpus.py --sweep``): the lowest value that finds as many
of the beats an editor marks as any higher one, at the same precision; most stories
get fewer, since only beats scoring :data:`MIN_SCORE` or more are taken."""
MIN_CHOICES = 2  # a story of any length offers at least this many (if it has the beats)
MIN_SCORE = 2.0

_KIND_ORDER: dict[str, int] = {kind: order for order, kind in enumerate(BEAT_KINDS)}


_PHRASES = PhraseBook(
    {
        "arrival": weighted(
            "appeared, appears, arrived, arrives, came in, comes in, came into, came over,"
            " came up, comes up, came toward, came towards, entered, enters, emerged, emerges,"
            " walked up, walks up, walked in, walks in, walked over, approached, approaches,"
            " introduced himself, introduced herself, introduced themselves,"
            " introduces himself, introduces herself, stepped in, showed up, shows up,"
            " turned up, burst in, burst into, strode in, slid into, joined, joins, knocked at"
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
            " discovered, discovers, came across, comes across, caught sight of,"
            " catches sight of, glimpsed, tucked away, the sign, a sign"
        ),
        "enter": weighted(
            "pushed open, pushes open, stepped inside, steps inside, stepped into, steps into,"
            " went inside, goes inside, walked into, walks into, entered, enters,"
            " opened the door, opens the door, crossed the threshold, went in, slipped inside,"
            " ducked into, stepped through, let himself in, let herself in, let myself in"
        ),
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
    speeches: tuple[Speech, ...] = ()
    first_person: bool = False
    dominant: Pronoun | None = None  # the pronoun the narration uses most, if one stands out


def _bounds(doc: Manuscript) -> tuple[int, int]:
    """The lowest and highest boundary a choice point may have."""
    return 1, len(doc.paragraphs) - 1


def _place(paragraph: int, lo: int, hi: int) -> int | None:
    """The boundary for a beat in ``paragraph``: the end of the paragraph where the
    moment happens (the reader has just seen it, the player answers it). A beat in
    the last paragraph gets none."""
    boundary = paragraph + 1
    return boundary if lo <= boundary <= hi else None


def _beat(
    kind: BeatKind,
    paragraph: int,
    subject: str | None,
    score: float,
    what: str,
    why: str,
    bounds: tuple[int, int],
) -> Beat | None:
    boundary = _place(paragraph, *bounds)
    if boundary is None:
        return None
    reason = f"{what}; the choice comes after this paragraph, {why}"
    return Beat(paragraph, boundary, kind, subject, round(score, 2), reason)


Hits = Sequence[dict[str, list[Hit]]]


def _hit(found: dict[str, list[Hit]], group: str) -> Hit | None:
    """The first phrase of ``group`` in a paragraph, if any."""
    hits = found.get(group)
    return hits[0] if hits else None


def _told(para: Para, found: dict[str, list[Hit]], group: str) -> Hit | None:
    """The first phrase of ``group`` in the narration of a paragraph: a place
    "went in" to inside a quotation is spoken of, not entered."""
    for hit in found.get(group, []):
        at = bisect.bisect_left(para.tokens, hit.start, key=lambda w: w.start)
        if at >= len(para.tokens) or not para.tokens[at].quoted:
            return hit
    return None


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
    ("I'm Wilma"): a name only spoken about (or to) is not a presence, and a
    character only ever spoken about has no arrival."""
    seen: dict[str, int] = {}
    for paragraph in story.mentions:
        for mention in paragraph:
            if not mention.quoted or mention.self_intro:
                seen.setdefault(mention.character, mention.para)
    return seen


def _mention_start(story: Findings, character: str, paragraph: int) -> int:
    """Where a character is first named outside quotes in a paragraph."""
    for mention in story.mentions[paragraph]:
        if mention.character == character and (not mention.quoted or mention.self_intro):
            return mention.start
    return 0


def _sentence_hits(para: Para, found: dict[str, list[Hit]], offset: int) -> dict[str, list[Hit]]:
    """The phrases of the sentence around ``offset`` and the one before it ("A figure
    appeared. It was Dorian.") that are told as happening now (not in a remembered
    or hypothetical clause: "had come", "would come")."""
    index = bisect.bisect_right(para.sentences, offset, key=lambda b: b[0]) - 1
    if index < 0:
        return {}
    start, end = para.sentences[max(0, index - 1)][0], para.sentences[index][1]
    words = para.tokens
    first = bisect.bisect_left(words, start, key=lambda w: w.start)
    kept: dict[str, list[Hit]] = {}
    for group, group_hits in found.items():
        for hit in group_hits:
            if not start <= hit.start < end:
                continue
            at = min(bisect.bisect_left(words, hit.start, key=lambda w: w.start), len(words) - 1)
            clause = next((i for i in range(at, -1, -1) if i == first or words[i].initial), first)
            if words[at].quoted or unreal(words, clause, at):
                continue
            kept.setdefault(group, []).append(hit)
    return kept


def _arrivals(story: Findings, bounds: tuple[int, int], hits: Hits) -> list[Beat]:
    """Arrivals of named characters (not the protagonist, not those present from
    the first paragraph), then of unnamed newcomers nobody names later."""
    beats: list[Beat] = []
    doc = story.doc
    first_seen = _first_seen(story)
    opening = 0
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
            found = _sentence_hits(
                doc.paras[named], hits[named], _mention_start(story, character.id, named)
            )
            verb = _hit(found, "arrival")
            figure = _newcomer(found, None)
            coming = figure is not None and _comes_in(doc.paras[named], figure, found)
            if figure is not None and verb is None and not coming:
                figure = None  # "then a man from the city bought the land": not someone coming
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
            if verb is None and figure is None:
                # named, but nobody is seen coming: a mention, not a presence
                score = NAMED_ONLY
                where = "is first named here (nobody is seen coming)"
            else:
                score = ARRIVAL_BASE + min(
                    ARRIVAL_MENTIONS_CAP, ARRIVAL_PER_MENTION * (len(character.mentions) - 1)
                )
                score += ARRIVAL_VERB if verb else 0.0
                score += ARRIVAL_FIGURE if figure else 0.0
            beat = _beat(
                "arrival",
                paragraph,
                character.id,
                score,
                f"new character '{character.short}' {where}{note}",
                _WHY["arrival"],
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
            None,
            UNNAMED_ARRIVAL,
            f"someone new arrives here ('{_said(para.text, figure)}', '{_said(para.text, verb)}')",
            _WHY["arrival"],
            bounds,
        )
        if beat is not None:
            beats.append(beat)
    return beats


def _present_before(story: Findings, character: str, paragraph: int) -> bool:
    """Whether a character is named in one of the :data:`QUIET_BEFORE` paragraphs before."""
    return any(
        m.character == character
        for p in range(max(0, paragraph - QUIET_BEFORE), paragraph)
        for m in story.mentions[p]
    )


def _encounters(
    story: Findings, bounds: tuple[int, int], hits: Hits, arrivals: dict[int, str]
) -> list[Beat]:
    """Meetings with someone already in the story. ``arrivals`` maps the paragraph
    of each named arrival to the newcomer, who counts as present from there."""
    beats: list[Beat] = []
    doc = story.doc
    known: dict[str, Character] = {c.id: c for c in story.characters}
    previous: str | None = None  # the last non-protagonist named in the paragraphs before
    for para in doc.paras:
        others = [
            m.character
            for m in story.mentions[para.index]
            if m.character != story.protagonist and known[m.character].first_paragraph < para.index
        ]
        verb = _hit(hits[para.index], "encounter")
        subject = others[0] if others else previous
        if subject is not None and _present_before(story, subject, para.index):
            verb = None  # already together: the meeting began earlier
        if verb and subject is not None and para.index not in arrivals:
            matches = len(hits[para.index]["encounter"])
            score = ENCOUNTER_BASE + min(ENCOUNTER_VERBS_CAP, ENCOUNTER_PER_VERB * (matches - 1))
            score += ENCOUNTER_SPEECH if para.index in story.speech_paragraphs else 0.0
            beat = _beat(
                "encounter",
                para.index,
                subject,
                score,
                f"the protagonist meets '{known[subject].short}' here ('{_said(para.text, verb)}')",
                _WHY["encounter"],
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
    for para in doc.paras:
        text = para.text
        spot = _told(para, hits[para.index], "spot")
        enter = _told(para, hits[para.index], "enter")
        fresh = new_places.get(para.index, [])
        here = mentioned.get(para.index, [])
        place: Place | None = None
        if enter is not None:
            window = enter.end + _ENTERED_WINDOW
            place = next((p for start, p in here if enter.end <= start <= window), None)
            if place is None:
                before = [p for p in fresh if p.mentions[0].start < enter.start]
                place = before[-1] if before else (here[0][1] if here else last_new)
        elif spot is not None and any(not p.proper for p in fresh):
            # a place with a name of its own is known, not found: only common places
            # ("a café", "the studio") are discovered by seeing them
            common = [p for p in fresh if not p.proper]
            after_verb = [p for p in common if p.mentions[0].start >= spot.start]
            place = (after_verb or common)[0]
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
                place.id,
                score,
                what + " ('" + "', '".join(verbs) + "')",
                "so the player decides what to do there" if enter else
                "so the player decides whether to go there",
                bounds,
            )
            if beat is not None:
                beats.append(beat)
        if fresh:
            last_new = fresh[-1]
    return beats


_GIVING = frozenset({"give", "gives", "gave", "giving", "send", "sends", "sent", "sending"})


def _thing_discoveries(story: Findings, bounds: tuple[int, int]) -> list[Beat]:
    beats: list[Beat] = []
    for thing in story.things:
        verb = story.thing_verbs.get(thing.id)
        if verb is None or verb.lower() in _GIVING:
            continue  # given or sent away: a transaction; the moment is where it is opened
        later = min(THING_MENTIONS_COUNTED, len(thing.mentions) - 1)
        score = THING_BASE + THING_PER_MENTION * later
        beat = _beat(
            "discovery",
            thing.first_paragraph,
            thing.id,
            score,
            f"an object that matters, '{thing.name}', turns up here (verb '{verb}')",
            "so the player decides what to do with it",
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
    cues: Sequence[list[Cue]]
    earlier: tuple[Beat, ...]


Finder = Callable[[Scan], list[Beat]]


_WHY: dict[BeatKind, str] = {
    "arrival": "so the player can react to the newcomer",
    "discovery": "so the player decides what to do about what was found",
    "encounter": "so the player decides how to meet them",
    "decision": "so the player makes the decision",
    "turning_point": "so the player chooses where the change leads",
}


def _short(scan: Scan, beat: Beat) -> str:
    return next((c.short for c in scan.findings.characters if c.id == beat.subject), "")


def _cue_beats(scan: Scan, kind: BeatKind, skip: set[int]) -> list[Beat]:
    """One beat per paragraph with cues of ``kind`` (see :mod:`.cues`): the strongest
    cue, plus a little for each further one."""
    beats: list[Beat] = []
    doc = scan.findings.doc
    for para in doc.paras:
        if para.index in skip:
            continue
        found = [c for c in scan.cues[para.index] if c.kind == kind]
        if not found:
            continue
        best = max(found, key=lambda c: (c.weight, -c.start))
        score = best.weight + min(CUE_EXTRA_CAP, CUE_EXTRA * (len(found) - 1))
        beat = _beat(kind, para.index, None, score, best.what, _WHY[kind], scan.bounds)
        if beat is not None:
            beats.append(beat)
    return beats


def find_arrivals(scan: Scan) -> list[Beat]:
    """Named arrivals, then unnamed ones; someone seen coming in the paragraph where
    a character is first named (nobody else coming) is that character."""
    named = _arrivals(scan.findings, scan.bounds, scan.hits)
    seen = {b.paragraph for b in named if b.score > NAMED_ONLY}
    only_named = {b.paragraph: b for b in named if b.score <= NAMED_ONLY and b.subject}
    beats = [b for b in named if b.paragraph in seen or b.paragraph not in only_named]
    for beat in _cue_beats(scan, "arrival", seen):
        who = only_named.pop(beat.paragraph, None)
        if who is not None:
            reason = f"'{_short(scan, who)}': {beat.reason}"
            beat = attrs.evolve(beat, subject=who.subject, reason=reason)
        beats.append(beat)
    return [*beats, *only_named.values()]


def find_discoveries(scan: Scan) -> list[Beat]:
    found = [
        *_place_discoveries(scan.findings, scan.bounds, scan.hits),
        *_thing_discoveries(scan.findings, scan.bounds),
    ]
    return [*found, *_cue_beats(scan, "discovery", {b.paragraph for b in found})]


def _conversations(scan: Scan) -> list[Beat]:
    """Speech after a stretch of narration without any: a conversation starts."""
    beats: list[Beat] = []
    story = scan.findings
    doc = story.doc
    speech = story.speech_paragraphs
    for para in doc.paras[1:]:
        before = range(max(0, para.index - QUIET_BEFORE), para.index)
        if para.index in speech and not any(p in speech for p in before):
            beat = _beat(
                "encounter", para.index, None, DIALOGUE_STARTS,
                "a conversation starts (speech after narration)", _WHY["encounter"], scan.bounds,
            )
            if beat is not None:
                beats.append(beat)
    return beats


def find_encounters(scan: Scan) -> list[Beat]:
    arrived = {b.paragraph: b.subject for b in scan.earlier if b.kind == "arrival" and b.subject}
    met = _encounters(scan.findings, scan.bounds, scan.hits, arrived)
    cued = _cue_beats(scan, "encounter", set())
    talks = _conversations(scan)
    return [*met, *cued, *talks]


def find_decisions(scan: Scan) -> list[Beat]:
    return _cue_beats(scan, "decision", set())


def find_turning_points(scan: Scan) -> list[Beat]:
    """The protagonist's state turns; not in the opening paragraph, which sets that
    state: nothing has been told yet for it to turn from."""
    return _cue_beats(scan, "turning_point", {0})


FINDERS: dict[BeatKind, Finder] = {
    "arrival": find_arrivals,
    "discovery": find_discoveries,
    "encounter": find_encounters,
    "decision": find_decisions,
    "turning_point": find_turning_points,
}
"""The registry of beat kinds: one finder per kind of :data:`BEAT_KINDS`."""


def _protagonist_words(story: Findings) -> frozenset[str]:
    """Lowercase words that can stand for the protagonist as a subject."""
    if story.first_person:
        return frozenset({"i", "we"})
    lead = next((c for c in story.characters if c.id == story.protagonist), None)
    if lead is None:
        return frozenset({"he", "she", "they"})
    names = {part.lower() for alias in lead.aliases for part in alias.split()}
    # the pronoun the narration follows stands for its main character, named or not
    return frozenset({*names, lead.pronoun, story.dominant or lead.pronoun, "they"})


def _news_once(cues: list[list[Cue]]) -> list[list[Cue]]:
    """What the protagonist is told is news once: the same words told again later
    ("you were seen ... you were seen") are not a new discovery; and a call or a
    letter named again within :data:`QUIET_BEFORE` paragraphs is the same one."""
    told: set[str] = set()
    calls: dict[str, int] = {}  # the words of a call or letter -> last paragraph named
    kept: list[list[Cue]] = []
    for index, paragraph in enumerate(cues):
        mine: list[Cue] = []
        for cue in paragraph:
            key = cue.what.lower()
            if cue.news:
                if key in told:
                    continue
                told.add(key)
            if cue.call:
                last = calls.get(key)
                calls[key] = index
                if last is not None and index - last <= QUIET_BEFORE:
                    continue
            mine.append(cue)
        kept.append(mine)
    return kept


def _others_speech(story: Findings) -> list[list[tuple[int, int]]]:
    """Per paragraph, the quotations spoken by someone known not to be the protagonist."""
    spans: list[list[tuple[int, int]]] = [[] for _ in story.doc.paras]
    for speech in story.speeches:
        if speech.speaker is not None and speech.speaker != story.protagonist:
            spans[speech.span.paragraph].append((speech.span.start, speech.span.end))
    return spans


def _unattributed_speech(story: Findings) -> list[list[tuple[int, int]]]:
    """Per paragraph, the quotations nobody is known to speak, when it is known who
    the protagonist is (named, or the narrator): such words are the protagonist's
    only if the paragraph's own speech tag says so ("I said", "she said")."""
    spans: list[list[tuple[int, int]]] = [[] for _ in story.doc.paras]
    if story.protagonist is None and not story.first_person:
        return spans
    for speech in story.speeches:
        if speech.speaker is None:
            spans[speech.span.paragraph].append((speech.span.start, speech.span.end))
    return spans


def find_beats(story: Findings) -> tuple[Beat, ...]:
    """Every candidate beat, in text order (paragraph, then boundary, then kind)."""
    doc = story.doc
    if len(doc.paragraphs) < 2:
        return ()
    hits = [_PHRASES.scan(para.tokens) for para in doc.paras]
    words = _protagonist_words(story)
    others = _others_speech(story)
    unattributed = _unattributed_speech(story)
    cues = _news_once([
        find_cues(
            para, scan_cues(para), protagonist_words=words, others_speech=others[para.index],
            unattributed=unattributed[para.index],
        )
        for para in doc.paras
    ])
    beats: list[Beat] = []
    for kind in BEAT_KINDS:
        beats += FINDERS[kind](Scan(story, _bounds(doc), hits, cues, tuple(beats)))
    beats.sort(key=lambda b: (b.paragraph, b.boundary, _KIND_ORDER[b.kind], b.subject or ""))
    return tuple(beats)


def boundary_strength(beats: Sequence[Beat]) -> dict[int, float]:
    """How strongly the text calls for a choice at each boundary: its strongest
    beat, plus :data:`CORROBORATION` for each other kind of beat found there
    (an arrival that is also a discovery is a bigger moment than either)."""
    kinds: dict[int, dict[str, float]] = {}
    for beat in beats:
        best = kinds.setdefault(beat.boundary, {})
        best[beat.kind] = max(best.get(beat.kind, 0.0), beat.score)
    return {
        boundary: round(max(found.values()) + CORROBORATION * (len(found) - 1), 2)
        for boundary, found in kinds.items()
    }


def _crowded(beat: Beat, taken: dict[int, str]) -> bool:
    """Whether a chosen choice point is too near: closer than :data:`MIN_GAP`
    paragraphs, or right next to one of the same kind (the same moment going on)."""
    for distance in range(1, max(MIN_GAP, SAME_KIND_GAP)):
        for boundary in (beat.boundary - distance, beat.boundary + distance):
            kind = taken.get(boundary)
            if kind is not None and (distance < MIN_GAP or kind == beat.kind):
                return True
    return False


def choice_count(words: int, density: float = DENSITY) -> int:
    """How many choice points a story of ``words`` words may have."""
    return max(MIN_CHOICES, int(words * density / 1000 + 0.5))


AUTHOR_CHOICE = "the author's [[choice]] marker asks for a choice point here"


def forced_beats(beats: Sequence[Beat], forced: frozenset[int], paragraphs: int) -> list[Beat]:
    """A beat for each boundary the author forces where the reading found none."""
    found = {b.boundary for b in beats}
    return [
        Beat(boundary - 1, boundary, "decision", None, 0.0, AUTHOR_CHOICE)
        for boundary in sorted(forced)
        if 1 <= boundary <= paragraphs - 1 and boundary not in found
    ]


@attrs.frozen
class Selection:
    """The choice points, and for every candidate beat why it was taken or dropped."""

    points: tuple[Beat, ...]
    verdicts: tuple[str, ...]  # one per beat, in the order of the beats given


def select_points(
    beats: Sequence[Beat],
    paragraphs: int,
    words: int,
    density: float = DENSITY,
    forced: frozenset[int] = frozenset(),
    forbidden: frozenset[int] = frozenset(),
) -> Selection:
    """The beats that carry a choice (see the module docstring for the rules).

    ``forced`` boundaries (the author's ``[[choice]]``) take their strongest beat
    first, whatever its score, nearness or the density; ``forbidden`` ones
    (``[[no choice]]``) take none."""
    verdict: dict[int, str] = {}
    if paragraphs < 2:
        return Selection((), tuple("dropped: the story has fewer than two paragraphs"
                                   for _ in beats))
    target = choice_count(words, density)
    strength = boundary_strength(beats)
    taken: dict[int, tuple[str, int]] = {}  # boundary -> (kind, index of the beat)
    kinds: dict[int, str] = {}  # boundary -> kind, for _crowded
    refused: dict[int, str] = {}  # boundary -> why its strongest beat was dropped

    def crowding(boundary: int) -> float:
        near = sum(1 for d in range(1, SPREAD + 1) for b in (boundary - d, boundary + d)
                   if b in kinds)
        return SPREAD_PENALTY * near

    def key(i: int, penalty: float) -> tuple[bool, float, float, int, int, int]:
        beat = beats[i]
        effective = round(strength[beat.boundary] - penalty, 6)
        return (beat.boundary not in forced, -effective, -beat.score, beat.paragraph,
                _KIND_ORDER[beat.kind], i)

    heap = [(key(i, 0.0), 0.0) for i in range(len(beats))]
    heapq.heapify(heap)
    while heap:
        (*_, i), penalty = heapq.heappop(heap)
        beat = beats[i]
        now = crowding(beat.boundary) if beat.boundary not in forced else 0.0
        if now > penalty:  # choice points taken nearby since: rank it again
            heapq.heappush(heap, (key(i, now), now))
            continue
        where = f"after paragraph {beat.boundary}"
        if not 1 <= beat.boundary <= paragraphs - 1:
            verdict[i] = "dropped: no paragraph on one side"
        elif beat.boundary in forbidden:
            verdict[i] = "dropped: the author's [[no choice]] marker is here"
        elif beat.boundary in taken:
            other = beats[taken[beat.boundary][1]]
            verdict[i] = f"dropped: the boundary {where} carries the {other.kind} beat"
        elif beat.boundary in refused:
            verdict[i] = refused[beat.boundary]
        elif beat.boundary in forced:
            taken[beat.boundary] = (beat.kind, i)
            kinds[beat.boundary] = beat.kind
            verdict[i] = "taken: the author's [[choice]] marker"
        elif strength[beat.boundary] < MIN_SCORE:
            verdict[i] = (
                f"dropped: too weak (strength {strength[beat.boundary]:g} here, "
                f"{MIN_SCORE:g} needed)"
            )
        elif _crowded(beat, kinds):
            near = next(
                b
                for d in range(1, max(MIN_GAP, SAME_KIND_GAP))
                for b in (beat.boundary - d, beat.boundary + d)
                if b in kinds
            )
            verdict[i] = f"dropped: too near the choice point after paragraph {near}"
            # the boundary's strongest beat is the moment; a weaker one there does not
            # get in on its strength
            refused[beat.boundary] = f"dropped: the {beat.kind} beat {where} was dropped"
        elif len(taken) >= target:
            verdict[i] = f"dropped: the density allows {target} choice points"
        else:
            taken[beat.boundary] = (beat.kind, i)
            kinds[beat.boundary] = beat.kind
            verdict[i] = f"taken (strength {strength[beat.boundary]:g})"
    points = tuple(beats[i] for _, (_, i) in sorted(taken.items()))
    return Selection(points, tuple(verdict[i] for i in range(len(beats))))


def choose_points(
    beats: Sequence[Beat], paragraphs: int, words: int, density: float = DENSITY
) -> tuple[Beat, ...]:
    """The beats that carry a choice (see :func:`select_points`)."""
    return select_points(beats, paragraphs, words, density).points
