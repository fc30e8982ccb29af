# ruff: noqa: E501  (the stories are prose, one paragraph per line)
"""read_story on small hand-written stories, one feature at a time.

All characters and places here are invented for the tests.
"""

from __future__ import annotations

from carnet.engine.text import split_paragraphs
from carnet.tools.convert.analysis import Character, Reading
from carnet.tools.convert.reading import read_story

RUSSIAN = """THE SAMOVAR

Ivan Petrovich Seleznev was a clerk in the provincial treasury, a quiet man of fifty who lived with his sister in two small rooms above a bakery. Every evening he walked home along the embankment, counting his steps.

One evening in November, as the lamps were being lit, he stopped at the corner tavern. Inside, the air was thick with smoke. Ivan Petrovich sat down by the stove and ordered tea.

A stranger approached his table. He was a tall man in a worn military coat, and he bowed politely. "Forgive me," the stranger said. "My name is Grigory Orlov. I believe we were at school together."

Ivan Petrovich looked at him for a long time. He did not remember any Orlov, but he nodded. "Of course," he replied. "Sit down, Grigory Alexeyevich."

Orlov talked about the war and about a woman he had loved. Then he took a letter from his pocket and laid it on the table. "Read it," he said. "It concerns your sister, Masha."

Ivan Petrovich read the letter twice. His hands trembled. For the first time in twenty years, he felt that his life might change.

He decided to go home at once and speak to Masha. Outside, the snow had begun to fall, and the embankment was white and empty.

Masha was waiting for him by the samovar. "You are late, Vanya," she said. When he gave her the letter, she read it without a word and then laughed.
"""

FIRST_PERSON = """I had not been back to the village for ten years when the telegram came. My aunt was dying, it said, and she wanted to see me.

I took the night train and arrived at dawn. The station was exactly as I remembered it: a wooden platform, a bench, a single lamp still burning in the mist.

Nobody was waiting for me. I walked up the hill road to my aunt's house with my suitcase in my hand. I pushed open the door and stepped inside.

A girl of about twelve appeared at the top of the stairs. "Are you the nephew?" she asked. "I'm Wilma. I look after her now."

I followed Wilma into the bedroom. My aunt lay among her pillows, smaller than I had ever seen her. She smiled when she saw me and pointed at a wooden box on the table.

"It's yours," she whispered. "Open it when I'm gone."

That night I sat by the window and held the box on my knees. I knew that I would not open it. Not yet.
"""

COUPLE = """Mr. and Mrs. Hartley had lived on Quince Street for thirty years. Every Sunday they walked to the church and back, and every Sunday Mrs. Hartley complained about the weather.

This Sunday was different. As they turned into the churchyard, Mr. Hartley stopped. A young woman was sitting on the low wall, crying.

"Are you quite all right, my dear?" asked Mrs. Hartley.

The young woman looked up. "I'm sorry," she said. "My name is Eleanor Vance. I've come a long way and I don't know anybody here."

Mr. Hartley cleared his throat. He glanced at his wife. She nodded.

"Then you had better come home with us," Mr. Hartley said. "There is soup, and a spare room."

Eleanor followed them back down Quince Street. At the door of the little house she hesitated, then went in. Mrs. Hartley was already lighting the fire.

Later, when the girl was asleep, Mrs. Hartley made up her mind. "She stays," she said. Her husband did not argue.
"""

PRESENT = """The rain hasn't stopped for three days. Jonas stands at the window of his flat and watches the street below. He is waiting for a call that never comes.

At noon he goes down to the kiosk for cigarettes. The old man behind the counter, Mr. Brandt, nods at him. "Still nothing?" he asks. Jonas shakes his head.

On the way back he notices a small blue envelope wedged in the door of his building. His name is written on it in a hand he knows.

He opens the envelope on the stairs. Inside is a key and a note: "The harbour. Tonight. — L."

Jonas realizes that he has been waiting for this for a year. He takes his coat and goes out into the rain.
"""

CURLY = """‘Don’t be silly,’ said Aunt Harriet. ‘Nobody goes to the lighthouse in winter.’

Pip didn’t answer. She had already made up her mind. That night, when the house was asleep, she slipped out of the kitchen door and ran down to the shore.

The lighthouse stood at the end of the causeway, dark against the sky. Halfway across, Pip saw a light moving in the lantern room. Someone was up there.

She climbed the iron stairs. At the top stood a boy with a lantern, as surprised as she was. ‘Who are you?’ he said. ‘I’m Tom,’ he added, before she could answer. ‘The keeper’s son.’

Pip laughed. For the first time since her parents had gone, she did not feel alone.
"""

SCIENTIST = """Marie Curie worked late in the laboratory on the Rue Cuvier. Marie's hands were stained with pitch and her eyes ached, but she did not stop.

Near midnight a man came in from the rain. It was Pierre Laval, an old friend from the university, who had walked across the city to find her. He shook the water from his hat.

"You will make yourself ill," Pierre said. Curie laughed and showed him the glowing dish. Pierre stared at it for a long time.

Marie decided then that she would publish before the summer.
"""


def _by_name(reading: Reading, short: str) -> Character:
    return next(c for c in reading.characters if c.short == short)


def _speaker_of(reading: Reading, words: str) -> str | None:
    return next(s.speaker for s in reading.speeches if words in s.text)


# ----------------------------------------------------------------- paragraphs


def test_paragraphs_are_split_paragraphs_of_the_text() -> None:
    for story in (RUSSIAN, FIRST_PERSON, COUPLE, PRESENT, CURLY, SCIENTIST):
        reading = read_story(story)
        expected = split_paragraphs(story)
        if reading.title.isupper() or story == RUSSIAN:
            expected = expected[1:]  # the title line is the title, not a paragraph
        assert reading.paragraphs == expected


def test_crlf_text_gives_the_same_reading() -> None:
    assert read_story(COUPLE.replace("\n", "\r\n")) == read_story(COUPLE)


def test_sentences_are_per_paragraph_spans() -> None:
    reading = read_story(SCIENTIST)
    assert len(reading.sentences) == len(reading.paragraphs)
    first = [reading.paragraphs[0][s.start : s.end] for s in reading.sentences[0]]
    assert first == [
        "Marie Curie worked late in the laboratory on the Rue Cuvier.",
        "Marie's hands were stained with pitch and her eyes ached, but she did not stop.",
    ]
    assert all(s.paragraph == 2 for s in reading.sentences[2])


# ---------------------------------------------------------------------- title


def test_title_line_is_the_title_and_not_a_paragraph() -> None:
    reading = read_story(RUSSIAN)
    assert reading.title == "The Samovar"  # all caps made title case
    assert "THE SAMOVAR" not in reading.paragraphs
    assert reading.paragraphs == split_paragraphs(RUSSIAN)[1:]


def test_title_from_hint_then_from_the_story() -> None:
    assert read_story(SCIENTIST, title_hint="  Radium  Nights ").title == "Radium Nights"
    assert read_story(SCIENTIST).title == "Marie and Pierre"
    assert read_story(PRESENT).title == "Jonas"  # Mr. Brandt is named only once
    assert read_story(FIRST_PERSON).title == "The Wooden Box"


def test_a_first_line_ending_in_punctuation_is_not_a_title() -> None:
    reading = read_story("It rained.\n\nThen it stopped.")
    assert reading.title != "It rained."
    assert reading.title.startswith("It rained")


# ----------------------------------------------------------------- characters


def test_full_name_first_name_surname_and_possessive_are_one_character() -> None:
    reading = read_story(SCIENTIST)
    marie = _by_name(reading, "Marie")
    assert marie.name == "Marie Curie"
    assert set(marie.aliases) == {"Marie Curie", "Marie", "Curie"}
    assert len(marie.mentions) == 4  # Marie Curie, Marie's, Curie, Marie
    assert marie.pronoun == "she"
    assert marie.protagonist
    assert reading.protagonist == marie.id == "marie"
    # a mention's span is the name without the possessive
    span = marie.mentions[1]
    assert reading.paragraphs[span.paragraph][span.start : span.end] == "Marie"


def test_appositive_description_and_pronoun_of_a_newcomer() -> None:
    reading = read_story(SCIENTIST)
    pierre = _by_name(reading, "Pierre")
    assert pierre.name == "Pierre Laval"
    assert pierre.pronoun == "he"
    assert pierre.first_paragraph == 1
    assert pierre.description is not None
    assert pierre.description.startswith("an old friend from the university")
    assert not pierre.protagonist


def test_street_names_are_places_not_people() -> None:
    reading = read_story(SCIENTIST)
    assert all("Cuvier" not in c.name for c in reading.characters)
    assert any(p.proper and p.name.endswith("Rue Cuvier") for p in reading.places)


def test_russian_names_patronymics_and_a_sister() -> None:
    reading = read_story(RUSSIAN)
    ivan = _by_name(reading, "Ivan Petrovich")
    assert ivan.name == "Ivan Petrovich Seleznev"
    assert ivan.pronoun == "he"
    assert reading.protagonist == ivan.id
    orlov = _by_name(reading, "Orlov")
    assert orlov.name == "Grigory Orlov"
    assert orlov.pronoun == "he"
    masha = _by_name(reading, "Masha")
    assert masha.pronoun == "she"
    names = {c.short for c in reading.characters}
    assert "November" not in names and "The Samovar" not in names
    assert len(reading.characters) == 3


def test_mr_and_mrs_are_two_characters() -> None:
    reading = read_story(COUPLE)
    mr = next(c for c in reading.characters if c.name == "Mr. Hartley")
    mrs = next(c for c in reading.characters if c.name == "Mrs. Hartley")
    assert mr.pronoun == "he" and mrs.pronoun == "she"
    assert mr.first_paragraph == mrs.first_paragraph == 0
    assert len(mrs.mentions) == 5
    eleanor = _by_name(reading, "Eleanor")
    assert eleanor.name == "Eleanor Vance" and eleanor.pronoun == "she"
    assert {c.short for c in reading.characters} == {"Mr. Hartley", "Mrs. Hartley", "Eleanor"}
    assert "Sunday" not in {c.short for c in reading.characters}


def test_titles_and_self_introductions_give_pronouns() -> None:
    reading = read_story(CURLY)
    assert _by_name(reading, "Aunt Harriet").pronoun == "she"
    tom = _by_name(reading, "Tom")
    assert tom.pronoun == "he"  # "‘I’m Tom,’ he added"
    pip = _by_name(reading, "Pip")
    assert pip.pronoun == "she"
    assert reading.protagonist == pip.id  # named most, from the start


def test_name_introduced_by_named_and_introduced_himself_as() -> None:
    text = (
        "Odile walked into the bar on a grey morning.\n\n"
        "The barman, a cheerful man named Bruno, poured her a glass of water.\n\n"
        "Later a tall sailor who introduced himself as Casimir sat down beside Odile. "
        "Casimir smiled."
    )
    reading = read_story(text)
    bruno = _by_name(reading, "Bruno")
    assert bruno.pronoun == "he"
    assert bruno.description == "a cheerful man"
    casimir = _by_name(reading, "Casimir")
    assert casimir.pronoun == "he"
    assert casimir.description == "a tall sailor"
    assert reading.protagonist == _by_name(reading, "Odile").id


def test_sentence_initial_common_words_are_not_names() -> None:
    text = (
        "Suddenly the door opened. Outside it was dark.\n\n"
        "Perhaps nobody would come. Meanwhile the kettle boiled. Tuesday came and went."
    )
    assert read_story(text).characters == ()


def test_a_name_only_ever_at_sentence_start_is_found() -> None:
    reading = read_story(PRESENT)
    jonas = _by_name(reading, "Jonas")
    assert jonas.protagonist and jonas.pronoun == "he"
    assert len(jonas.mentions) == 3
    assert _by_name(reading, "Mr. Brandt").pronoun == "he"


def test_first_person_story_has_no_named_protagonist() -> None:
    reading = read_story(FIRST_PERSON)
    assert reading.person == "first"
    assert reading.protagonist is None
    assert not any(c.protagonist for c in reading.characters)
    clara = _by_name(reading, "Wilma")
    assert clara.pronoun == "she"
    assert clara.first_paragraph == 3


def test_first_person_narrator_who_gives_a_name_is_the_protagonist() -> None:
    text = (
        "My name is Tobias Wren, and I keep the lock on the old canal.\n\n"
        "I open the gates at dawn. I close them at dusk. I have done it for years."
    )
    reading = read_story(text)
    assert reading.person == "first"
    assert reading.protagonist is not None
    assert reading.character(reading.protagonist).name == "Tobias Wren"


# ----------------------------------------------------------- places, things


def test_common_and_named_places_with_first_paragraph() -> None:
    reading = read_story(FIRST_PERSON)
    places = {p.id: p for p in reading.places}
    assert places["village"].first_paragraph == 0
    assert places["village"].name == "the village"
    assert places["station"].first_paragraph == 1
    assert places["bedroom"].first_paragraph == 4
    assert not any(p.proper for p in reading.places)
    assert "gate" not in places and "door" not in places
    couple = read_story(COUPLE)
    quince = next(p for p in couple.places if p.proper)
    assert quince.name == "Quince Street"
    assert len(quince.mentions) == 2


def test_kitchen_door_is_not_a_kitchen() -> None:
    reading = read_story(CURLY)
    assert "kitchen" not in {p.id for p in reading.places}
    assert {"house", "shore", "lighthouse"} <= {p.id for p in reading.places}


def test_things_that_matter() -> None:
    russian = read_story(RUSSIAN)
    assert [t.id for t in russian.things] == ["letter"]
    letter = russian.things[0]
    assert letter.first_paragraph == 4  # the title line is not a paragraph
    assert len(letter.mentions) == 3
    first_person = read_story(FIRST_PERSON)
    box = next(t for t in first_person.things if t.id == "box")
    assert box.name == "wooden box"
    # a coat that is merely taken once does not matter
    assert "coat" not in {t.id for t in read_story(PRESENT).things}


def test_ids_are_unique_across_kinds() -> None:
    text = (
        "Rosa Bell ran the bell shop by the harbour.\n\n"
        "One day Rosa found a bell in the harbour, and handed the bell to a child."
    )
    reading = read_story(text)
    ids = [c.id for c in reading.characters] + [p.id for p in reading.places]
    ids += [t.id for t in reading.things]
    assert len(ids) == len(set(ids))


# --------------------------------------------------------------------- speech


def test_speakers_from_tags_intros_and_context() -> None:
    reading = read_story(RUSSIAN)
    orlov = _by_name(reading, "Orlov").id
    ivan = _by_name(reading, "Ivan Petrovich").id
    masha = _by_name(reading, "Masha").id
    assert _speaker_of(reading, "Forgive me") == orlov  # "the stranger said" + "My name is"
    assert _speaker_of(reading, "My name is Grigory Orlov") == orlov
    assert _speaker_of(reading, "Of course") == ivan  # "he replied": the paragraph's subject
    assert _speaker_of(reading, "Read it") == orlov
    assert _speaker_of(reading, "You are late") == masha
    quote = next(s for s in reading.speeches if s.text.startswith("Read it"))
    assert reading.paragraphs[quote.span.paragraph][quote.span.start : quote.span.end] == (
        '"Read it,"'
    )


def test_speaker_named_in_tag_before_or_after() -> None:
    reading = read_story(COUPLE)
    mrs = next(c for c in reading.characters if c.name == "Mrs. Hartley").id
    mr = next(c for c in reading.characters if c.name == "Mr. Hartley").id
    eleanor = _by_name(reading, "Eleanor").id
    assert _speaker_of(reading, "quite all right") == mrs  # "asked Mrs. Hartley"
    assert _speaker_of(reading, "I'm sorry") == eleanor  # "she said" + "My name is"
    assert _speaker_of(reading, "soup") == mr  # same paragraph as "Mr. Hartley said"
    assert _speaker_of(reading, "She stays") == mrs


def test_curly_single_quotes_and_the_nearest_speaker() -> None:
    reading = read_story(CURLY)
    texts = [s.text for s in reading.speeches]
    assert texts == [
        "Don’t be silly,",
        "Nobody goes to the lighthouse in winter.",
        "Who are you?",
        "I’m Tom,",
        "The keeper’s son.",
    ]
    harriet = _by_name(reading, "Aunt Harriet").id
    tom = _by_name(reading, "Tom").id
    assert [s.speaker for s in reading.speeches] == [harriet, harriet, tom, tom, tom]


def test_present_tense_tag_uses_the_last_named_in_the_paragraph() -> None:
    reading = read_story(PRESENT)
    assert _speaker_of(reading, "Still nothing") == _by_name(reading, "Mr. Brandt").id
    assert _speaker_of(reading, "The harbour") is None  # a note, nobody speaks


# ------------------------------------------------------------- tense, person


def test_tense_and_person() -> None:
    assert (read_story(PRESENT).tense, read_story(PRESENT).person) == ("present", "third")
    assert (read_story(RUSSIAN).tense, read_story(RUSSIAN).person) == ("past", "third")
    assert (read_story(FIRST_PERSON).tense, read_story(FIRST_PERSON).person) == ("past", "first")
    present_first = "I wake before dawn. I make coffee and I watch the sea. She is still asleep."
    assert (read_story(present_first).tense, read_story(present_first).person) == (
        "present",
        "first",
    )


def test_dialogue_in_first_person_does_not_make_a_story_first_person() -> None:
    text = (
        'Hugo looked at the sea. "I think I will stay," he said. "I like it here."\n\n'
        '"I know," said Nell. She smiled at him and he smiled back.'
    )
    assert read_story(text).person == "third"


# ------------------------------------------------------------------ robustness


def test_empty_and_blank_text() -> None:
    for text in ["", "   ", "\n\n\n"]:
        reading = read_story(text)
        assert reading.paragraphs == ()
        assert reading.characters == () and reading.beats == () and reading.choice_points == ()
        assert reading.title == "Untitled"
    assert read_story("", title_hint="Nothing").title == "Nothing"


def test_one_paragraph_has_no_choice_points() -> None:
    reading = read_story("Gilda arrived, greeted Marco, found a letter and decided to stay.")
    assert len(reading.paragraphs) == 1
    assert reading.beats == () and reading.choice_points == ()


def test_all_caps_no_names_and_odd_punctuation_do_not_break() -> None:
    texts = [
        "THE WIND BLEW ALL NIGHT. NOBODY CAME.\n\nIN THE MORNING THE SEA WAS CALM!!!",
        "the wind blew. the sea was grey.\n\nnothing else happened at all",
        '""""\n\n“““ ”” ‘’ \'\' — – … ?!?! ,,, ;;;\n\n{braces} [brackets] (parens)',
        "Zoë Ångström naïvely met Ødegaard at the café.\n\nZoë smiled; Ødegaard said nothing.",
        "—\n\n…\n\n!",
    ]
    for text in texts:
        reading = read_story(text)
        assert reading.paragraphs == split_paragraphs(text)
    accents = read_story(texts[3])
    assert {c.short for c in accents.characters} >= {"Zoë"}
    assert "zoe" in {c.id for c in accents.characters}


def test_reading_is_deterministic() -> None:
    for story in (RUSSIAN, COUPLE, CURLY):
        assert read_story(story) == read_story(story)


def test_a_name_that_speaks_is_a_person_even_after_in() -> None:
    text = (
        "Marta arrived in Florence on a wet morning. She walked through Florence all day.\n\n"
        'At the inn a girl was waiting. "You must be tired," said Florence. Marta laughed.'
    )
    reading = read_story(text)
    assert {c.short for c in reading.characters} == {"Marta", "Florence"}
    assert _by_name(reading, "Marta").pronoun == "she"  # "Florence" in between is no subject
    assert all(p.name != "Florence" for p in reading.places)
    assert _speaker_of(reading, "tired") == _by_name(reading, "Florence").id


def test_titles_before_names_and_unknown_pronouns() -> None:
    text = (
        "Captain Ahab stood on the deck. The captain said nothing. Ahab turned away.\n\n"
        "Later monsieur Dupont knocked at the cabin. Dupont bowed."
    )
    reading = read_story(text)
    ahab = _by_name(reading, "Ahab")
    assert ahab.name == "Captain Ahab"
    assert ahab.pronoun == "they"  # "captain" tells nothing, and no he/she follows
    dupont = _by_name(reading, "Dupont")
    assert dupont.name == "Monsieur Dupont"
    assert dupont.aliases == ("monsieur Dupont", "Dupont")
    assert dupont.pronoun == "he"


WRAPPED = """THE LAMP

She sat at the window watching the evening invade the avenue. Her
head was leaned against the window curtains. She was tired.

Few people passed. The man out of the last house passed on his way
home; she heard his footsteps clacking along the concrete pavement.

Everything changes. Now she was going to go away like the others, to
leave her home. Miss Gavan would be glad. She had always had an edge
on her, especially whenever there were people listening.

"Miss Hill, don't you see these ladies are waiting?"

"Look lively, Miss Hill, please."

She had consented to go away with Frank. Frank was very kind, manly,
open-hearted. He had come to the house one evening, and she had met
him first at the gate of the park.

Escape! She must escape! Frank would save her. She decided she would go.
"""


def test_hard_wrapped_lines_and_a_heroine_named_only_in_speech() -> None:
    reading = read_story(WRAPPED)
    assert reading.paragraphs == split_paragraphs(WRAPPED)[1:]  # without the title line
    assert reading.title == "The Lamp"
    # "she ... she ... she": the protagonist is the "she" of the narration
    assert reading.protagonist == _by_name(reading, "Miss Hill").id
    frank = _by_name(reading, "Frank")
    assert frank.pronoun == "he"  # "Frank would save her. She decided" is not about Frank
    # a name only ever spoken to is no arrival
    assert all(b.subject != reading.protagonist for b in reading.beats if b.kind == "arrival")
    # Frank is remembered ("He had come to the house one evening"), not seen coming:
    # a mention, too weak to carry a choice
    arrival = next(b for b in reading.beats if b.kind == "arrival" and b.subject == frank.id)
    assert arrival.paragraph == 5 and "nobody is seen coming" in arrival.reason
    assert arrival not in reading.choice_points


def test_french_titles_and_institutions() -> None:
    text = (
        "The Minister of Public Works requests the honour of M. and Mme. Ferrand's company.\n\n"
        "Mme. Ferrand went to see her friend, Madame Collot, and asked her for a jewel. "
        'Madame Collot opened a box and said to Mme. Ferrand: "Choose, my dear."'
    )
    reading = read_story(text)
    names = {c.name: c for c in reading.characters}
    assert set(names) == {"M. Ferrand", "Mme. Ferrand", "Madame Collot"}
    assert names["M. Ferrand"].pronoun == "he"
    assert names["Madame Collot"].pronoun == "she"
    assert _speaker_of(reading, "Choose") == names["Madame Collot"].id
    assert reading.protagonist == names["Mme. Ferrand"].id
