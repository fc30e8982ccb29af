"""Named characters (and named places) from capitalized words.

How a name is found, with no list of names:

1. A *run* is a sequence of capitalized words ("Marie Curie"), with an optional
   title before it ("Mrs. Hale", "monsieur Dupont") and particles inside it
   ("Leonardo da Vinci"). Leading common words ("The", "As") are dropped;
   days, months and the like are never names.
2. A run that is only the first word of a sentence ("Suddenly", "Masha") is
   *weak*: it only counts when the same name is seen elsewhere, or when a
   speech verb follows it ("Masha said"); never when the word is also written
   in lowercase in the text.
3. Each run collects evidence of being a person (a title, a speech verb, "a
   woman named X", "introduced himself as X", "I'm X" in speech, a verb after
   it, "X, who", "X's eyes") or a place ("in X", "along the X", "the streets
   of X", "X Street").
4. Runs are resolved to characters: a two-word name is one character; a
   one-word mention ("Marie", "Curie", "Mrs. Curie") goes to the full name that
   contains it (the most recently mentioned one when several do, and only to
   one whose title agrees: "Mr. Hale" is not "Mrs. Hale").
5. A character's pronoun comes from its title, from the noun that introduces
   it ("a woman named X"), and from the first he/she after a mention where
   the name is the subject, before any other character is named.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence

import attrs

from carnet.tools.convert.analysis import Character, Pronoun, Span
from carnet.tools.convert.reading.lexicon import (
    COMMON_WORDS,
    GENDERED_NOUNS,
    LOCATIVE_STRONG,
    LOCATIVE_WEAK,
    NAME_PARTICLES,
    NEVER_NAMES,
    NOT_S_VERBS,
    PERSON_NOUNS,
    PERSON_POSSESSIONS,
    PERSON_VERBS,
    PLACE_OF,
    PLACE_SUFFIXES,
    REFLEXIVE,
    SAYING_VERBS,
    SPEECH_VERBS,
    SUBJECT_PRONOUNS,
    TITLES,
    Gender,
)
from carnet.tools.convert.reading.manuscript import Manuscript, Para, Word
from carnet.tools.convert.slug import slugify, unique_id

_DETERMINERS = frozenset(
    ["a", "an", "the", "his", "her", "their", "its", "my", "our", "your", "this", "that", "one"]
)
_APPOSITIVE_START = frozenset(["a", "an", "the", "his", "her", "their", "my", "our"])
_APPOSITIVE_MAX_WORDS = 12
_PLACE_PREFIXES = frozenset(
    [
        "st",
        "mt",
        "mount",
        "fort",
        "port",
        "lake",
        "cape",
        "saint",
        "rue",
        "via",
        "calle",
        "avenida",
        "piazza",
        "plaza",
    ]
)
_TALK_VERBS = SPEECH_VERBS | frozenset(
    [
        "speak",
        "talk",
        "talked",
        "spoke",
        "write",
        "wrote",
        "turned",
        "listened",
        "belonged",
        "married",
    ]
)
_MAX_RUN = 8  # capitalized words in a row; more is a heading, not a name
_MAX_SHARED = 64  # full names sharing a word that are searched for a title's gender
_VOTE_LOOKAHEAD = 12  # events looked at after a mention for its pronoun
_SELF_INTRO = (("i'm",), ("i", "am"), ("name", "is"), ("call", "me"), ("it's",), ("this", "is"))


def _is_cap(token: Word) -> bool:
    text = token.text
    return text[0].isupper() and not (len(text) > 1 and text.isupper())


def _plain_gap(gap: str) -> bool:
    """Words in one name are separated by spaces or one line break only."""
    return 0 < len(gap) <= 3 and gap.isspace() and gap.count("\n") <= 1


def _dotted_gap(gap: str) -> bool:
    return gap[:1] == "." and _plain_gap(gap[1:])


def _is_verb_like(token: Word) -> bool:
    """A verb after a name: "nodded", "was", "stands" (a hint the name is a subject)."""
    lower = token.lower
    if lower in PERSON_VERBS or (len(lower) > 3 and lower.endswith("ed")):
        return True
    return (
        len(lower) > 3
        and lower.endswith("s")
        and not lower.endswith(("ss", "us", "is"))
        and lower not in NOT_S_VERBS
        and token.text[:1].islower()
    )


@attrs.frozen
class Run:
    """One candidate mention of a name."""

    para: int
    first: int  # token index of the first name word
    last: int  # token index of the last name word
    start: int  # span start (the title's, when there is one)
    end: int
    parts: tuple[str, ...]
    title: str | None
    gender: Gender | None
    weak: bool
    quoted: bool
    placed: bool  # ends with a place word: "Baker Street"


@attrs.define
class Evidence:
    person: float = 0.0
    place: float = 0.0
    subject: bool = False
    self_intro: bool = False
    spoke: bool = False  # "Anna said", "said Anna": a person, whatever else the text says
    gender: Gender | None = None  # from the words that introduce the name
    description: str | None = None


@attrs.frozen
class Mention:
    """A resolved mention, for the stages after this one."""

    character: str
    para: int
    token: int
    start: int
    end: int
    quoted: bool
    subject: bool
    self_intro: bool


@attrs.frozen
class ProperPlace:
    name: str
    first_paragraph: int
    mentions: tuple[Span, ...]


@attrs.frozen
class Cast:
    characters: tuple[Character, ...]
    mentions: tuple[tuple[Mention, ...], ...]  # per paragraph, in text order
    places: tuple[ProperPlace, ...]


# --------------------------------------------------------------------------- runs


def _title_before(tokens: Sequence[Word], index: int) -> Word | None:
    if index == 0:
        return None
    prev = tokens[index - 1]
    gap = tokens[index].gap
    if prev.lower in TITLES and not prev.possessive and (_plain_gap(gap) or _dotted_gap(gap)):
        return prev
    return None


def _title_text(para: Para, title: Word) -> str:
    """The title as written, with its period: "Mr.", "monsieur"."""
    if para.text[title.end : title.end + 1] == ".":
        return title.text + "."
    return title.text


def _make_run(para: Para, tokens: Sequence[Word], first: int, last: int) -> Run | None:
    title: Word | None = _title_before(tokens, first)
    # Drop leading titles and common words: "The Tower Bridge", "As Marie", "Captain Ahab".
    begin = first
    while begin <= last:
        token = tokens[begin]
        if token.lower in TITLES and begin < last and not token.possessive:
            title = token
        elif not (token.lower in COMMON_WORDS or token.lower in NEVER_NAMES):
            break
        else:
            title = None
        begin += 1
    words = list(range(begin, last + 1))
    # Never-names end a run: "Marie Sunday" is Marie.
    for position, index in enumerate(words):
        if tokens[index].lower in NEVER_NAMES:
            words = words[:position]
            break
    while words and tokens[words[-1]].lower in NAME_PARTICLES:
        words.pop()
    if not words:
        return None
    head = tokens[words[0]]
    tail = tokens[words[-1]]
    parts = tuple(tokens[i].text for i in words)
    placed = len(words) > 1 and (tail.lower in PLACE_SUFFIXES or head.lower in _PLACE_PREFIXES)
    weak = head.initial and title is None and len(words) == 1
    start = title.start if title is not None else head.start
    gender = TITLES[title.lower] if title is not None else None
    return Run(
        para=para.index,
        first=words[0],
        last=words[-1],
        start=start,
        end=tail.end,
        parts=parts,
        title=_title_text(para, title) if title is not None else None,
        gender=gender,
        weak=weak,
        quoted=head.quoted,
        placed=placed,
    )


def _couple(para: Para, tokens: Sequence[Word], index: int) -> tuple[Run, Run, int] | None:
    """``Mr. and Mrs. Hale``: two runs, and the index of the name's last word."""
    if index + 3 >= len(tokens):
        return None
    one, conj, two = tokens[index], tokens[index + 1], tokens[index + 2]
    if not (one.lower in TITLES and conj.lower == "and" and two.lower in TITLES):
        return None
    last = index + 3
    if not _is_cap(tokens[last]) or tokens[last].lower in COMMON_WORDS:
        return None
    while (
        last + 1 < len(tokens)
        and not tokens[last].possessive
        and _is_cap(tokens[last + 1])
        and _plain_gap(tokens[last + 1].gap)
    ):
        last += 1
    parts = tuple(t.text for t in tokens[index + 3 : last + 1])
    end = tokens[last].end
    quoted = one.quoted

    def run(title: Word, start: int) -> Run:
        title_text = _title_text(para, title)
        return Run(
            para.index,
            index + 3,
            last,
            start,
            end,
            parts,
            title_text,
            TITLES[title.lower],
            False,
            quoted,
            False,
        )

    return run(one, one.start), run(two, two.start), last


def find_runs(para: Para) -> list[Run]:
    """Every candidate name in a paragraph, in order."""
    tokens = para.tokens
    runs: list[Run] = []
    size = len(tokens)
    i = 0
    while i < size:
        token = tokens[i]
        if token.lower in TITLES:
            couple = _couple(para, tokens, i)
            if couple is not None:
                runs.extend(couple[:2])
                i = couple[2] + 1
                continue
        if not _is_cap(token):
            i += 1
            continue
        j = i
        while j + 1 < size and not tokens[j].possessive:
            nxt = tokens[j + 1]
            gap = nxt.gap
            current = tokens[j]
            if _is_cap(nxt) and (
                _plain_gap(gap)
                or (
                    _dotted_gap(gap)
                    and (
                        current.lower in TITLES
                        or current.lower in _PLACE_PREFIXES
                        or len(current.text) == 1
                    )
                )
            ):
                j += 1
            elif (
                nxt.lower in NAME_PARTICLES
                and _plain_gap(gap)
                and j + 2 < size
                and _is_cap(tokens[j + 2])
                and _plain_gap(tokens[j + 2].gap)
            ):
                j += 2
            else:
                break
        run = _make_run(para, tokens, i, j) if j - i < _MAX_RUN else None
        if run is not None:
            runs.append(run)
        i = j + 1
    return runs


# ----------------------------------------------------------------------- evidence


def _description(para: Para, tokens: Sequence[Word], start_index: int) -> str | None:
    """The noun phrase starting at ``tokens[start_index]`` up to punctuation."""
    text = para.text
    first = tokens[start_index]
    end = first.end
    for k in range(start_index, min(len(tokens), start_index + _APPOSITIVE_MAX_WORDS)):
        token = tokens[k]
        if k > start_index and not _plain_gap(token.gap) and token.gap not in ("-",):
            break
        if token.quoted != first.quoted:
            break
        end = token.end + (2 if token.possessive else 0)
    phrase = text[first.start : end].strip()
    return phrase or None


def _noun_phrase_before(
    para: Para, tokens: Sequence[Word], index: int
) -> tuple[str | None, Gender | None]:
    """``a friendly woman`` before ``named``: the phrase and the gender its noun implies."""
    gender: Gender | None = None
    for k in range(index - 1, max(-1, index - 7), -1):
        token = tokens[k]
        if gender is None and token.lower in GENDERED_NOUNS:
            gender = GENDERED_NOUNS[token.lower]
        if token.lower in ("a", "an"):
            phrase = para.text[token.start : tokens[index - 1].end].strip(" ,")
            return phrase, gender
        if k < index - 1 and not _plain_gap(tokens[k + 1].gap) and tokens[k + 1].gap.strip() != ",":
            break
    return None, gender


def _tag_pronoun(para: Para, offset: int) -> Gender | None:
    """The pronoun of a speech tag right after ``offset`` ("he said"), if any."""
    tokens = para.tokens
    k = bisect.bisect_left(tokens, offset, key=lambda t: t.start)
    if k + 1 >= len(tokens) or tokens[k].quoted or tokens[k].lower not in SUBJECT_PRONOUNS:
        return None
    verb = tokens[k + 1]
    if verb.lower.endswith("ly") and k + 2 < len(tokens):
        verb = tokens[k + 2]
    return SUBJECT_PRONOUNS[tokens[k].lower] if verb.lower in SPEECH_VERBS else None


def _speaker_pronoun(para: Para, offset: int) -> Gender | None:
    """Who says the quotation at ``offset``: the tag after it, else the tag after
    an earlier quotation of the paragraph ("Hello," she said. "I'm Wilma.")."""
    upto = bisect.bisect_right(para.quotes, offset, key=lambda q: q.start)
    for quote in reversed(para.quotes[max(0, upto - 4) : upto]):
        gender = _tag_pronoun(para, quote.end)
        if gender is not None:
            return gender
    return None


def _evidence(para: Para, run: Run) -> Evidence:
    tokens = para.tokens
    ev = Evidence()
    first = tokens[run.first]
    last = tokens[run.last]
    head = run.first - 1 if run.title is None else run.first - 2
    if run.title is not None and tokens[run.first - 1].lower not in TITLES:
        head = run.first - 1  # couples: the title is further back
    prev = tokens[head] if head >= 0 else None
    prev2 = tokens[head - 1] if head >= 1 else None
    prev3 = tokens[head - 2] if head >= 2 else None
    after = run.last + 1
    nxt = tokens[after] if after < len(tokens) and not last.possessive else None
    nxt_gap = nxt.gap if nxt is not None else ""

    if run.title is not None:
        ev.person += 3
        ev.gender = run.gender
    if run.placed:
        ev.place += 4
    with_the = False
    if prev is not None and prev.lower == "the":
        with_the = True
        ev.place += 1
        prev, prev2 = prev2, prev3
    gap_before = tokens[run.first if run.title is None else head + 1].gap
    if prev is not None and (prev.sentence == first.sentence or with_the):
        lower = prev.lower
        if (
            lower in ("to", "with", "at")
            and prev2 is not None
            and prev2.lower in _TALK_VERBS
            and not with_the
        ):
            ev.person += 2
        elif lower in PERSON_NOUNS and gap_before.strip() == "," and not with_the:
            ev.person += 2  # "my sister, Masha"
            ev.gender = GENDERED_NOUNS.get(lower)
        elif lower in LOCATIVE_STRONG:
            ev.place += 2
        elif lower in LOCATIVE_WEAK:
            ev.place += 1
        elif lower == "of" and prev2 is not None and prev2.lower in PLACE_OF:
            ev.place += 2
        elif lower == "of" and prev2 is not None and _is_cap(prev2) and prev2.lower not in TITLES:
            ev.place += 2  # "the Ministry of Fisheries", "the Bank of X": not a person
        elif lower in SAYING_VERBS and not with_the:
            ev.person += 3  # "said Anna"
            ev.spoke = True
        elif lower == "named" and not with_the:
            ev.person += 3
            ev.description, ev.gender = _noun_phrase_before(para, tokens, head)
        elif lower == "called" and not with_the:
            ev.person += 1
        elif (
            lower == "as"
            and prev2 is not None
            and prev2.lower in (*REFLEXIVE, "themselves")
            and prev3 is not None
            and prev3.lower.startswith("introduc")
        ):
            ev.person += 4
            ev.gender = REFLEXIVE.get(prev2.lower)
            who = head - 3
            if who >= 0 and tokens[who].lower == "who":
                ev.description, _ = _noun_phrase_before(para, tokens, who)
        elif lower == "was" and prev2 is not None and prev2.lower == "it":
            ev.subject = True
            ev.person += 0.5
    if prev is not None:
        pair = (prev2.lower, prev.lower) if prev2 is not None else ("", prev.lower)
        narrated = (pair == ("name", "is") and prev3 is not None and prev3.lower == "my") or (
            pair == ("call", "me")
        )
        if (run.quoted and ((prev.lower,) in _SELF_INTRO or pair in _SELF_INTRO)) or narrated:
            ev.person += 4
            ev.self_intro = True
            ev.gender = ev.gender or _speaker_pronoun(para, run.start)
    if run.parts and len(run.parts) >= 2 and not with_the and not run.placed:
        ev.person += 1
    if nxt is not None and _plain_gap(nxt_gap):
        if nxt.lower in SPEECH_VERBS:
            ev.person += 3
            ev.subject = True
            ev.spoke = nxt.lower in SAYING_VERBS
        elif nxt.lower == "who":
            ev.person += 2
        elif _is_verb_like(nxt):
            ev.person += 1
            ev.subject = True
    if nxt is not None and nxt_gap.strip() == "," and nxt.lower == "which":
        ev.place += 1
    if nxt is not None and nxt_gap.strip() == "," and nxt.lower == "who":
        ev.person += 2
    if last.possessive and after < len(tokens):
        owned = tokens[after]
        if owned.lower in PERSON_POSSESSIONS:
            ev.person += 1
            ev.subject = after + 1 < len(tokens) and _is_verb_like(tokens[after + 1])
    if (
        nxt is not None
        and nxt_gap.strip() == ","
        and nxt.lower in _APPOSITIVE_START
        and not with_the
    ):
        window = tokens[after : after + 8]
        noun = next((t for t in window if t.lower in PERSON_NOUNS), None)
        if noun is not None:
            ev.person += 2
            ev.description = ev.description or _description(para, tokens, after)
            if noun.lower in GENDERED_NOUNS and ev.gender is None:
                ev.gender = GENDERED_NOUNS[noun.lower]
    return ev


# ------------------------------------------------------------------------ clusters


@attrs.define
class _Cluster:
    key: tuple[str, ...]
    order: int
    person: float = 0.0
    place: float = 0.0
    last_seen: int = -1
    gender_title: Gender | None = None
    votes_she: float = 0.0
    votes_he: float = 0.0
    description: str | None = None
    runs: list[tuple[Run, Evidence]] = attrs.Factory(list)
    has_strong: bool = False  # seen in a run that is not weak
    spoke: bool = False


def _contiguous(parts: tuple[str, ...]) -> list[tuple[str, ...]]:
    size = len(parts)
    return [parts[i:j] for i in range(size) for j in range(i + 2, size + 1) if (i, j) != (0, size)]


def _roots(full_names: list[tuple[str, ...]]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Map every multi-word name to the longest name containing it (itself if none/ambiguous)."""
    containers: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for name in full_names:
        for sub in _contiguous(name):
            containers.setdefault(sub, []).append(name)
    roots: dict[tuple[str, ...], tuple[str, ...]] = {}
    for name in full_names:
        holders = containers.get(name, [])
        if holders:
            longest = max(len(h) for h in holders)
            best = [h for h in holders if len(h) == longest]
            if len(set(best)) == 1:
                roots[name] = best[0]
                continue
        roots[name] = name
    # A root's own root (three levels) is rare; follow once more for safety.
    return {name: roots.get(root, root) for name, root in roots.items()}


def _compatible(cluster: _Cluster, gender: Gender | None) -> bool:
    return gender is None or cluster.gender_title is None or cluster.gender_title == gender


class _Resolver:
    def __init__(self, full_names: list[tuple[str, ...]]) -> None:
        self.roots = _roots(full_names)
        self.clusters: dict[tuple[str, ...], _Cluster] = {}
        self.by_part: dict[str, list[tuple[str, ...]]] = {}
        for root in dict.fromkeys(self.roots.values()):
            for part in root:
                self.by_part.setdefault(part, []).append(root)
        self.singles: dict[str, list[_Cluster]] = {}
        self.recent: dict[str, _Cluster] = {}  # the cluster last mentioned, by name word
        self.clock = 0

    def _cluster(self, key: tuple[str, ...]) -> _Cluster:
        cluster = self.clusters.get(key)
        if cluster is None:
            cluster = _Cluster(key, len(self.clusters))
            self.clusters[key] = cluster
        return cluster

    def resolve(self, run: Run, weak: bool) -> _Cluster | None:
        """The cluster of a run: "Marie" goes to the "Marie Curie" named last."""
        cluster = self._resolve(run, weak)
        if cluster is not None:
            for part in cluster.key:
                self.recent[part] = cluster
        return cluster

    def _resolve(self, run: Run, weak: bool) -> _Cluster | None:
        self.clock += 1
        if len(run.parts) >= 2:
            return self._cluster(self.roots.get(run.parts, run.parts))
        part = run.parts[0]
        holders = self.by_part.get(part, [])
        if holders:
            recent = self.recent.get(part)
            if recent is not None and _compatible(recent, run.gender):
                return recent
            for root in holders[:_MAX_SHARED]:
                if root not in self.clusters or _compatible(self.clusters[root], run.gender):
                    return self._cluster(root)
        known = [c for c in self.singles.get(part, []) if _compatible(c, run.gender)]
        if known:
            return max(known, key=lambda c: c.last_seen)
        if weak:
            return None
        key = (part,) if run.gender is None else (part, f"\x00{run.gender}")
        cluster = self._cluster(key)
        self.singles.setdefault(part, []).append(cluster)
        return cluster


def _votes(
    doc: Manuscript, mentions: list[list[tuple[int, _Cluster, bool]]], dominant: Gender | None
) -> None:
    """Pronoun votes: the first he/she after a subject mention, unless another
    name is the subject in between ("Anna saw that Piotr was late; he ...").

    A pronoun in the next sentence counts half when it is the ``dominant`` one
    of the narration: it most likely refers to the protagonist again."""
    for para, found in zip(doc.paras, mentions, strict=True):
        if not found:
            continue
        tokens = para.tokens
        events: list[tuple[int, _Cluster | None, Gender | None]] = [
            (i, c, None) for i, c, _ in found
        ]
        events += [
            (i, None, SUBJECT_PRONOUNS[t.lower])
            for i, t in enumerate(tokens)
            if t.lower in SUBJECT_PRONOUNS and not t.quoted
        ]
        events.sort(key=lambda e: e[0])
        subjects = {i for i, _, subject in found if subject}
        for k, (index, cluster, _) in enumerate(events):
            if cluster is None or index not in subjects:
                continue
            sentence = tokens[index].sentence
            for later, other, gender in events[k + 1 : k + 1 + _VOTE_LOOKAHEAD]:
                if other is cluster or (other is not None and later not in subjects):
                    continue  # the same name again, or another name that is not a subject
                later_sentence = tokens[later].sentence
                if other is None and gender is not None and later_sentence <= sentence + 1:
                    weight = 0.5 if later_sentence > sentence and gender == dominant else 1.0
                    if gender == "she":
                        cluster.votes_she += weight
                    else:
                        cluster.votes_he += weight
                break


def _pronoun(cluster: _Cluster) -> Pronoun:
    she = cluster.votes_she
    he = cluster.votes_he
    if cluster.gender_title is not None:
        return cluster.gender_title
    if she > he:
        return "she"
    if he > she:
        return "he"
    return "they"


def _surface(run: Run) -> str:
    name = " ".join(run.parts)
    return f"{run.title} {name}" if run.title else name


def _display_title(title: str) -> str:
    return title[:1].upper() + title[1:]


def _character(cluster: _Cluster, char_id: str) -> Character:
    runs = [r for r, _ in cluster.runs]
    surfaces = [_surface(r) for r in runs]
    counts = Counter(surfaces)
    order = {s: i for i, s in reversed(list(enumerate(surfaces)))}
    short = min(counts, key=lambda s: (-counts[s], len(s.split()), order[s]))
    fullest = max(runs, key=lambda r: (len(r.parts), r.title is not None, -order[_surface(r)]))
    name = " ".join(fullest.parts)
    if fullest.title:
        name = f"{_display_title(fullest.title)} {name}"
    return Character(
        id=char_id,
        name=name,
        short=short,
        aliases=tuple(dict.fromkeys(surfaces)),
        pronoun=_pronoun(cluster),
        first_paragraph=runs[0].para,
        mentions=tuple(Span(r.para, r.start, r.end) for r in runs),
        description=cluster.description,
    )


def find_cast(doc: Manuscript, ids: dict[str, int], dominant: Gender | None = None) -> Cast:
    """Characters and named places. ``ids`` holds the ids taken so far (updated);
    ``dominant`` is the narration's main pronoun, if any (see :mod:`style`)."""
    lowercase = doc.lowercase
    body = doc.paras
    runs: list[tuple[Para, Run, Evidence]] = []
    for para in body:
        for run in find_runs(para):
            if run.weak and run.parts[0].lower() in lowercase:
                continue
            runs.append((para, run, _evidence(para, run)))

    full = [r.parts for _, r, ev in runs if len(r.parts) >= 2 and not r.placed]
    strong_parts = {part for _, r, _ in runs if not r.weak and not r.placed for part in r.parts}
    resolver = _Resolver(list(dict.fromkeys(full)))
    placed: dict[tuple[str, ...], list[Run]] = {}
    resolved: list[tuple[Run, Evidence, _Cluster]] = []
    for _, run, ev in runs:
        if run.placed:
            placed.setdefault(run.parts, []).append(run)
            continue
        weak = run.weak and ev.person < 3 and run.parts[0] not in strong_parts
        cluster = resolver.resolve(run, False)
        if cluster is None:
            continue
        cluster.last_seen = resolver.clock
        cluster.person += ev.person
        cluster.place += ev.place
        cluster.has_strong = cluster.has_strong or not weak
        cluster.spoke = cluster.spoke or ev.spoke
        if run.gender is not None and cluster.gender_title is None:
            cluster.gender_title = run.gender
        if ev.gender is not None:
            if ev.gender == "she":
                cluster.votes_she += 5
            else:
                cluster.votes_he += 5
        if cluster.description is None and ev.description:
            cluster.description = ev.description
        cluster.runs.append((run, ev))
        resolved.append((run, ev, cluster))

    people = [
        c
        for c in resolver.clusters.values()
        if c.runs
        and (c.person > c.place or (c.spoke and c.person >= 3))
        and (
            (c.has_strong and (c.person >= 2 or (c.person >= 1 and len(c.runs) >= 2)))
            or (len(c.runs) >= 2 and c.person >= 2)
        )
    ]
    people_set = {id(c) for c in people}

    per_para: list[list[tuple[int, _Cluster, bool]]] = [[] for _ in doc.paras]
    for run, ev, cluster in resolved:
        if id(cluster) in people_set and not run.quoted:
            per_para[run.para].append((run.first, cluster, ev.subject))
    _votes(doc, per_para, dominant)
    _self_intro_votes(doc, resolved, people_set)

    characters: list[Character] = []
    char_ids: dict[int, str] = {}
    for cluster in sorted(people, key=lambda c: (c.runs[0][0].para, c.runs[0][0].start)):
        provisional = _character(cluster, "")
        base = slugify(provisional.short)
        char_id = unique_id(base, ids)
        char_ids[id(cluster)] = char_id
        characters.append(attrs.evolve(provisional, id=char_id))

    mentions: list[list[Mention]] = [[] for _ in doc.paras]
    for run, ev, cluster in resolved:
        cid = char_ids.get(id(cluster))
        if cid is not None:
            mentions[run.para].append(
                Mention(
                    cid,
                    run.para,
                    run.first,
                    run.start,
                    run.end,
                    run.quoted,
                    ev.subject,
                    ev.self_intro,
                )
            )

    places: list[ProperPlace] = []
    for cluster in resolver.clusters.values():
        if (
            id(cluster) in people_set
            or not cluster.runs
            or cluster.place < 2
            or cluster.place < cluster.person
        ):
            continue
        runs_ = [r for r, _ in cluster.runs]
        places.append(_proper_place(doc, runs_))
    for group in placed.values():
        places.append(_proper_place(doc, group))
    places.sort(key=lambda p: (p.first_paragraph, p.mentions[0].start))
    return Cast(tuple(characters), tuple(tuple(m) for m in mentions), tuple(places))


def _self_intro_votes(
    doc: Manuscript, resolved: list[tuple[Run, Evidence, _Cluster]], people: set[int]
) -> None:
    """\"I'm Wilma," she said: the speaker's pronoun is the name's."""
    tag_pronoun: dict[int, Gender | None] = {}
    for run, ev, cluster in resolved:
        if not ev.self_intro or id(cluster) not in people:
            continue
        if run.para not in tag_pronoun:
            tokens = doc.paras[run.para].tokens
            tag_pronoun[run.para] = next(
                (
                    SUBJECT_PRONOUNS[t.lower]
                    for t in tokens
                    if not t.quoted and t.lower in SUBJECT_PRONOUNS
                ),
                None,
            )
        gender = tag_pronoun[run.para]
        if gender == "she":
            cluster.votes_she += 3
        elif gender == "he":
            cluster.votes_he += 3


def _proper_place(doc: Manuscript, runs: list[Run]) -> ProperPlace:
    first = runs[0]
    para = doc.paras[first.para]
    name = " ".join(first.parts)
    before = para.text[: first.start].rstrip()
    if before.lower().endswith(" the") or before.lower() == "the":
        name = f"the {name}"
    return ProperPlace(name, first.para, tuple(Span(r.para, r.start, r.end) for r in runs))
