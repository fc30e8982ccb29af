"""Cues: the words by which English narration marks that something happens.

A cue is a phrase found in one sentence of a paragraph, with the kind of beat
it signals and how strongly. Each rule is a general reading of narrative
prose, never of one story:

- someone *turns up*: an indefinite person ("a woman", "three figures", "a
  stranger") as the subject of a verb of coming or of being there ("came",
  "sat down", "was standing"): a person the narration has not met is new to
  the scene; a definite one ("the aunt", "her husband") only with a verb of
  coming in ("entered", "bustled into"); the sound of someone coming ("heard
  ... the latchkey", "a knock");
- a *meeting* starts: verbs of meeting and addressing ("spoke to me",
  "encountered", "accosted"), a call or a letter;
- something is *found out*: verbs of perceiving and learning with the
  protagonist's attention ("perceived", "discovered", "recognised",
  "understood at last", "was informed", "it turned out");
- the protagonist *commits*: verbs of deciding, a refusal ("did not take",
  "would not"), and in the protagonist's own speech a promise or intent ("I
  will", "I'll", "I'm coming");
- the protagonist's state *turns*: "for the first time", "began to fade",
  "gave way", "hesitated", "trembled", a cry repeated ("No! No!").

Cues in remembered or hypothetical clauses ("had come", "used to", "would
come", "if she came") do not count: they are not events of the story's now.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from itertools import pairwise

import attrs

from carnet.tools.convert.analysis import BeatKind
from carnet.tools.convert.reading.lexicon import PERSON_NOUNS, SPEECH_VERBS
from carnet.tools.convert.reading.manuscript import Para, Word
from carnet.tools.convert.reading.phrases import Hit, PhraseBook, weighted

# --- Weights: how strongly each cue marks its beat ------------------------------

NEWCOMER_ARRIVES = 3.0  # an indefinite person comes or is suddenly there ("a woman sat down")
KNOWN_PERSON_COMES_IN = 2.5  # a definite person comes in ("her husband entered the room")
SOUND_OF_ARRIVAL = 2.5  # someone heard coming ("heard the latchkey", "a knock")
MEETING_VERB = 2.0  # a meeting or address ("spoke to me", "accosted a farmer")
CALL_OR_LETTER = 2.0  # a call or a letter reaches the protagonist
PERCEPTION = 1.5  # something perceived ("noticed", "perceived"): narration is full of these,
# so alone it is below MIN_SCORE; it carries a choice when something else marks the moment
REVELATION = 2.5  # learning that changes things ("understood at last", "was informed")
TOLD = 2.0  # someone tells the protagonist about themselves ("you were seen", "you're not")
COMMITMENT = 2.5  # a deciding verb ("decided", "resolved", "made up his mind")
REFUSAL = 2.0  # the protagonist refuses or holds back ("did not stand up", "would not")
PROMISE = 2.5  # the protagonist's own words commit them ("I will", "I'll", "I'm coming")
INNER_TURN = 2.0  # the protagonist's state changes ("began to lift", "for the first time")
SUDDEN = 1.0  # a moment marked as sudden or long awaited ("suddenly", "at last", "trembled")
OUTCRY = 1.5  # a repeated cry ("No! No!"): a moment of crisis
BEYOND_EXPERIENCE = 2.0  # judged against all one has known ("the best he had ever seen")
LONE_CRY = 1.5  # a one-word cry, untagged, the only speech in a narrated paragraph ("Ah!")

_ARRIVAL_WINDOW = 8  # words after a person noun where its verb of coming is looked for
_MODIFIERS = 4  # words allowed between a determiner and its person noun

_INDEFINITE = frozenset(
    ["a", "an", "another", "some", "two", "three", "four", "five", "several", "one"]
)
_DEFINITE = frozenset(["the", "her", "his", "my", "our", "their", "your"])
_PERSON_PLURALS = frozenset(
    {"men", "women", "children", "people", "figures", "strangers"}
    | {noun + "s" for noun in PERSON_NOUNS}
)
_PERSONS = PERSON_NOUNS | _PERSON_PLURALS | frozenset({"someone", "somebody"})

_BOOK = PhraseBook(
    {
        # verbs of coming or of being there, for an indefinite person
        "presence": weighted(
            "came, come, comes, coming, appeared, appears, arrived, arrives, entered, enters,"
            " emerged, emerges, approached, approaches, sat, sits, stood, stands, was standing,"
            " is standing, were standing, are standing, was sitting, is sitting, were walking,"
            " was walking, is walking, are walking, walked, walks, ran, runs, stepped, steps,"
            " bustled, leaned, leans, showed up, shows up, turned up, turns up, burst, strode,"
            " hurried, hurries, was waiting, is waiting, waited, waits"
        ),
        # verbs of coming in, for anyone
        "coming_in": weighted(
            "came in, comes in, came into, comes into, came over, comes over, came up,"
            " comes up, came back, comes back, came running, comes running, came toward,"
            " came towards, entered, enters, appeared, appears, arrived, arrives,"
            " bustled into, bustles into, walked in, walks in, walked into, walks into,"
            " stepped in, steps in, burst in, burst into, showed up, shows up, turned up,"
            " turns up, returned, returns"
        ),
        "sound": weighted(
            "latchkey, key in the lock, a knock, knock at, knocking at, knocked at,"
            " the doorbell, footsteps,"
            " the bell rang, the door opened, the door opens"
        ),
        "meeting": weighted(
            "spoke to me, spoke to him, spoke to her, speaks to me, speaks to him,"
            " speaks to her, encountered, encounters, accosted, accosts, confronted,"
            " confronts, greeted, greets, struck up a conversation, strikes up a conversation,"
            " introduced himself, introduced herself, introduces himself, introduces herself,"
            " addressed, addresses, came over and asked, comes over and asks"
        ),
        "call": weighted(
            "the phone, the telephone, phone rang, phone rings, telephone rang,"
            " telephone rings, a letter, the letter, a message, a note, it rang, it rings"
        ),
        "perceive": weighted(
            "perceived, perceives, discovered, discovers, noticed, notices, spotted, spots,"
            " recognised, recognized, recognises, recognizes, caught sight, catches sight,"
            " stumbled upon, stumbles upon, came upon, comes upon, it says, it said,"
            " there lay, there lies, turned out to be, turns out to be,"
            " took out, takes out, pulled out, pulls out, was written, is written,"
            " were seen to, was seen to, showed him, showed her, showed me, shows him,"
            " shows her, shows me"
        ),
        "reveal": weighted(
            "understood at last, understands at last, realized, realised, realizes,"
            " realises, was informed, is informed, were informed, learned that, learnt that,"
            " learns that, it dawned on, the truth, saw that it was, saw it was, sees it is"
        ),
        # someone tells the protagonist what they did not know, about themselves
        "told": weighted(
            "you were seen, you are not, you're not, you aren't, you were not, it means that,"
            " the truth is, your name is"
        ),
        "commit": weighted(
            "decided, decides, resolved, resolves, made up his mind, made up her mind,"
            " made up my mind, made up their minds, makes up his mind, makes up her mind,"
            " determined to, vowed, vows, chose to, chooses to, set to work, sets to work,"
            " began with, begins with, stood up, stands up"
        ),
        "refuse": weighted(
            "did not stand, does not stand, did not take, does not take, did not go,"
            " does not go, did not move, does not move, refused,"
            " refuses, shook my head, shook his head, shook her head, declined, declines"
        ),
        "sudden": weighted(
            "hesitated, hesitates, trembled, trembles, it was impossible, it is impossible,"
            " at last, all at once, suddenly"
        ),
        "promise": weighted(
            "i will, i'll, i shall, i'm going to, i am going to, i'm coming, i am coming,"
            " i bet, i promise, i stake, i renounce, i accept, i agree, i refuse, i resign"
        ),
        "turn": weighted(
            "for the first time, no longer, began to lift, begins to lift, began to fade,"
            " begins to fade, gave way, gives way, change began, began to change, were now,"
            " are now,"
            " begins to change, something changed, something changes"
        ),
    }
)

_NOT_A_COMMITMENT = frozenset({"be", "not", "have", "never"})
_RELATIVE = frozenset({"who", "whom", "whose", "that", "which"})
_PAST_PERFECT = frozenset({"had", "'d"})
_HYPOTHETICAL = frozenset({"would", "could", "might", "if", "used", "should", "unless"})
_REMEMBERING = frozenset(
    {"remembered", "remembers", "remember", "recalled", "recalls", "dreamed", "dreamt",
     "imagined", "imagines", "thought", "thinks", "wondered", "wonders"}
)


@attrs.frozen
class Cue:
    kind: BeatKind
    weight: float
    start: int
    end: int
    what: str  # the rule, in words, for --explain
    news: bool = False  # something told to the protagonist: news only the first time
    call: bool = False  # a call or a letter: the same one goes on over the next paragraphs


def _index_at(tokens: Sequence[Word], offset: int) -> int:
    """The index of the first word starting at or after ``offset``."""
    return bisect.bisect_left(tokens, offset, key=lambda w: w.start)


def unreal(tokens: Sequence[Word], first: int, index: int) -> bool:
    """Whether the word at ``index`` stands in a remembered or hypothetical clause:
    a past perfect, a modal or a verb of remembering earlier in its sentence."""
    for word in tokens[max(first, index - 6) : index]:
        lower = word.lower
        if lower in _PAST_PERFECT or lower in _HYPOTHETICAL or lower in _REMEMBERING:
            return True
    return False


def _person_before(tokens: Sequence[Word], first: int, verb: int) -> tuple[str, int] | None:
    """The person noun phrase that is the subject of the verb at ``verb``: its
    determiner class ("indefinite" or "definite") and its start index."""
    for head in range(verb - 1, max(first, verb - _ARRIVAL_WINDOW) - 1, -1):
        if tokens[head].lower in _RELATIVE:
            return None  # "five old people who sat": a description, not an event
        if tokens[head].lower not in _PERSONS or tokens[head].quoted:
            continue
        if tokens[head].lower in {"someone", "somebody"}:
            return "indefinite", head
        for det in range(head - 1, max(first, head - _MODIFIERS - 1) - 1, -1):
            lower = tokens[det].lower
            if lower in _INDEFINITE:
                return "indefinite", det
            if lower in _DEFINITE:
                return "definite", det
        return None
    return None


_PRONOUNS = frozenset({"i", "we", "he", "she", "they"})


def _addresses(para: Para, offset: int, protagonist_words: frozenset[str]) -> bool:
    """Whether the quotation around ``offset`` names the protagonist: one does not
    call oneself by name, so it is spoken to them, not by them."""
    names = protagonist_words - _PRONOUNS
    tokens = para.tokens
    for quote in para.quotes:
        if quote.inner_start <= offset < quote.inner_end:
            first = _index_at(tokens, quote.inner_start)
            last = _index_at(tokens, quote.inner_end)
            return any(w.lower in names for w in tokens[first:last])
    return False


def find_cues(
    para: Para,
    hits: dict[str, list[Hit]],
    *,
    protagonist_words: frozenset[str],
    others_speech: Sequence[tuple[int, int]] = (),
    unattributed: Sequence[tuple[int, int]] = (),
) -> list[Cue]:
    """Every cue of a paragraph, in text order. ``protagonist_words`` are the lowercase
    words that name the protagonist as a subject ("she", "anna", or "i");
    ``others_speech`` the spans of quotations spoken by someone else, whose
    promises are not the protagonist's; ``unattributed`` those of quotations with
    no known speaker, whose promises are the protagonist's only where the
    paragraph's speech tag has the protagonist as its subject ("I said", "said she")."""
    tokens = para.tokens
    if not tokens:
        return []
    sentence_of = [w.sentence for w in tokens]
    firsts: dict[int, int] = {}
    for index, sentence in enumerate(sentence_of):
        firsts.setdefault(sentence, index)
    cues: list[Cue] = []

    def at(hit: Hit) -> tuple[int, int]:
        index = _index_at(tokens, hit.start)
        index = min(index, len(tokens) - 1)
        return index, firsts[sentence_of[index]]

    def narrated(hit: Hit) -> bool:
        index, first = at(hit)
        return not tokens[index].quoted and not unreal(tokens, first, index)

    def by_protagonist(hit: Hit) -> bool:
        index, first = at(hit)
        window = tokens[max(first, index - 4) : index]
        return any(w.lower in protagonist_words for w in window)

    def said(hit: Hit) -> str:
        return " ".join(para.text[hit.start : hit.end].split())

    for hit in hits.get("presence", []):
        index, first = at(hit)
        if not narrated(hit):
            continue
        subject = _person_before(tokens, first, index)
        if subject is not None and subject[0] == "indefinite":
            start = tokens[subject[1]].start
            phrase = " ".join(para.text[start : hit.end].split())
            cues.append(Cue("arrival", NEWCOMER_ARRIVES, start, hit.end,
                            f"someone new is there ('{phrase}')"))
    for hit in hits.get("coming_in", []):
        index, first = at(hit)
        if not narrated(hit):
            continue
        subject = _person_before(tokens, first, index)
        if subject is not None and "," in para.text[tokens[subject[1]].start : hit.start]:
            subject = None  # "the peasants examined the cows, went off, came back": another clause
        if subject is not None and subject[0] == "definite":
            start = tokens[subject[1]].start
            phrase = " ".join(para.text[start : hit.end].split())
            cues.append(Cue("arrival", KNOWN_PERSON_COMES_IN, start, hit.end,
                            f"someone comes in ('{phrase}')"))
    for hit in hits.get("sound", []):
        if narrated(hit):
            cues.append(Cue("arrival", SOUND_OF_ARRIVAL, hit.start, hit.end,
                            f"someone is heard coming ('{said(hit)}')"))
    for hit in hits.get("meeting", []):
        if narrated(hit):
            cues.append(Cue("encounter", MEETING_VERB, hit.start, hit.end,
                            f"a meeting ('{said(hit)}')"))
    for hit in hits.get("call", []):
        if narrated(hit):
            cues.append(Cue("encounter", CALL_OR_LETTER, hit.start, hit.end,
                            f"a call or a letter ('{said(hit)}')", call=True))
    for hit in hits.get("perceive", []):
        if narrated(hit):
            cues.append(Cue("discovery", PERCEPTION, hit.start, hit.end,
                            f"something is found ('{said(hit)}')"))
    for hit in hits.get("reveal", []):
        if narrated(hit):
            cues.append(Cue("discovery", REVELATION, hit.start, hit.end,
                            f"something is learned ('{said(hit)}')"))
    narrator_speaks = "i" in protagonist_words and any(
        not w.quoted and w.lower == "i" and k + 1 < len(tokens)
        and tokens[k + 1].lower in SPEECH_VERBS and not tokens[k + 1].quoted
        for k, w in enumerate(tokens)
    )
    protagonist_speaks = any(
        not a.quoted and not b.quoted
        and ((a.lower in protagonist_words and b.lower in SPEECH_VERBS)
             or (a.lower in SPEECH_VERBS and b.lower in protagonist_words))
        for a, b in pairwise(tokens)
    )
    for hit in hits.get("told", []):
        index, _ = at(hit)
        if tokens[index].quoted and not narrator_speaks:  # "I replied": the narrator tells
            cues.append(Cue("discovery", TOLD, hit.start, hit.end,
                            f"the protagonist is told something ('{said(hit)}')", news=True))
    for hit in hits.get("commit", []):
        if narrated(hit) and by_protagonist(hit):
            cues.append(Cue("decision", COMMITMENT, hit.start, hit.end,
                            f"the protagonist acts on a choice ('{said(hit)}')"))
    for hit in hits.get("refuse", []):
        if narrated(hit) and by_protagonist(hit):
            cues.append(Cue("decision", REFUSAL, hit.start, hit.end,
                            f"the protagonist refuses ('{said(hit)}')"))
    for hit in hits.get("promise", []):
        index, _ = at(hit)
        after = _index_at(tokens, hit.end)
        following = tokens[after].lower if after < len(tokens) else ""
        if following in _NOT_A_COMMITMENT:
            continue  # "I shall be ruined", "I will not": a prediction or a refusal of words
        if _addresses(para, hit.start, protagonist_words):
            continue  # "I'll let you have them, Anna": said *to* the protagonist
        if not protagonist_speaks and any(a <= hit.start < b for a, b in unattributed):
            continue  # nobody known says it: a promise commits only its speaker
        if tokens[index].quoted and not any(a <= hit.start < b for a, b in others_speech):
            cues.append(Cue("decision", PROMISE, hit.start, hit.end,
                            f"a promise or intent, spoken ('{said(hit)}')"))
    for hit in hits.get("turn", []):
        index, first = at(hit)
        if not unreal(tokens, first, index):
            cues.append(Cue("turning_point", INNER_TURN, hit.start, hit.end,
                            f"a state turns ('{said(hit)}')"))
    for hit in hits.get("sudden", []):
        index, first = at(hit)
        if not unreal(tokens, first, index):
            cues.append(Cue("turning_point", SUDDEN, hit.start, hit.end,
                            f"a sudden moment ('{said(hit)}')"))
    cries = [w for w in tokens if w.lower in {"no", "yes"} and para.text[w.end : w.end + 1] == "!"]
    if len(cries) >= 2:
        cues.append(Cue("turning_point", OUTCRY, cries[0].start, cries[-1].end,
                        "a cry repeated"))
    beyond = _beyond_experience(tokens)
    if beyond is not None:
        start, end = tokens[beyond[0]].start, tokens[beyond[1]].end
        phrase = " ".join(para.text[start:end].split())
        cues.append(Cue("discovery", BEYOND_EXPERIENCE, start, end,
                        f"something beyond what was known ('{phrase}')"))
    cry = _lone_cry(para)
    if cry is not None:
        cues.append(Cue("turning_point", LONE_CRY, cry[0], cry[1],
                        f"a lone cry in the narration ('{para.text[cry[0]:cry[1]]}')"))
    cues.sort(key=lambda c: (c.start, c.kind))
    return _distinct(cues)


_SUPERLATIVES = frozenset({"most", "least", "best", "worst"})
_PERFECT = frozenset({"had", "have", "has", "'d"})
_EXPERIENCED = frozenset({"seen", "heard", "known", "met", "tasted", "felt", "read"})
_CLAUSE_REACH = 12  # words after a superlative where the experience it is judged by is told


def _beyond_experience(tokens: Sequence[Word]) -> tuple[int, int] | None:
    """The first narrated superlative measured against the whole of someone's
    experience ("the most alive drawing he had seen", "the best coffee I have ever
    tasted"): the story marks something met for the first time, a discovery. Gives
    the indices of the superlative's "the" and of the participle."""
    for k in range(len(tokens) - 1):
        if tokens[k].lower != "the" or tokens[k + 1].lower not in _SUPERLATIVES:
            continue
        if tokens[k].quoted:
            continue
        sentence = tokens[k].sentence
        for j in range(k + 2, min(len(tokens) - 1, k + _CLAUSE_REACH)):
            if tokens[j].sentence != sentence:
                break
            if tokens[j].lower not in _PERFECT:
                continue
            nxt = j + 2 if tokens[j + 1].lower in {"ever", "never"} else j + 1
            if nxt < len(tokens) and tokens[nxt].lower in _EXPERIENCED:
                return k, nxt
    return None


_TAG_REACH = 3  # words either side of a quotation where its speech tag is looked for
_NARRATION_AROUND = 10  # words of narration a paragraph needs around a lone cry


def _lone_cry(para: Para) -> tuple[int, int] | None:
    """The span of a one-word exclamation ("Ah!") that is the only quotation of a
    paragraph of narration and has no speech tag: nobody is said to say it, it
    escapes a character, who has just grasped something."""
    if len(para.quotes) != 1:
        return None
    quote = para.quotes[0]
    inner = para.text[quote.inner_start : quote.inner_end].strip()
    if not inner.endswith("!") or not inner[:-1].isalpha():
        return None
    tokens = para.tokens
    outside = [k for k, w in enumerate(tokens) if not w.quoted]
    if len(outside) < _NARRATION_AROUND:
        return None
    first = _index_at(tokens, quote.start)
    last = _index_at(tokens, quote.end)
    near = [*tokens[max(0, first - _TAG_REACH) : first], *tokens[last : last + _TAG_REACH]]
    if any(w.lower in SPEECH_VERBS and not w.quoted for w in near):
        return None
    return quote.start, quote.end


def _distinct(cues: list[Cue]) -> list[Cue]:
    """One cue per stretch of words and kind ("a knock" and "knock at" are one)."""
    kept: list[Cue] = []
    for cue in cues:
        if any(k.kind == cue.kind and k.start <= cue.start < k.end for k in kept[-4:]):
            continue
        kept.append(cue)
    return kept


def scan(para: Para) -> dict[str, list[Hit]]:
    """The cue phrases of a paragraph, by group, for :func:`find_cues`."""
    return _BOOK.scan(para.tokens)
