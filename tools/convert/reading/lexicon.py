"""Generic English word lists the reading stage relies on.

Nothing here names a person, place or thing of any particular story: these are
function words, titles, pronouns, common verbs and common nouns. Every word is
lowercase; look words up with ``word.lower()``.
"""

from __future__ import annotations

from typing import Literal

Gender = Literal["she", "he"]


def _list(text: str) -> list[str]:
    return text.split()


def _words(text: str) -> frozenset[str]:
    return frozenset(_list(text))


# Titles that come before a name, with the pronoun they imply (None: either).
# "m" is the French "M." (monsieur).
TITLES: dict[str, Gender | None] = {
    **dict.fromkeys(
        _list(
            "mr m mister monsieur sir lord king prince duke count baron earl father brother uncle "
            "grandfather herr signor signore senor señor don monsignor tsar czar emperor sultan "
            "master sheikh mynheer"
        ),
        "he",
    ),
    **dict.fromkeys(
        _list(
            "mrs missus ms miss madame mme mademoiselle mlle madam lady queen princess duchess "
            "countess baroness mother sister aunt auntie grandmother granny frau fräulein signora "
            "signorina senora señora senorita señorita doña dame mistress empress tsarina"
        ),
        "she",
    ),
    **dict.fromkeys(
        _list(
            "dr doctor professor prof captain capt colonel col general gen lieutenant lt sergeant "
            "sgt major judge inspector detective officer constable reverend rev pastor rabbi "
            "bishop cardinal governor senator president chancellor mayor commissioner admiral "
            "commander corporal agent nurse"
        ),
        None,
    ),
}

# Abbreviations whose period does not end a sentence.
ABBREVIATIONS = _words(
    "mr mrs ms dr st mme mlle prof capt col gen lt sgt rev jr sr vs etc no nos vol fig "
    "mt ft ave blvd rd hon esq messrs mssrs gov sen rep pres approx inc ltd co corp dept "
    "univ e.g i.e cf al"
)

SUBJECT_PRONOUNS: dict[str, Gender] = {"she": "she", "he": "he"}
REFLEXIVE: dict[str, Gender] = {"herself": "she", "himself": "he"}
FIRST_PERSON = _words("i me my mine myself we us our ours ourselves")
THIRD_PERSON = _words("he she him her his hers himself herself they them their theirs")

# Nouns that tell a person's sex: "a woman named ...", "X, an old man, ...".
GENDERED_NOUNS: dict[str, Gender] = {
    **dict.fromkeys(
        _list(
            "woman women girl lady wife mother daughter sister aunt widow actress waitress queen "
            "grandmother bride maid nun heroine princess duchess countess landlady hostess "
            "stewardess seamstress governess mistress niece granddaughter girlfriend spinster "
            "matron barmaid"
        ),
        "she",
    ),
    **dict.fromkeys(
        _list(
            "man men boy gentleman husband father son brother uncle widower actor waiter king "
            "grandfather groom monk priest fellow lad guy prince duke landlord host steward "
            "nephew grandson boyfriend bachelor barman"
        ),
        "he",
    ),
}

# Nouns for people, used to accept appositives ("X, an old friend from school").
PERSON_NOUNS = frozenset(GENDERED_NOUNS) | _words(
    "friend friends person stranger figure neighbour neighbor colleague partner child "
    "student teacher doctor nurse artist painter writer poet musician singer dancer "
    "photographer journalist clerk officer soldier sailor merchant baker barista owner "
    "shopkeeper driver servant cook stranger traveller traveler visitor guest patron "
    "customer companion acquaintance cousin lover rival youth elder clergyman peasant "
    "worker labourer laborer lawyer judge banker teacher professor scholar student "
    "detective inspector captain beggar thief gardener porter coachman cabman waiter "
    "landowner tenant official secretary assistant apprentice boss employer"
)

# Words that may be capitalized at the start of a sentence without being a name.
COMMON_WORDS = _words(
    """
    a an the this that these those some any no every each either neither all both half
    such what which who whom whose whatever whichever whoever where when why how
    i you he she it we they me him her us them my your his its our their mine yours hers
    i'm i've i'll i'd it's
    ours theirs myself yourself himself herself itself ourselves themselves one ones
    and or but nor yet so for if then than because though although while whereas unless
    until till since as once whether after before
    in on at by to from of off with without within into onto upon over under above below
    across along around about among amongst between beyond behind beside besides near
    through throughout toward towards past up down out inside outside against despite
    except like unlike via per
    is am are was were be been being have has had having do does did doing done
    will would shall should can could may might must ought need dare
    not never always often sometimes usually seldom rarely ever again already still just
    only even also too very quite rather almost nearly perhaps maybe surely certainly
    indeed really truly simply suddenly slowly quickly quietly gently softly finally
    eventually later soon now today tonight tomorrow yesterday meanwhile afterwards
    afterward instead otherwise therefore however moreover nevertheless nonetheless thus
    hence anyway besides somehow somewhere anywhere everywhere nowhere here there
    first second third last next then later earlier long far well yes oh ah alas hello
    goodbye please thanks thank sorry no okay ok hey hi dear well why sure
    everyone everybody everything someone somebody something anyone anybody anything
    nobody nothing none many much more most few fewer less least several enough other
    another own same different
    inside outside upstairs downstairs overhead outdoors indoors ahead behind nearby
    together alone apart away back forward home
    mother father mom dad mama papa mum sir madam miss
    chapter part book volume prologue epilogue the end
    let lets come go look see listen wait stop tell say give take make get keep put
    after everything night morning evening afternoon day days years months weeks
    """
)

# Capitalized words that are never a person's name.
NEVER_NAMES = _words(
    """
    i monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    god lord heaven hell christmas easter english french german russian italian spanish
    american british irish scottish welsh european african asian chinese japanese indian
    dutch greek roman latin swiss polish portuguese catholic christian jewish muslim
    north south east west northern southern eastern western
    ok okay oh ah yes no hey
    """
)

# Small words that may sit inside a name: "Leonardo da Vinci", "Ludwig van Beethoven".
NAME_PARTICLES = _words("de da di du del della der den van von la le al bin ibn y")

SPEECH_VERBS = _words(
    """
    said says say asked asks replied replies answered answers whispered whispers shouted
    shouts cried cries called calls exclaimed exclaims murmured murmurs muttered mutters
    added adds continued continues admitted admits insisted insists explained explains
    remarked remarks observed observes sighed sighs snapped snaps declared declares
    announced announces suggested suggests agreed agrees protested protests demanded
    demands pleaded pleads begged begs repeated repeats responded responds retorted
    retorts yelled yells screamed screams gasped gasps stammered stammers breathed
    teased teases warned warns interrupted interrupts mumbled mumbles laughed laughs
    chuckled chuckles grumbled grumbles croaked hissed growled beamed smiled smiles
    wondered wonders inquired inquires enquired confessed confesses conceded ventured
    offered offers urged urges began begins went
    """
)

# Verbs that only a speaker does: "said Anna", "Anna replied" make Anna a person.
SAYING_VERBS = _words(
    """
    said says asked asks replied replies answered whispered shouted cried exclaimed murmured
    muttered added continued admitted insisted explained remarked snapped declared announced
    suggested agreed protested demanded pleaded begged repeated responded retorted yelled
    screamed gasped stammered mumbled
    """
)

# Verbs a named subject is seen with ("Anna nodded"): a hint the name is a person.
PERSON_VERBS = SPEECH_VERBS | _words(
    """
    nodded smiled laughed sighed frowned shrugged grinned blushed wept cried gasped winced
    looked glanced stared watched saw felt thought knew realized realised decided wanted
    hoped wished loved hated liked remembered forgot believed wondered understood
    walked ran sat stood rose turned stepped went came left arrived entered returned
    took gave handed held picked pulled pushed opened closed reached put kept
    was were had did could would should might must will can is has does
    wasn't weren't hadn't didn't couldn't wouldn't shouldn't isn't hasn't doesn't can't
    won't
    """
)

PAST_VERBS = _words(
    """
    was were had did said went came saw took made knew thought felt found gave told stood
    sat ran got left kept held brought began seemed looked heard met became grew spoke
    wrote read led fell rose lay sent spent built bought caught taught fought sought
    brought meant understood forgot wore woke drove rode threw drew flew knelt slept
    wept swept crept hung shook struck stuck sang rang drank sank swam won wound
    wasn't weren't hadn't didn't couldn't wouldn't
    """
)
PRESENT_VERBS = _words(
    """
    is are am has have does do says goes comes sees takes makes knows thinks feels finds
    gives tells stands sits runs gets leaves keeps holds brings begins seems looks hears
    meets becomes grows speaks writes reads leads falls rises lies sends spends builds
    isn't aren't hasn't doesn't don't
    """
)
# Words ending in -s that are not third-person verbs.
NOT_S_VERBS = _words(
    """
    always perhaps sometimes towards afterwards besides unless this his hers its us was
    yes thus as less plus nevertheless whereas ours yours theirs across has is does
    downstairs upstairs outdoors indoors various nervous famous serious anxious glorious
    curious obvious previous jealous gorgeous
    """
)

# Prepositions before a place: "in Lisbon", "along the river".
LOCATIVE_STRONG = _words("in into through along across inside within throughout")
LOCATIVE_WEAK = _words(
    "at on near from to towards toward over around outside past beyond under above "
    "reached visited left"
)
# Nouns followed by "of" + a place name: "the streets of X".
PLACE_OF = _words(
    """
    streets street city town village capital outskirts heart centre center suburbs port
    province county region state kingdom republic coast shores banks district quarter
    square roads road hills valley banks river island lake bay gulf sea harbour harbor
    """
)

# Common places, singular. Plurals are found by adding -s / -es.
PLACE_NOUNS = _words(
    """
    room kitchen hall hallway corridor staircase cellar attic bedroom parlour parlor study
    library office shop store bakery café cafe bar pub tavern inn hotel restaurant market
    marketplace square plaza street road lane alley alleyway avenue boulevard bridge river
    riverbank quay harbour harbor port dock pier wharf beach shore station platform church
    chapel cathedral temple school classroom university hospital prison jail courtyard
    garden park forest wood woods field meadow farm barn village town city house cottage
    apartment flat studio gallery museum theatre theater cinema cemetery graveyard hill
    mountain valley lake pond cave tower castle palace mansion manor estate ranch camp
    ship boat deck cabin carriage porch balcony rooftop terrace workshop boutique
    bookshop bookstore pharmacy bank factory mill warehouse saloon club lobby foyer
    lighthouse orchard vineyard greenhouse stable stables tent hut shed lodge chalet
    monastery convent abbey mosque synagogue embankment promenade boardwalk pavilion
    arcade mall supermarket laundry salon parlor office clinic ward courtroom
    """
)
# Capitalized last words that make a name a place: "Baker Street", "Hyde Park".
PLACE_SUFFIXES = _words(
    """
    street road avenue lane boulevard square place park bridge station tower church
    cathedral chapel abbey hotel hospital river lake mountain mount hill hills bay
    island islands palace castle hall garden gardens market gate gates quay harbour
    harbor port pier valley forest wood woods sea ocean desert strait canal avenue
    museum gallery theatre theater library university college school academy cemetery
    inn tavern cafe café restaurant bar pub club house manor court row terrace walk
    way drive close crescent embankment alley
    """
)
# A place noun followed by one of these is a modifier, not the place: "the kitchen table".
NOT_PLACE_HEADS = _words(
    """
    door doors window windows table tables wall walls floor floors owner owners keeper
    manager clock sign light lights staff master cat dog roof bell keys key counter
    girl boy man woman worker workers mate
    """
)

# Objects that can matter to a story, singular.
OBJECT_NOUNS = _words(
    """
    letter envelope note key notebook book diary journal sketchbook photograph photo
    picture painting portrait canvas sketch map ring necklace locket bracelet watch box
    chest trunk suitcase bag purse wallet basket parcel package gift present knife dagger
    sword gun pistol revolver rifle lamp lantern candle torch coin money bottle flask
    glass cup mug brush palette pen pencil document contract newspaper telegram card
    ticket camera phone telephone violin guitar flute umbrella hat scarf glove shawl
    mirror comb flower rose bouquet bread apple cake medicine vial potion crown mask doll
    toy ball handkerchief fan shell stone feather badge medal cigarette pipe rope ladder
    shovel spade hammer axe chain lock album record manuscript scroll poem drawing
    sculpture statue jewel brooch pearl diamond earring coat cloak
    """
)
# Verbs that make an object matter: handed over, found, opened, revealed.
OBJECT_VERBS = _words(
    """
    handed handing hands hand gave giving gives give revealed revealing reveals reveal
    found finds find discovered discovers discover produced produces unfolded unfolds
    opened opens open unwrapped unwraps showed shows show offered offers passed passes
    slipped slips picked picks lifted lifts pulled pulls took takes drew draws held holds
    received receives sent sends read reads flipped flips clutched clutches kept keeps
    stole steals hid hides buried buries dropped drops
    """
)

# Words after a possessive name that show it is a person: "Anna's eyes".
PERSON_POSSESSIONS = _words(
    """
    eyes eye face hand hands heart smile voice hair head lips mouth arm arms shoulder
    shoulders fingers cheeks cheek gaze brow feet legs mind mother father wife husband
    son daughter sister brother friend friends room house home work help life name
    words laugh expression chest back knees attention thoughts coat dress pages success
    """
)
