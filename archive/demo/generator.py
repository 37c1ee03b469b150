"""A big, realistic, reproducible archive for benchmarks (`manage.py generate_archive`).

Everything comes from one `random.Random(seed)` and a fixed reference date, so a seed always
gives the same rows (on an empty database, the same ids too). The shape follows a real fan
archive: fandoms, characters, relationships, tags, authors and comments all have long tails.

Word counts are nominal: each chapter claims a realistic count (hundreds to thousands of words)
but stores only a short generated body (about `body_words` words) so the database stays small.

Rows go in with explicit ids after each table's current maximum: PostgreSQL gets them by COPY,
SQLite (small sizes only) by executemany. Tags are written last, once the works have told us
their first use; the foreign keys are deferred, so the order within the transaction doesn't
matter. Every derived value comes from the function the services use: filter and role ids from
`index_work` and `story_filter_ids` per work, then, over the rows written, the works' counts
(`refresh_story_counts`), the tags' use counts (`refresh_tag_use_counts`) and the search
documents (`refresh_search_index`). `manage.py check_counters` finds nothing stale after it.
"""

import itertools
import json
import math
import random
import time
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection, transaction
from tqdm import tqdm

from archive.discovery.search_index import refresh_search_index
from archive.stories.choices import LANGUAGES, Category, Rating, Warning
from archive.stories.counts import refresh_story_counts
from archive.stories.services import refresh_tag_use_counts, story_filter_ids
from archive.tags.filtering import WorkIndex, index_work, ship_roles
from archive.tags.models import MAX_TAG_LENGTH, ShipKind, TagKind
from archive.tags.names import match_key

# Everything is dated from here back, never from now(), so a seed gives the same rows any day.
REFERENCE = datetime(2026, 1, 1, tzinfo=UTC)
REFERENCE_TS = int(REFERENCE.timestamp())
YEARS = 15
START_TS = REFERENCE_TS - YEARS * 365 * 86400 - 4 * 86400
DAY = 86400

BATCH_WORKS = 2000  # works buffered before their rows are flushed to the database

# fmt: off
ADJECTIVES = """
Quiet Golden Broken Silver Hollow Burning Distant Gentle Wild Bitter Sweet Crooked Hidden Last
Lost Long Small Secret Silent Strange Sudden Tender Velvet Wicked Winter Summer Autumn Spring
Empty Endless Faded Fallen Frozen Glass Grey Heavy Iron Little Lonely Midnight Morning Narrow
Northern Pale Paper Quicksilver Red Restless Salt Scarlet Shattered Soft Stolen Stubborn Sunlit
Tangled Thin Unspoken Wandering Wayward Weathered White Wistful Woven Amber Ashen Blue Bright
Careful Cold Copper Crimson Dark Dusky Emerald Fragile Green Half Honest Humble Idle Ivory Kind
Late Lucky Marble Misty Moonlit Muddy Nameless Obsidian Old Open Painted Patient Perfect Proper
Quiet Rough Rusted Sacred Second Shy Slow Starlit Steady Still Stormy Strong True Twilight
Unbroken Violet Warm Weary Wooden Young Brave Clumsy Curious Dizzy Eager Fierce Foolish Giddy
""".split()
NOUNS = """
Lantern Harbor Garden River Crown Letter Window Door Bridge Mirror Shadow Storm Feather Thread
Compass Anchor Ember Orchard Tower Island Forest Valley Meadow Kingdom Ocean Moon Star Sun Sky
Rain Snow Winter Summer Song Dream Promise Secret Heart Hand Road Map Key Lock Clock Candle
Fire Ash Smoke Stone Glass Salt Honey Bread Wine Tea Coffee Book Page Ink Ribbon Rose Thorn
Wolf Fox Raven Owl Sparrow Dragon Ghost Witch Knight Queen King Prince Sailor Soldier Stranger
Thief Healer Archive Library Kitchen Attic Cellar Lighthouse Train Station Market Festival
Carnival Chapel Cathedral Castle Cottage Cabin Ship Harbour Lake Field Hill Mountain Cliff
Shore Tide Wave Wind Cloud Thunder Lightning Echo Whisper Silence Music Dance Waltz Game Chess
Card Coin Ring Sword Shield Arrow Bow Crownlet Blanket Scarf Sweater Umbrella Teacup Kettle
Postcard Photograph Radio Telescope Notebook Pencil Paintbrush Canvas Violin Piano Guitar Drum
Bell Whistle Mask Costume Lantern Firefly Moth Butterfly Bee Cat Dog Horse Deer Rabbit Bear
Sunrise Sunset Morning Evening Midnight Afternoon Holiday Birthday Wedding Funeral Reunion
Journey Voyage Homecoming Escape Rescue Bargain Wager Duel Truce Treaty Oath Vow Debt Gift
""".split()
VERBS = """
Keep Find Lose Break Mend Steal Borrow Remember Forget Follow Chase Carry Hold Burn Build Save
Leave Answer Believe Catch Climb Cross Cure Dance Dream Earn Forgive Guard Haunt Heal Hide Hunt
Know Learn Light Love Miss Name Open Owe Paint Read Ruin Sing Solve Teach Tell Trust Wake Win
""".split()
PAST = """
kept found lost broke mended stole borrowed remembered forgot followed chased carried held burned
built saved left answered believed caught climbed crossed dreamed earned forgave guarded hid
knew learned lit loved missed named opened painted read ruined sang solved taught told trusted
""".split()
INTRANSITIVE = """
waited sighed laughed listened shivered trembled wandered lingered settled fell rose turned
whispered paused breathed stayed slept woke hummed smiled frowned glowed flickered rattled
""".split()
ADVERBS = """
quietly slowly carefully suddenly softly gently finally badly barely nearly stubbornly warily
""".split()
PREPOSITIONS = "across behind beneath beside under over near past through toward".split()
SUBJECTS = """
She|He|They|Nobody|Everyone|The old woman|The boy|Her brother|The stranger|The captain|His mother
|The girl|Their father|The healer|The knight|The youngest|Someone
""".replace("\n", "").split("|")
TIMES = "day night week evening morning winter summer year journey".split()
SPEECH = [
    "You came back", "I never asked for this", "Stay", "Don't look at me like that",
    "We should go", "It isn't what you think", "Tell me the truth", "I missed you",
    "Not yet", "Is that a promise", "Give me your hand", "I'm not leaving",
    "You're impossible", "Did you hear that", "Just this once", "Breathe",
]
FIRST_NAMES = """
Ada Adrian Aiko Alba Aldric Alice Amara Ambrose Amira Anaïs Ansel Arden Ari Arlo Astrid August
Aurelio Aurora Basil Bea Benedict Bianca Björn Blythe Bram Bronwyn Caspian Cassia Cedric Celeste
Chloé Cillian Clara Cormac Cosima Dalia Damien Dara Delphine Desmond Dorian Edda Edmund Eira Elio
Elowen Emeric Enzo Esme Ezra Fabian Farah Felix Fenna Fiora Florian Freya Gideon Greta Hadley
Halvard Harriet Hazel Hugo Idris Ilse Imogen Inès Ingrid Iris Isolde Ivo Jasper Juno Kaito Kasimir
Keira Kenji Kit Lachlan Laila Leander Leif Lena Leonie Linus Lior Lorcan Lucian Luna Lysander
Mabel Maeve Magnus Malin Marek Margo Mateo Milo Mira Nadia Nell Nico Nils Noor Octavia Odile Olek
Oona Orin Otto Pax Penelope Perrin Petra Pim Quentin Rafe Ravi Remy Rhea Rosalind Rowan Ruth Sabine
Saoirse Selim Seren Silas Simone Søren Stellan Sunniva Tamsin Teodor Thea Theo Tobias Tove Ulla
Valentin Vera Viggo Willa Wren Xavier Yara Yusuf Zara Zoë Ambrosia Bastian Corin Dagny Emrys
""".split()
SURNAME_STARTS = """
Ash Black Bright Carr Dun Fair Gold Hale Hart Iver Kings Lang Mor North Pen Quill Raven Sil Thorn
Vale Wex Wynd Yar Ald Bel Crane Drake Elm Fern Glen Holm Inger Lark Marsh Oak Pike Rook Stark Tal
""".split()
SURNAME_ENDS = """
ford wood ley ton well croft more by stone field son worth hart wick bourne ridge mere dale holt
vane shaw lock brook wyn ing
""".split()
SYLLABLES = """
ka el ri an tha mor vi sen lu ra de ix ae zo ny qua bel dri fen gal hes il jor kel mi ne or pa
""".split()
MEDIA = ["(TV)", "(Anime)", "(Video Game)", "(Movies)", "(Comics)", "(Webcomic)", "(Cartoon)", "(Podcast)",
         "(Manga)", "(Audio Drama)", "", "", "", "-"]
PLACES = """
Avalor Brightwater Caldera Dunmore Eastmarch Fallowmere Greywater Hollowmere Ironvale Jadeport
Kestrel Lowmoor Mirewood Northhold Oakhaven Palewick Quarrystone Redhollow Saltmarsh Thornfield
Umberlee Veldt Westerly Yarrow Zephyr Ashgrove Blackmere Coldharbor Duskfall Emberlyn
""".split()
FANDOM_SUFFIXES = "fall bound light born ward song fire heart gate keep".split()
FREEFORMS = [
    "Fluff", "Angst", "Hurt/Comfort", "Alternate Universe", "Alternate Universe - Canon Divergence",
    "Alternate Universe - Modern Setting", "Alternate Universe - Coffee Shops & Cafés", "Romance", "Friendship",
    "Humor", "Slow Burn", "Established Relationship", "Family", "Drama", "Fluff and Angst", "Happy Ending",
    "Love Confessions", "Kissing", "First Kiss", "Mutual Pining", "Pining", "Enemies to Lovers",
    "Friends to Lovers", "Found Family", "Canon Compliant", "Post-Canon", "Pre-Canon", "Missing Scene",
    "Character Study", "Introspection", "Whump", "Hurt No Comfort", "Protective", "Emotional Hurt/Comfort",
    "Minor Character Death", "Sad with a Happy Ending", "Domestic Fluff", "Soulmates", "Time Travel", "Fix-It",
    "Crack", "Crack Treated Seriously", "Drabble", "One Shot", "Tags May Change", "Not Beta Read", "Light Angst",
    "Angst with a Happy Ending", "Eventual Romance", "Getting Together", "Secret Relationship",
    "Fake/Pseudo Relationship", "Bed Sharing", "Cuddling & Snuggling", "Hand Holding", "Nightmares",
    "Panic Attacks", "Anxiety", "Grief/Mourning", "Trauma", "Recovery", "Comfort", "Sickfic", "Injury",
    "Blood and Injury", "Violence", "Character Death", "Dark", "Magic", "Adventure", "Mystery",
    "Action/Adventure", "Horror", "Suspense", "Science Fiction", "Fantasy", "Worldbuilding", "Politics", "War",
    "Family Feels", "Sibling Bonding", "Parent-Child Relationship", "Childhood Friends", "Roommates",
    "College/University", "High School", "Christmas", "Halloween", "Birthday", "Holidays", "Valentine's Day",
    "Road Trips", "Cooking", "Baking", "Music", "Dancing", "Letters", "Texting", "Fluff without Plot",
    "Idiots in Love", "Jealousy", "Misunderstandings", "Communication Issues", "Banter", "Flirting",
    "Dialogue Heavy", "Poetry", "Epistolary", "Songfic", "Alternate Universe - Fantasy",
    "Alternate Universe - Soulmates", "Alternate Universe - Royalty", "Alternate Universe - Magic",
    "Reincarnation", "Immortality", "Vampires", "Werewolves", "Dragons", "Ghosts", "Witches", "Pirates",
    "Space", "Aliens", "Robots", "Superpowers", "Wordcount: 100-1.000", "Drabble Collection",
    "Prompt Fill", "Gift Fic", "Rare Pairings", "Canon-Typical Violence", "Spoilers", "Slice of Life",
]
WORK_NOTES = [
    "Thank you to my beta, who is patient with my commas.", "Written for a prompt exchange.",
    "This got away from me a little.", "Title from a song I had on repeat.",
    "Comments and kudos make my day!", "Unbeta'd, all mistakes are mine.",
    "Updates every other week, give or take.", "For a friend who asked for exactly this.",
    "I haven't written in years, please be gentle.", "Set a few months after the finale.",
]
COMMENTS = [
    "This was so lovely!", "I loved the part with the {n}.", "Oh, {a}!", "I can't wait for the next chapter.",
    "This made me cry on the bus.", "Kudos aren't enough for this.", "Your writing is beautiful.",
    "The ending! I need a minute.", "I reread this every year.", "Please tell me there's more.",
    "{a} deserves the world.", "I laughed so hard at the {n}.", "Wow.", "This is my favourite fic in the fandom.",
    "The way you write {a} is perfect.", "I was not ready for that.", "Screaming, crying, refreshing.",
    "Such a cozy read.", "That last line!", "Every chapter is better than the last.",
]
AUTHOR_REPLIES = [
    "Thank you so much for reading!", "Thank you! That scene was my favourite to write.",
    "More soon, I promise.", "Aaah, thank you!", "I'm so glad you liked it.", "Your comments keep me going.",
]
READER_REPLIES = ["Same!", "Right? I screamed.", "Agreed, this is wonderful.", "Exactly what I was thinking."]
# fmt: on

# Rates that give the archive its shape; tuned by eye against what real archives show.
RATINGS = [
    (Rating.GENERAL, 26),
    (Rating.TEEN, 28),
    (Rating.MATURE, 13),
    (Rating.EXPLICIT, 19),
    (Rating.NOT_RATED, 14),
]
OTHER_LANGUAGES = [code for code, _ in LANGUAGES if code != "en"]
ENGLISH_SHARE = 0.88
DRAFT_SHARE = 0.03
CO_AUTHORED_SHARE = 0.02
CANONICAL_SHARE = 0.7
SYNONYM_USE = 0.3  # of a wrangled tag's uses, how many type a synonym instead
CHARACTER_COUNTS = [18, 22, 20, 14, 10, 7, 5, 4]  # weights for 1..8 characters on a work
SHIP_COUNTS = [30, 45, 15, 7, 3]  # weights for 0..4 relationships on a work
MAIN_UNMARKED_SHARE = 0.15  # works whose author marks no main character (all then count as main)
MAIN_CHARACTER_COUNTS = [50, 35, 10, 5]  # weights for 1..4 main characters, of those who mark them
FANDOM_COUNTS = [88, 10, 2]  # weights for 1..3 fandoms: 2+ makes a crossover
MAX_CHAPTERS = 60


_IRREGULAR = {"wolf": "wolves", "thief": "thieves", "knife": "knives", "mouse": "mice", "deer": "deer"}


def plural(noun: str) -> str:
    lowered = noun.lower()
    if lowered in _IRREGULAR:
        word = _IRREGULAR[lowered]
        return word.capitalize() if noun[0].isupper() else word
    if lowered.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if lowered.endswith("y") and lowered[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


class Zipf:
    """Picks an index in range(n), low ranks most often: weight 1 / (rank + offset) ** exponent."""

    def __init__(self, n: int, exponent: float = 1.0, offset: float = 1.0):
        self.cum = list(itertools.accumulate((rank + offset) ** -exponent for rank in range(n)))
        self.last = n - 1

    def pick(self, rng: random.Random) -> int:
        return min(bisect_right(self.cum, rng.random() * self.cum[-1]), self.last)

    def distinct(self, rng: random.Random, k: int, tries: int = 4) -> list[int]:
        picked: dict[int, None] = {}
        for _ in range(k * tries):
            if len(picked) >= k:
                break
            picked[self.pick(rng)] = None
        return list(picked)


@dataclass
class Character:
    tag: int
    synonym: int | None
    name: str  # how summaries and comments call them


@dataclass
class Ship:
    tag: int
    synonym: int | None
    members: list[int]  # indexes into Catalog.characters


@dataclass
class Fandom:
    tag: int
    characters: list[int]  # indexes into Catalog.characters, most popular first
    character_zipf: Zipf
    ships: list[int]  # indexes into Catalog.ships, most popular first
    ship_zipf: Zipf | None


@dataclass
class Freeform:
    tag: int
    synonym: int | None


@dataclass
class Summary:
    works: int
    drafts: int
    chapters: int
    tags: int
    comments: int
    users: int
    seconds: float


class TagBook:
    """The new tags, with what filtering needs to know about each; names unique by every rule."""

    def __init__(self, first_id: int, taken_names: set[str], taken_keys: set[str], taken_slugs: set[str]):
        self.first_id = first_id
        self.names: list[str] = []
        self.kinds: list[str] = []
        self.keys: list[str] = []
        self.canonical: list[bool] = []
        self.merger: list[int | None] = []
        self.ship_kind: list[str] = []
        self.fandoms: list[list[int]] = []
        self.characters: list[list[int]] = []
        self.created: list[int] = []
        self.filter_id: list[int] = []
        self.derived: dict[int, list[int]] = {}  # a ship's filter id -> its characters' "in a ship" ids
        self._names = taken_names
        self._keys = taken_keys
        self._slugs = taken_slugs

    def __len__(self) -> int:
        return len(self.names)

    def add(
        self,
        name: str,
        kind: str,
        *,
        created: int,
        canonical: bool = False,
        merger: int | None = None,
        ship_kind: str = "",
        fandoms: Sequence[int] = (),
        characters: Sequence[int] = (),
    ) -> int | None:
        """The new tag's id, or None when the name is taken (by any kind, whatever its case)."""
        kind, ship_kind = TagKind(kind).value, ShipKind(ship_kind).value if ship_kind else ""
        key = match_key(name, relationship=kind == TagKind.RELATIONSHIP)
        lowered = name.lower()
        if len(name) > MAX_TAG_LENGTH or key in self._keys or lowered in self._names:
            return None
        self._keys.add(key)
        self._names.add(lowered)
        tag_id = self.first_id + len(self.names)
        self.names.append(name)
        self.kinds.append(kind)
        self.keys.append(key)
        self.canonical.append(canonical)
        self.merger.append(merger)
        self.ship_kind.append(ship_kind)
        self.fandoms.append(list(fandoms))
        self.characters.append(list(characters))
        self.created.append(created)
        self.filter_id.append(merger or tag_id)
        return tag_id

    def kind(self, tag_id: int) -> str:
        return self.kinds[tag_id - self.first_id]

    def fid(self, tag_id: int) -> int:
        return self.filter_id[tag_id - self.first_id]

    def name(self, tag_id: int) -> str:
        return self.names[tag_id - self.first_id]

    def index_ships(self) -> None:
        """Each canonical ship's role ids, by the rule index_works applies: from its characters."""
        for offset, kind in enumerate(self.kinds):
            if kind == TagKind.RELATIONSHIP and self.merger[offset] is None:
                members = [self.fid(character) for character in self.characters[offset]]
                self.derived[self.first_id + offset] = ship_roles(self.ship_kind[offset], members)

    def slug(self, tag_id: int) -> str:
        slug = f"t{tag_id}"
        while slug in self._slugs:  # only on a database that already has such a slug
            slug += "g"
        return slug


class Catalog:
    """Fandoms with their characters and relationships, and the additional tags, built up front."""

    def __init__(self, rng: random.Random, works: int, book: TagBook, progress: bool):
        self.rng = rng
        self.book = book
        self.characters: list[Character] = []
        self.ships: list[Ship] = []
        self.fandoms: list[Fandom] = []
        self.crossover_ships: dict[tuple[int, int], list[int]] = {}
        self.freeforms: list[Freeform] = []

        fandom_total = max(5, min(3000, round(works / 100)))
        characters_scale = 20 + works / 2000
        for rank in tqdm(range(fandom_total), desc="tags", unit="fandom", disable=not progress):
            self._fandom(rank, characters_scale)
        self.fandom_zipf = Zipf(len(self.fandoms), exponent=1.0, offset=3)
        self._crossover_ships(max(1, len(self.fandoms) // 2))
        self._freeforms(max(150, min(15000, works // 25)))
        self.freeform_zipf = Zipf(len(self.freeforms), exponent=1.0, offset=5)
        book.index_ships()

    def _when(self) -> int:
        return self.rng.randrange(START_TS, REFERENCE_TS)

    # Names

    def _title_words(self) -> str:
        rng = self.rng
        pattern = rng.randrange(6)
        if pattern == 0:
            return f"The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
        if pattern == 1:
            return f"{rng.choice(NOUNS)} of {rng.choice(PLACES)}"
        if pattern == 2:
            return f"{rng.choice(PLACES)} Chronicles"
        if pattern == 3:
            return f"{rng.choice(NOUNS)}{rng.choice(FANDOM_SUFFIXES)}"
        if pattern == 4:
            return f"{rng.choice(ADJECTIVES)} {plural(rng.choice(NOUNS))}"
        return f"{rng.choice(NOUNS)} and {rng.choice(NOUNS)}"

    def _person(self) -> tuple[str, str]:
        """A full name and what friends call them."""
        rng = self.rng
        if rng.random() < 0.12:
            name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
            return name, name
        first = rng.choice(FIRST_NAMES)
        return f"{first} {rng.choice(SURNAME_STARTS)}{rng.choice(SURNAME_ENDS)}", first

    def _fandom(self, rank: int, characters_scale: float) -> None:
        rng, book = self.rng, self.book
        tag = None
        while tag is None:
            base = self._title_words()
            media = rng.choice(MEDIA)
            if media == "-":
                name = f"{base} - {rng.choice(FIRST_NAMES)} {rng.choice(SURNAME_STARTS)}{rng.choice(SURNAME_ENDS)}"
            else:
                name = f"{base} {media}".strip()
            tag = book.add(name, TagKind.FANDOM, created=self._when(), canonical=True)

        size = 4 + int(characters_scale / (rank + 1) ** 0.6 * rng.uniform(0.6, 1.4))
        members = []
        for position in range(size):
            character = self._character(tag, base, popular=position < 5)
            if character is not None:
                members.append(character)
        popularity = Zipf(len(members))
        ships: list[int] = []
        if len(members) >= 2:
            # Pairs drawn by the characters' popularity, so favourites are in the most ships.
            for _ in range(max(1, int(len(members) * 0.8))):
                chosen = popularity.distinct(rng, 3 if rng.random() < 0.15 else 2)
                if len(chosen) >= 2:
                    ship = self._ship([members[index] for index in chosen], [tag])
                    if ship is not None:
                        ships.append(ship)
        self.fandoms.append(Fandom(tag, members, popularity, ships, Zipf(len(ships)) if ships else None))

    def _character(self, fandom: int, fandom_base: str, popular: bool) -> int | None:
        rng, book = self.rng, self.book
        for _ in range(20):
            full, short = self._person()
            canonical = rng.random() < CANONICAL_SHARE
            tag = book.add(full, TagKind.CHARACTER, created=self._when(), canonical=canonical, fandoms=[fandom])
            if tag is not None:
                break
        else:
            return None
        synonym = None
        if canonical and short != full and rng.random() < (0.1 if popular else 0.03):
            for variant in (short, f"{short} ({fandom_base})", f"{short} {full.split()[-1][0]}."):
                synonym = book.add(variant, TagKind.CHARACTER, created=self._when(), merger=tag, fandoms=[fandom])
                if synonym is not None:
                    break
        self.characters.append(Character(tag, synonym, short))
        return len(self.characters) - 1

    def _ship(self, members: list[int], fandoms: list[int]) -> int | None:
        rng, book = self.rng, self.book
        kind = ShipKind.ROMANTIC if rng.random() < 0.65 else ShipKind.PLATONIC
        joiner = "/" if kind == ShipKind.ROMANTIC else " & "
        characters = [self.characters[index] for index in members]
        name = joiner.join(book.name(character.tag) for character in characters)
        canonical = rng.random() < CANONICAL_SHARE
        tag = book.add(
            name,
            TagKind.RELATIONSHIP,
            created=self._when(),
            canonical=canonical,
            ship_kind=kind,
            fandoms=fandoms,
            characters=[character.tag for character in characters],
        )
        if tag is None:
            return None
        synonym = None
        if canonical and any(character.synonym for character in characters) and rng.random() < 0.5:
            # Typed with the characters' other names, e.g. first names only: the ship links them.
            tags = [character.synonym or character.tag for character in characters]
            synonym = book.add(
                joiner.join(book.name(tag_id) for tag_id in tags),
                TagKind.RELATIONSHIP,
                created=self._when(),
                merger=tag,
                ship_kind=kind,
                fandoms=fandoms,
                characters=tags,
            )
        self.ships.append(Ship(tag, synonym, members))
        return len(self.ships) - 1

    def _crossover_ships(self, total: int) -> None:
        rng = self.rng
        for _ in range(total):
            pair = sorted(self.fandom_zipf.distinct(rng, 2))
            if len(pair) < 2:
                continue
            first, second = pair
            one, other = self.fandoms[first], self.fandoms[second]
            if not one.characters or not other.characters:
                continue
            members = [
                one.characters[one.character_zipf.pick(rng)],
                other.characters[other.character_zipf.pick(rng)],
            ]
            ship = self._ship(members, [one.tag, other.tag])
            if ship is not None:
                self.crossover_ships.setdefault((first, second), []).append(ship)

    def _freeform_name(self) -> str:
        rng = self.rng
        pattern = rng.randrange(8)
        adjective, noun = rng.choice(ADJECTIVES), rng.choice(NOUNS)
        return [
            f"{adjective} {noun}",
            f"{adjective} {plural(noun)}",
            f"Alternate Universe - {plural(noun)}",
            f"{noun} Feels",
            f"Mentions of {plural(noun)}",
            f"Lots of {plural(noun)}",
            f"{plural(noun)} and {plural(rng.choice(NOUNS))}",
            f"Learning to {rng.choice(VERBS).lower()}",
        ][pattern]

    def _freeforms(self, total: int) -> None:
        rng, book = self.rng, self.book
        head = iter(FREEFORMS)  # the familiar tags are the popular ones; generated ones make the tail
        misses = 0
        while len(self.freeforms) < total and misses < 10 * total:  # the small name patterns fill up
            rank = len(self.freeforms)
            canonical = rng.random() < (0.9 if rank < total // 5 else 0.4)
            name = next(head, None) or self._freeform_name()
            tag = book.add(name, TagKind.FREEFORM, created=self._when(), canonical=canonical)
            if tag is None:
                misses += 1
                continue
            synonym = None
            if canonical and rng.random() < 0.04:
                name = book.name(tag)
                variant = name.replace(" ", "").lower() if " " in name else f"so much {name.lower()}"
                synonym = book.add(variant, TagKind.FREEFORM, created=self._when(), merger=tag)
            self.freeforms.append(Freeform(tag, synonym))


class Prose:
    """Pools of generated sentences: cheap to draw from, varied enough to read as text."""

    def __init__(self, rng: random.Random, body_words: int):
        self.rng = rng
        self.body_words = body_words
        self.paragraphs = [self._paragraph() for _ in range(1500)]

    def sentence(self) -> str:
        rng = self.rng
        pattern = rng.randrange(8)
        subject = rng.choice(SUBJECTS)
        if pattern == 0:
            return (
                f"{subject} {rng.choice(PAST)} the {rng.choice(ADJECTIVES).lower()} {rng.choice(NOUNS).lower()} "
                f"{rng.choice(PREPOSITIONS)} the {rng.choice(NOUNS).lower()}."
            )
        if pattern == 1:
            return (
                f"It was {rng.choice(ADJECTIVES).lower()} in the {rng.choice(NOUNS).lower()}, and "
                f"{subject[0].lower() + subject[1:]} {rng.choice(INTRANSITIVE)} {rng.choice(ADVERBS)}."
            )
        if pattern == 2:
            return f"\u201c{rng.choice(SPEECH)},\u201d {subject[0].lower() + subject[1:]} said."
        if pattern == 3:
            return f"For a long moment {subject[0].lower() + subject[1:]} {rng.choice(INTRANSITIVE)}."
        if pattern == 4:
            return (
                f"The {rng.choice(NOUNS).lower()} smelled of {rng.choice(NOUNS).lower()} and "
                f"{rng.choice(NOUNS).lower()}."
            )
        if pattern == 5:
            return (
                f"{subject} {rng.choice(INTRANSITIVE)} {rng.choice(ADVERBS)}, as if the "
                f"{rng.choice(NOUNS).lower()} might {rng.choice(VERBS).lower()} them at any moment."
            )
        if pattern == 6:
            return f"Outside, the {rng.choice(NOUNS).lower()} {rng.choice(INTRANSITIVE)}."
        return f"{subject} thought about the {rng.choice(NOUNS).lower()} for the rest of the {rng.choice(TIMES)}."

    def _paragraph(self) -> tuple[str, int]:
        text = " ".join(self.sentence() for _ in range(self.rng.randint(2, 6)))
        return f"<p>{text}</p>", len(text.split())

    def body(self) -> str:
        parts, words = [], 0
        while words < self.body_words:
            text, count = self.paragraphs[self.rng.randrange(len(self.paragraphs))]
            parts.append(text)
            words += count
        return "".join(parts)

    def title(self) -> str:
        rng = self.rng
        adjective, noun = rng.choice(ADJECTIVES), rng.choice(NOUNS)
        title = [
            f"The {adjective} {noun}",
            f"{noun} and {rng.choice(NOUNS)}",
            f"A {noun} of {plural(rng.choice(NOUNS))}",
            f"What the {noun} Knew",
            f"{adjective} Things",
            f"Under the {adjective} {noun}",
            noun,
            f"Everything {adjective}",
            f"The {noun} Who {rng.choice(PAST).capitalize()}",
            f"Where the {plural(noun)} Are",
            f"All the {adjective} {plural(noun)}",
            f"If the {noun} Falls",
            f"Small {plural(noun)}",
            f"Seven {plural(noun)}",
            f"How to {rng.choice(VERBS)} a {noun}",
            f"{noun} (and Other Disasters)",
        ][rng.randrange(16)]
        return title.lower() if rng.random() < 0.05 else title

    def summary(self, names: list[str]) -> str:
        rng = self.rng
        a = names[0] if names else "Nobody"
        b = names[1] if len(names) > 1 else "everyone else"
        templates = [
            "{a} has exactly one {n} left and no plan for it.",
            "When the {n} breaks, {a} and {b} have to {v} the {m} together.",
            "{a} never meant to {v} the {n}.",
            "A story about {ns}, {ms} and {a}.",
            "Or: the one where {a} learns to {v}.",
            "{a} and {b}, and the long {t} of the {j} {n}.",
            "Set after the {j} {n}.",
            "{a} is fine. Really.",
            "Somewhere between the {n} and the {m}, {a} finds a reason to stay.",
            "Five times {b} noticed, and one time {a} said it out loud.",
        ]
        sentences = [
            rng.choice(templates).format(
                a=a,
                b=b,
                n=rng.choice(NOUNS).lower(),
                m=rng.choice(NOUNS).lower(),
                v=rng.choice(VERBS).lower(),
                t=rng.choice(TIMES),
                j=rng.choice(ADJECTIVES).lower(),
                ns=plural(rng.choice(NOUNS).lower()),
                ms=plural(rng.choice(NOUNS).lower()),
            )
            for _ in range(rng.choice((1, 1, 2, 2, 3)))
        ]
        return f"<p>{' '.join(sentences)}</p>"

    def comment(self, names: list[str]) -> str:
        rng = self.rng
        a = names[0] if names else "everyone"
        return " ".join(
            rng.choice(COMMENTS).format(a=a, n=rng.choice(NOUNS).lower()) for _ in range(rng.choice((1, 1, 2, 3)))
        )


def _before_reference(rng: random.Random, start: int, delay: int) -> int:
    """`start + delay`, or if that is past the reference date, somewhere between the two."""
    if start + delay <= REFERENCE_TS:
        return start + delay
    return start + int((REFERENCE_TS - start) * rng.random())


def _dt(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


class Sink:
    """Rows for one table, written in batches: by COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, table: str, columns: list[str], *, datetimes=(), id_arrays=()):
        self.table = table
        self.columns = columns
        self.rows: list[tuple] = []
        self.written = 0
        self.postgres = connection.vendor == "postgresql"
        # SQLite takes datetimes and id lists as text, the way Django's fields would store them.
        self._datetimes = [index for index, name in enumerate(columns) if name in datetimes]
        self._arrays = [columns.index(name) for name in id_arrays]

    def add(self, row: tuple) -> None:
        self.rows.append(row)

    def flush(self) -> None:
        if not self.rows:
            return
        quoted = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        if self.postgres:
            with connection.cursor() as cursor, cursor.connection.cursor() as raw:
                with raw.copy(f"COPY {self.table} ({quoted}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
        else:
            rows = [self._for_sqlite(row) for row in self.rows]
            placeholders = ", ".join(["%s"] * len(self.columns))
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {self.table} ({quoted}) VALUES ({placeholders})", rows)  # noqa: S608
        self.written += len(self.rows)
        self.rows = []

    def _for_sqlite(self, row: tuple) -> tuple:
        row = list(row)
        for index in self._datetimes:
            if row[index] is not None:
                row[index] = connection.ops.adapt_datetimefield_value(row[index])
        for index in self._arrays:
            row[index] = json.dumps(row[index])
        return tuple(row)


# The columns each table gets, in the order the rows below list them.
STORY_COLUMNS = """id title summary notes end_notes rating warnings categories language expected_chapters word_count
chapter_count comment_count kudos_count filter_ids role_ids main_ids relationship_count fandom_count published_at
updated_at created_at
edited_at""".split()
CHAPTER_COLUMNS = """id story_id position title notes end_notes body word_count published_at created_at
edited_at""".split()
COMMENT_COLUMNS = """id chapter_id story_id user_id parent_id thread_id depth body created_at edited_at guest_name
guest_email approved frozen""".split()
TAG_COLUMNS = "id name slug kind match_key canonical merger_id ship_kind use_count created_at".split()
USER_COLUMNS = """id password last_login is_superuser username first_name last_name email is_staff is_active
date_joined""".split()
TIMESTAMPS = {"published_at", "updated_at", "created_at", "edited_at", "last_login", "date_joined"}

TABLES = [
    "accounts_user",
    "tags_tag",
    "tags_tag_fandoms",
    "tags_tag_characters",
    "stories_story",
    "stories_story_authors",
    "stories_storytag",
    "chapters_chapter",
    "comments_comment",
]


def _max_ids() -> dict[str, int]:
    with connection.cursor() as cursor:
        found = {}
        for table in TABLES:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - a constant name
            found[table] = cursor.fetchone()[0]
    return found


def _taken() -> tuple[set[str], set[str], set[str], set[str]]:
    """Names already in use: tags (lowercased names, match keys, slugs) and users."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, match_key, slug FROM tags_tag")
        rows = cursor.fetchall()
        cursor.execute("SELECT username, email FROM accounts_user")
        users = cursor.fetchall()
    names = {name.lower() for name, _, _ in rows}
    keys = {key for _, key, _ in rows}
    slugs = {slug for _, _, slug in rows}
    people = {username.lower() for username, _ in users} | {email.lower() for _, email in users}
    return names, keys, slugs, people


class ArchiveGenerator:
    def __init__(self, *, works: int, seed: int, body_words: int, progress: bool = True):
        self.works = works
        self.seed = seed
        self.body_words = body_words
        self.progress = progress
        # Test data, not secrets: a seeded generator is the point.
        self.rng = random.Random(seed)  # noqa: S311
        # Each part draws from its own stream so that, say, a longer body leaves the tags alone.
        self.tag_rng = random.Random(self.rng.getrandbits(64))  # noqa: S311
        self.work_rng = random.Random(self.rng.getrandbits(64))  # noqa: S311
        self.text_rng = random.Random(self.rng.getrandbits(64))  # noqa: S311
        self.user_rng = random.Random(self.rng.getrandbits(64))  # noqa: S311
        # Drawn last and apart, so marking main characters leaves every other draw as it was.
        self.main_rng = random.Random(self.rng.getrandbits(64))  # noqa: S311

    def run(self) -> Summary:
        started = time.monotonic()
        with transaction.atomic():
            summary = self._generate()
            self._reset_sequences()
            # Counts and use counts by the functions the services use, from the rows just written.
            self._step("counts", lambda: (refresh_story_counts(None), refresh_tag_use_counts()))
            # Statistics first: planned blind, the search index's subqueries scan whole tables.
            self._step("analyze", self._analyze)
            self._step("search index", lambda: refresh_search_index(None))
        # After the commit: the search index rewrote every story row, so reclaim and re-plan.
        # (Not inside a caller's transaction, such as a test's: VACUUM can't run there.)
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        self._step("vacuum", lambda: self._analyze(vacuum=vacuum))
        summary.seconds = round(time.monotonic() - started, 1)
        return summary

    def _step(self, label: str, action) -> None:
        with tqdm(total=1, desc=label, disable=not self.progress) as bar:
            action()
            bar.update()

    # The whole archive

    def _generate(self) -> Summary:
        ids = _max_ids()
        names, keys, slugs, people = _taken()
        self.book = TagBook(ids["tags_tag"] + 1, names, keys, slugs)
        self.catalog = Catalog(self.tag_rng, self.works, self.book, self.progress)
        self.prose = Prose(self.text_rng, self.body_words)
        self.user_total = max(2, self.works // 5)
        self.first_user = ids["accounts_user"] + 1
        self.user_first_seen = [REFERENCE_TS] * self.user_total
        rng = self.user_rng
        # Who writes and who comments: both long tails, not the same people in the same order.
        self.author_order = rng.sample(range(self.user_total), self.user_total)
        self.commenter_order = rng.sample(range(self.user_total), self.user_total)
        self.user_zipf = Zipf(self.user_total, exponent=0.9, offset=20)
        self.next_ids = {table: found + 1 for table, found in ids.items()}

        self.stories = Sink(
            "stories_story", STORY_COLUMNS, datetimes=TIMESTAMPS, id_arrays=["filter_ids", "role_ids", "main_ids"]
        )
        self.authors = Sink("stories_story_authors", ["id", "story_id", "user_id"])
        self.story_tags = Sink("stories_storytag", ["id", "content_object_id", "tag_id", "main"])
        self.chapters = Sink("chapters_chapter", CHAPTER_COLUMNS, datetimes=TIMESTAMPS)
        self.comments = Sink("comments_comment", COMMENT_COLUMNS, datetimes=TIMESTAMPS)
        batch = [self.stories, self.authors, self.story_tags, self.chapters, self.comments]
        drafts = 0
        with tqdm(total=self.works, desc="works", unit="work", disable=not self.progress) as bar:
            for number in range(self.works):
                drafts += self._work()
                if (number + 1) % BATCH_WORKS == 0:
                    for sink in batch:
                        sink.flush()
                    bar.update(BATCH_WORKS)
            for sink in batch:
                sink.flush()
            bar.update(self.works % BATCH_WORKS)
        self._write_tags()
        self._write_users(people)
        return Summary(
            works=self.works,
            drafts=drafts,
            chapters=self.chapters.written,
            tags=len(self.book),
            comments=self.comments.written,
            users=self.user_total,
            seconds=0.0,
        )

    def _next(self, table: str) -> int:
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    def _user(self, order: list[int]) -> int:
        return order[self.user_zipf.pick(self.work_rng)]

    def _seen(self, user: int, ts: int) -> None:
        if ts < self.user_first_seen[user]:
            self.user_first_seen[user] = ts

    # One work

    def _work(self) -> bool:
        rng, book, prose = self.work_rng, self.book, self.prose
        story_id = self._next("stories_story")
        draft = rng.random() < DRAFT_SHARE
        tag_ids, names, ship_count = self._tags()
        mains = self._mains(tag_ids, ship_count)
        index = self._index(tag_ids, mains)

        chapter_total = self._chapter_total()
        in_progress = rng.random() < (0.12 if chapter_total == 1 else 0.5)
        unposted_tail = 1 if in_progress and rng.random() < 0.1 else 0
        if in_progress:
            expected = None if rng.random() < 0.4 else chapter_total + unposted_tail + rng.randint(1, chapter_total + 1)
        else:
            expected = chapter_total
        # Archive activity grows over the years: more works are recent.
        published = START_TS + int((REFERENCE_TS - START_TS - DAY) * rng.random() ** 0.55)
        times = self._chapter_times(published, chapter_total)
        words = [self._chapter_words(chapter_total) for _ in range(chapter_total + unposted_tail)]

        authors = [self._user(self.author_order)]
        if rng.random() < CO_AUTHORED_SHARE:
            other = self._user(self.author_order)
            if other != authors[0]:
                authors.append(other)
        for author in authors:
            self._seen(author, published)
            self.authors.add((self._next("stories_story_authors"), story_id, self.first_user + author))
        for tag_id in tag_ids:
            self.story_tags.add((self._next("stories_storytag"), story_id, tag_id, tag_id in mains))
        if not draft:
            for tag_id in tag_ids:
                offset = tag_id - book.first_id
                if published < book.created[offset]:
                    book.created[offset] = published

        chapter_ids = []
        titled = chapter_total > 1 and rng.random() < 0.3
        for position in range(1, chapter_total + unposted_tail + 1):
            posted_at = None if draft or position > chapter_total else times[position - 1]
            created = times[position - 1] if position <= chapter_total else min(REFERENCE_TS, times[-1] + DAY)
            chapter_id = self._next("chapters_chapter")
            chapter_ids.append(chapter_id)
            self.chapters.add(
                (
                    chapter_id,
                    story_id,
                    position,
                    prose.title() if titled else "",
                    self._note(0.08),
                    self._note(0.08),
                    prose.body(),
                    words[position - 1],
                    _dt(posted_at) if posted_at is not None else None,
                    _dt(created),
                    _dt(created),
                )
            )

        edited = created  # the last chapter's
        if not draft:
            self._comments(story_id, chapter_ids[:chapter_total], times, authors, names)
        updated = times[-1]
        self.stories.add(
            (
                story_id,
                prose.title(),
                prose.summary(names),
                self._note(0.25),
                self._note(0.2),
                (rating := self._rating()),
                (warnings := self._warnings()),
                self._categories(names),
                self._language(),
                expected,
                # Counts: set from the rows by `refresh_story_counts`, as the services set them.
                0,
                0,
                0,
                0,
                story_filter_ids(index, rating=rating, warnings=warnings, restricted=False),
                index.role_ids,
                index.main_ids,
                index.relationship_count,
                index.fandom_count,
                None if draft else _dt(published),
                None if draft else _dt(updated),
                _dt(published),
                _dt(edited),
            )
        )
        return draft

    def _tags(self) -> tuple[list[int], list[str], int]:
        """The raw tag ids typed on a work, in the order the services store them, names to write
        about, and how many of the ids are relationships (typed after the characters)."""
        rng, catalog = self.work_rng, self.catalog
        fandoms = catalog.fandom_zipf.distinct(rng, rng.choices((1, 2, 3), FANDOM_COUNTS)[0])
        character_total = rng.choices(range(1, 9), CHARACTER_COUNTS)[0]
        ship_total = rng.choices(range(5), SHIP_COUNTS)[0]

        ships: dict[int, None] = {}
        crossover = catalog.crossover_ships.get(tuple(sorted(fandoms[:2]))) if len(fandoms) > 1 else None
        for _ in range(ship_total):
            if crossover and rng.random() < 0.3:
                ships[rng.choice(crossover)] = None
                continue
            fandom = catalog.fandoms[fandoms[0] if rng.random() < 0.7 else rng.choice(fandoms)]
            if fandom.ship_zipf is not None:
                ships[fandom.ships[fandom.ship_zipf.pick(rng)]] = None
        characters: dict[int, None] = {}
        for ship in ships:
            characters.update(dict.fromkeys(catalog.ships[ship].members))
        for _ in range(character_total * 3):
            if len(characters) >= character_total:
                break
            fandom = catalog.fandoms[fandoms[0] if rng.random() < 0.7 else rng.choice(fandoms)]
            if fandom.characters:
                characters[fandom.characters[fandom.character_zipf.pick(rng)]] = None
        characters_on_work = list(characters)[:8]
        freeform_total = min(15, int(rng.lognormvariate(1.3, 0.8)))
        freeforms = catalog.freeform_zipf.distinct(rng, freeform_total)

        def typed(canonical: int, synonym: int | None) -> int:
            return synonym if synonym is not None and rng.random() < SYNONYM_USE else canonical

        tag_ids = [catalog.fandoms[index].tag for index in fandoms]
        tag_ids += [
            typed(catalog.characters[index].tag, catalog.characters[index].synonym) for index in characters_on_work
        ]
        tag_ids += [typed(catalog.ships[index].tag, catalog.ships[index].synonym) for index in ships]
        tag_ids += [typed(catalog.freeforms[index].tag, catalog.freeforms[index].synonym) for index in freeforms]
        names = [catalog.characters[index].name for index in characters_on_work]
        return tag_ids, names, len(ships)

    def _mains(self, tag_ids: list[int], ship_count: int) -> set[int]:
        """The tags a work's author marks main: most mark one or two characters (the first typed,
        the main ship's pair among them) and their first relationship; some mark nothing."""
        rng, book = self.main_rng, self.book
        if rng.random() < MAIN_UNMARKED_SHARE:
            return set()
        characters = [tag_id for tag_id in tag_ids if book.kind(tag_id) == TagKind.CHARACTER]
        ships = [tag_id for tag_id in tag_ids if book.kind(tag_id) == TagKind.RELATIONSHIP][:ship_count]
        mains = set(characters[: rng.choices((1, 2, 3, 4), MAIN_CHARACTER_COUNTS)[0]])
        if ships and rng.random() < 0.8:
            mains.add(ships[0])
        return mains

    def _index(self, tag_ids: list[int], mains: set[int]) -> WorkIndex:
        """Filter ids, role ids, main ids and counts, by the one rule (`index_work`) over what the book holds."""
        book = self.book
        own = {book.fid(tag_id) for tag_id in tag_ids}
        marked = {book.fid(tag_id) for tag_id in mains}
        return index_work(own, {tag_id: book.kind(tag_id) for tag_id in own}, book.derived, marked)

    def _chapter_total(self) -> int:
        rng = self.work_rng
        if rng.random() < 0.55:
            return 1
        # A geometric-ish tail: many two- to five-chapter works, a few epics.
        return min(MAX_CHAPTERS, 2 + int(rng.expovariate(1 / rng.choice((1, 2, 3, 6, 12)))))

    def _chapter_times(self, published: int, total: int) -> list[int]:
        rng = self.work_rng
        cadence = rng.lognormvariate(math.log(10 * DAY), 0.9)
        offsets = [0]
        for _ in range(total - 1):
            offsets.append(offsets[-1] + int(rng.expovariate(1 / cadence)) + 3600)
        room = REFERENCE_TS - published
        if offsets[-1] > room:
            # Squeeze the chapters in before the reference date, ending somewhere short of it.
            room = int(room * rng.uniform(0.5, 1.0))
            offsets = [offset * room // offsets[-1] for offset in offsets]
        return [published + offset for offset in offsets]

    def _chapter_words(self, total: int) -> int:
        median = 3500 if total == 1 else 2500
        return max(500, min(10000, int(self.work_rng.lognormvariate(math.log(median), 0.75))))

    def _note(self, share: float) -> str:
        rng = self.work_rng
        return f"<p>{rng.choice(WORK_NOTES)}</p>" if rng.random() < share else ""

    def _rating(self) -> str:
        return self.work_rng.choices([rating.value for rating, _ in RATINGS], [weight for _, weight in RATINGS])[0]

    def _warnings(self) -> int:
        rng = self.work_rng
        roll = rng.random()
        if roll < 0.45:
            return Warning.NONE_APPLY.value
        if roll < 0.75:
            return Warning.CHOSE_NOT_TO_USE.value
        flags = 0
        for warning, share in (
            (Warning.VIOLENCE, 0.7),
            (Warning.MAJOR_CHARACTER_DEATH, 0.35),
            (Warning.NONCON, 0.1),
            (Warning.UNDERAGE, 0.06),
        ):
            if rng.random() < share:
                flags |= warning
        return int(flags or Warning.VIOLENCE)

    def _categories(self, names: list[str]) -> int:
        rng = self.work_rng
        roll = rng.random()
        if roll < 0.05:
            return 0
        pool = [Category.MM, Category.FM, Category.FF, Category.GEN, Category.OTHER]
        weights = [30, 25, 12, 28 if len(names) < 3 else 18, 5]
        flags = 0
        for category in rng.choices(pool, weights, k=1 if roll < 0.85 else 2):
            flags |= category
        if roll >= 0.97:
            flags |= Category.MULTI
        return int(flags)

    def _language(self) -> str:
        rng = self.work_rng
        return "en" if rng.random() < ENGLISH_SHARE else rng.choice(OTHER_LANGUAGES)

    def _comments(
        self, story_id: int, chapter_ids: list[int], times: list[int], authors: list[int], names: list[str]
    ) -> int:
        rng = self.work_rng
        chapters = len(chapter_ids)
        if rng.random() < 0.5 / math.sqrt(chapters) + 0.1:
            return 0
        total = min(1000, 1 + int(rng.lognormvariate(0.8 + 0.35 * math.log(chapters), 1.2)))
        # chapter index -> (comment id, created, thread id, depth)
        by_chapter: dict[int, list[tuple[int, int, int | None, int]]] = {}
        for _ in range(total):
            index = rng.randrange(chapters)
            earlier = by_chapter.setdefault(index, [])
            comment_id = self._next("comments_comment")
            if earlier and rng.random() < 0.3:
                parent_id, parent_at, parent_thread, parent_depth = rng.choice(earlier)
                thread_id, depth = parent_thread or parent_id, parent_depth + 1
                created = _before_reference(rng, parent_at, int(rng.expovariate(1 / DAY)) + 60)
                if rng.random() < 0.5:
                    user, body = rng.choice(authors), rng.choice(AUTHOR_REPLIES)
                else:
                    user, body = self._user(self.commenter_order), rng.choice(READER_REPLIES)
            else:
                parent_id, thread_id, depth = None, None, 0
                delay = rng.expovariate(1 / (2 * DAY)) * (1 if rng.random() < 0.8 else 30)
                created = _before_reference(rng, times[index], int(delay) + 60)
                user, body = self._user(self.commenter_order), self.prose.comment(names)
            self._seen(user, created)
            edited = _dt(min(REFERENCE_TS, created + 600)) if rng.random() < 0.03 else None
            earlier.append((comment_id, created, thread_id, depth))
            self.comments.add(
                (
                    comment_id,
                    chapter_ids[index],
                    story_id,
                    self.first_user + user,
                    parent_id,
                    thread_id,
                    depth,
                    body,
                    _dt(created),
                    edited,
                    "",
                    "",
                    True,
                    False,
                )
            )
        return total

    # Tags and users, once the works have been counted

    def _write_tags(self) -> None:
        book = self.book
        tags = Sink("tags_tag", TAG_COLUMNS, datetimes=TIMESTAMPS)
        fandoms = Sink("tags_tag_fandoms", ["id", "from_tag_id", "to_tag_id"])
        characters = Sink("tags_tag_characters", ["id", "from_tag_id", "to_tag_id"])
        for offset in tqdm(range(len(book)), desc="tag rows", unit="tag", disable=not self.progress):
            tag_id = book.first_id + offset
            tags.add(
                (
                    tag_id,
                    book.names[offset],
                    book.slug(tag_id),
                    book.kinds[offset],
                    book.keys[offset],
                    book.canonical[offset],
                    book.merger[offset],
                    book.ship_kind[offset],
                    0,  # use_count: set from the works by `refresh_tag_use_counts`
                    _dt(book.created[offset]),
                )
            )
            for fandom in book.fandoms[offset]:
                fandoms.add((self._next("tags_tag_fandoms"), tag_id, fandom))
            for character in book.characters[offset]:
                characters.add((self._next("tags_tag_characters"), tag_id, character))
        for sink in (tags, fandoms, characters):
            sink.flush()

    def _write_users(self, taken: set[str]) -> None:
        rng = self.user_rng
        users = Sink("accounts_user", USER_COLUMNS, datetimes=TIMESTAMPS)
        alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        for index in tqdm(range(self.user_total), desc="users", unit="user", disable=not self.progress):
            username = f"{rng.choice(ADJECTIVES)}{rng.choice(NOUNS)}".lower()
            if rng.random() < 0.5:
                username += str(rng.randrange(1, 9999))
            while username in taken or f"{username}@example.org" in taken:
                username += str(rng.randrange(10))
            taken.add(username)
            email = f"{username}@example.org"
            taken.add(email)
            first_seen = self.user_first_seen[index]
            if first_seen == REFERENCE_TS:  # a reader who never posted or commented
                joined = rng.randrange(START_TS, REFERENCE_TS)
            else:
                joined = max(START_TS - 365 * DAY, first_seen - int(rng.expovariate(1 / (60 * DAY))))
            # "!" starts an unusable password: these accounts can't log in.
            password = "!" + "".join(rng.choices(alphabet, k=40))
            users.add(
                (
                    self.first_user + index,
                    password,
                    None,
                    False,
                    username,
                    "",
                    "",
                    email,
                    False,
                    True,
                    _dt(joined),
                )
            )
        users.flush()

    # Afterwards

    def _reset_sequences(self) -> None:
        if connection.vendor != "postgresql":
            return  # SQLite's AUTOINCREMENT follows the largest id by itself
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608
                )

    def _analyze(self, vacuum: bool = False) -> None:
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"{'VACUUM ' if vacuum else ''}ANALYZE {table}")
