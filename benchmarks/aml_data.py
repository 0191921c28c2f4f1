"""Data for the AML benchmarks (benchmarks/aml.py): labelled name pairs, synthetic lists
and a database of monitored applicants.

Labelled pairs come from Faker's name and company data (MIT; the lists ship inside the
PyPI package) and its Japanese name pairs (kanji / kana / romanised); variants are made
by the tables and rules below: ICAO 9303 Cyrillic and ELOT 743 Greek transliteration,
common Latin spellings of Arabic names, typos, initials, word order, middle names,
legal forms. Nothing is downloaded.
"""

from __future__ import annotations

import random
import resource
from collections import defaultdict
from pathlib import Path
from typing import Any

from faker import Faker

Pair = tuple[str, str, str, int, str]  # name1, name2, schema, label (1 same), category


def words(text: str) -> list[str]:
    return text.split()


ICAO_CYRILLIC = dict(
    zip(
        "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯЄІЇҐ",
        words(
            "A B V G D E E ZH Z I I K L M N O P R S T U F KH TS CH SH SHCH IE Y _ E IU IA IE I I G"
        ),
        strict=True,
    )
)
ELOT_GREEK = dict(
    zip(
        "ΑΆΒΓΔΕΈΖΗΉΘΙΊΪΚΛΜΝΞΟΌΠΡΣΤΥΎΫΦΧΨΩΏ",
        words("A A V G D E E Z I I TH I I I K L M N X O O P R S T Y Y Y F CH PS O O"),
        strict=True,
    )
)
ARABIC_GIVEN = [
    ["Mohammed", "Muhammad", "Mohamed", "Mohammad"],
    ["Ahmed", "Ahmad"],
    ["Hussein", "Husain", "Hussain"],
    ["Hassan", "Hasan"],
    ["Yusuf", "Youssef", "Yousef"],
    ["Omar", "Umar"],
    ["Osama", "Usama"],
    ["Abdul Rahman", "Abdulrahman", "Abdelrahman"],
    ["Abdullah", "Abdallah", "Abdulla"],
    ["Khalid", "Khaled"],
    ["Mahmoud", "Mahmud"],
    ["Mustafa", "Mostafa", "Moustafa"],
    ["Ibrahim", "Ebrahim"],
    ["Karim", "Kareem"],
    ["Nasser", "Nasir", "Naser"],
    ["Faisal", "Faysal"],
    ["Suleiman", "Sulaiman", "Soliman"],
    ["Rashid", "Rasheed"],
    ["Walid", "Waleed"],
    ["Tariq", "Tarek", "Tareq"],
]
ARABIC_FAMILY = [
    ["Al-Masri", "Almasri", "El Masri"],
    ["Haddad", "Hadad"],
    ["Khoury", "Khouri"],
    ["Nasrallah", "Nasr Allah"],
    ["Qureshi", "Quraishi"],
    ["Al-Hashimi", "Alhashemi", "Al Hashemi"],
    ["Shalabi", "Chalabi"],
    ["Al-Amin", "Alamin", "El Amin"],
    ["Mansour", "Mansur"],
    ["Othman", "Osman", "Uthman"],
]
LEGAL_FORMS = {
    "GmbH": "Gesellschaft mit beschränkter Haftung",
    "AG": "Aktiengesellschaft",
    "Inc.": "Incorporated",
    "Ltd": "Limited",
    "LLC": "Limited Liability Company",
    "S.A.": "Société Anonyme",
    "SARL": "Société à responsabilité limitée",
    "S.p.A.": "Società per azioni",
    "Corp.": "Corporation",
    "PLC": "Public Limited Company",
}
BUSINESS = words("Logistik Bau Consulting Immobilien Trading Energy Foods Pharma Textil Medien")
LATIN = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "pl_PL", "tr_TR", "nl_NL", "pt_BR"]


def transliterate(name: str, table: dict[str, str]) -> str:
    if table is ELOT_GREEK:  # the digraph omicron-upsilon is "ou"
        for greek, latin in (
            ("\u03bf\u03c5", "ou"),
            ("\u039f\u03c5", "Ou"),
            ("\u039f\u03a5", "OU"),
        ):
            name = name.replace(greek, latin)
    out = []
    for ch in name:
        mapped = table.get(ch.upper())
        if mapped is None:
            out.append(ch)
        else:
            mapped = mapped.strip("_")
            out.append(mapped.capitalize() if ch.isupper() else mapped.lower())
    return "".join(out)


def typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word + rng.choice("aeiou")
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "swap", "replace", "insert"])
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    letter = rng.choice("abcdefghiklmnoprstuvy")
    return word[:i] + letter + word[i + (kind == "replace") :]


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fakers = {loc: Faker(loc) for loc in [*LATIN, "ru_RU", "uk_UA", "el_GR", "ja_JP"]}
        for number, faker in enumerate(self.fakers.values()):
            faker.seed_instance(seed * 100 + number)

    def person(self, locale: str | None = None) -> tuple[str, str]:
        faker = self.fakers[locale or self.rng.choice(LATIN)]
        return faker.first_name(), faker.last_name()

    def other(self, locale: str, person: tuple[str, str], part: int) -> tuple[str, str]:
        """Another person of the locale sharing the given (part 0) or family (1) name
        of `person`, the other name clearly different (not its first three letters)."""
        differ = person[1 - part].lower()[:3]
        while True:
            found = self.person(locale)
            if found[1 - part].lower()[:3] != differ:
                return (person[0], found[1]) if part == 0 else (found[0], person[1])


def person_positives(g: Generator, count: int) -> list[Pair]:
    rng, out = g.rng, []
    for n in range(count):
        kind = n % 9
        first, last = g.person()
        base = f"{first} {last}"
        if kind == 0:
            out.append((base, f"{first} {typo(rng, last)}", "Person", 1, "typo"))
        elif kind == 1:
            out.append((base, f"{last.upper()}, {first}", "Person", 1, "order"))
        elif kind == 2:
            out.append((base, f"{first[0]}. {last}", "Person", 1, "initial"))
        elif kind == 3:
            middle = g.person()[0]
            out.append((base, f"{first} {middle} {last}", "Person", 1, "middle_name"))
        elif kind in (4, 5):
            locale = "el_GR" if kind == 5 else rng.choice(["ru_RU", "uk_UA"])
            table = ELOT_GREEK if kind == 5 else ICAO_CYRILLIC
            first, last = g.person(locale)
            native = f"{first} {last}"
            out.append(
                (native, transliterate(native, table), "Person", 1, f"translit_{locale[:2]}")
            )
        elif kind == 6:
            kanji, kana, roman = g.fakers["ja_JP"].first_name_pair()
            lkanji, lkana, lroman = g.fakers["ja_JP"].last_name_pair()
            native = f"{lkanji} {kanji}" if n % 2 else f"{lkana} {kana}"
            out.append((native, f"{roman} {lroman}", "Person", 1, "japanese"))
        elif kind == 7:
            one, two = rng.sample(rng.choice(ARABIC_GIVEN), 2)  # two spellings of one name
            family = rng.choice(ARABIC_FAMILY)
            a, b = f"{one} {rng.choice(family)}", f"{two} {rng.choice(family)}"
            out.append((a, b, "Person", 1, "arabic_spelling"))
        else:
            out.append((base, base.upper().replace("-", " "), "Person", 1, "case_punct"))
    return out


def person_negatives(g: Generator, count: int) -> list[Pair]:
    rng, out = g.rng, []
    for n in range(count):
        kind = n % 5
        locale = rng.choice(LATIN)
        first, last = g.person(locale)
        if kind in (0, 1):
            other = g.other(locale, (first, last), 1 if kind == 0 else 0)
            category = "same_family_name" if kind == 0 else "same_given_name"
            out.append((f"{first} {last}", f"{other[0]} {other[1]}", "Person", 0, category))
        elif kind == 2:
            locale = rng.choice(["ru_RU", "uk_UA"])
            first, last = g.person(locale)
            other = g.other(locale, (first, last), 1)
            latin = transliterate(f"{other[0]} {other[1]}", ICAO_CYRILLIC)
            out.append((f"{first} {last}", latin, "Person", 0, "translit_other_person"))
        elif kind == 3:
            family = rng.choice(ARABIC_FAMILY)[0]
            one, two = rng.sample(ARABIC_GIVEN, 2)
            out.append(
                (f"{one[0]} {family}", f"{two[-1]} {family}", "Person", 0, "arabic_other_person")
            )
        else:
            other = g.person(locale)
            out.append((f"{first} {last}", f"{other[0]} {other[1]}", "Person", 0, "unrelated"))
    return out


def company_pairs(g: Generator, count: int) -> list[Pair]:
    rng, out = g.rng, []
    for n in range(count):
        kind = n % 6
        word = g.person()[1]
        short, long = rng.choice(list(LEGAL_FORMS.items()))
        business = rng.choice(BUSINESS)
        name = f"{word} {business} {short}"
        if kind == 0:
            out.append((name, f"{word} {business} {long}", "Company", 1, "legal_form"))
        elif kind == 1:
            out.append(
                (name, f"{word.upper()} {business.upper()}", "Company", 1, "legal_form_dropped")
            )
        elif kind == 2:
            out.append(
                (name, f"{typo(rng, word)} {business} {short}", "Company", 1, "company_typo")
            )
        elif kind == 3:
            other = rng.choice([b for b in BUSINESS if b != business])
            out.append((name, f"{word} {other} {short}", "Company", 0, "same_brand_other_business"))
        elif kind == 4:
            other = g.person()[1]
            out.append(
                (name, f"{other} {business} {short}", "Company", 0, "same_business_other_brand")
            )
        else:
            out.append(
                (name, f"{g.person()[1]} {rng.choice(BUSINESS)} {long}", "Company", 0, "unrelated")
            )
    return out


def quality_pairs(seed: int, size: int = 1260) -> list[Pair]:
    g = Generator(seed)
    return (
        person_positives(g, size * 4 // 10)
        + person_negatives(g, size * 3 // 10)
        + company_pairs(g, size * 3 // 10)
    )


MULTI_LOCALE = [
    *LATIN,
    "ru_RU",
    "uk_UA",
    "el_GR",
    "ar_AA",
    "fa_IR",
    "zh_CN",
    "ja_JP",
    "ko_KR",
    "hi_IN",
    "he_IL",
    "vi_VN",
    "th_TH",
]


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def synthetic(size: int, seed: int) -> list[object]:
    """Persons of many locales (a fifth with an alias, most with a birth date) and
    companies, as a list might hold them."""
    from openkyc.checks.aml.entity import Entity

    rng = random.Random(seed)
    fakers = [Faker(loc) for loc in MULTI_LOCALE]
    for n, faker in enumerate(fakers):
        faker.seed_instance(seed + n)
    out: list[object] = []
    for i in range(size):
        faker = fakers[i % len(fakers)]
        if i % 5 == 4:
            names: tuple[str, ...] = (faker.company(),)
            out.append(Entity(f"c{i}", "Company", names))
            continue
        names = (faker.name(),) if i % 5 else (faker.name(), faker.name())
        born = (f"{rng.randint(1930, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",)
        out.append(Entity(f"p{i}", "Person", names, born if i % 7 else ()))
    return out


def _subject_rows(app_id: str, count: int, seed: int, ctx: Any) -> dict[str, list[dict]]:
    """Approved, monitored AML steps of `count` applicants, with their reverse-index keys,
    as rows to insert (what the AML check writes for each, in bulk)."""
    from datetime import UTC, datetime

    from openkyc.checks.aml.keys import stored_keys
    from openkyc.checks.aml.match import Query
    from openkyc.checks.aml.text import analyze
    from openkyc.domain.aml.steps import hashed_key, subject_json

    now = datetime.now(UTC)
    rows: dict[str, list[Any]] = defaultdict(list)
    people = synthetic(count * 5 // 4, seed)
    for n, person in enumerate([e for e in people if e.schema == "Person"][:count]):
        step, session, applicant = f"t{n}", f"s{n}", f"a{n}"
        query = Query("Person", person.names[:1], person.birth_dates)
        rows["applicant"].append(
            {
                "id": applicant,
                "app_id": app_id,
                "kind": "person",
                "declared": None,
                "created_at": now,
            }
        )
        rows["session"].append(
            {
                "id": session,
                "app_id": app_id,
                "applicant_id": applicant,
                "alias": f"u{n}",
                "status": "APPROVED",
                "sandbox": False,
                "meta": {},
                "created_at": now,
                "updated_at": now,
            }
        )
        rows["step"].append(
            {
                "id": step,
                "app_id": app_id,
                "session_id": session,
                "position": 0,
                "type": "AML",
                "status": "APPROVED",
                "settings": {"monitoring": True},
                "evidence": {},
                "updated_at": now,
            }
        )
        blob = ctx.ports.crypto.encrypt_json(subject_json(query))
        rows["monitored"].append(
            {
                "step_id": step,
                "app_id": app_id,
                "applicant_id": applicant,
                "session_id": session,
                "subject": blob,
                "created_at": now,
            }
        )
        keys = stored_keys([analyze(person.names[0])], ())
        rows["keys"] += [{"step_id": step, "key": hashed_key(ctx, k)} for k in keys]
        rows["persons"].append(person)
    return rows


def monitored_database(folder: Path, monitored: int, changed: int, seed: int) -> tuple:
    """A SQLite database of `monitored` applicants under monitoring, and a list version
    of `changed` entities, a hundredth of them listing monitored applicants."""
    from sqlalchemy import insert

    from openkyc.bootstrap import build_system
    from openkyc.checks.aml.entity import Entity
    from openkyc.db.base import Base
    from openkyc.domain.app import service as apps
    from openkyc.models import Applicant, Session, Step
    from openkyc.models.aml import ListVersion, Monitored, MonitorKey
    from openkyc.settings import Settings

    settings = Settings(
        _env_file=None,
        database_url=f"sqlite:///{folder}/bench.db",  # type: ignore[call-arg]
        storage_url=f"file://{folder}/files",
        queue_url="memory://",
        email_url="memory://",
        sms_url="memory://",
        demo=False,
    )
    system = build_system(settings)
    Base.metadata.create_all(system.runtime.engine)
    with system.runtime.transaction() as ctx:
        app = apps.create_app(ctx, "bench", [{"type": "AML", "settings": {"monitoring": True}}])
        rows = _subject_rows(app.id, monitored, seed, ctx)
        for model, key in (
            (Applicant, "applicant"),
            (Session, "session"),
            (Step, "step"),
            (Monitored, "monitored"),
            (MonitorKey, "keys"),
        ):
            for start in range(0, len(rows[key]), 5000):
                ctx.db.execute(insert(model), rows[key][start : start + 5000])
        version = ListVersion(
            id="bench",
            dataset="bench",
            scope="",
            seq=1,
            source="ftm",
            published=None,
            file_sha256="-",
            entity_count=changed,
            added=changed,
            changed=0,
            removed=0,
            loaded_at=ctx.now,
        )
        ctx.db.add(version)
    entities = synthetic(changed, seed + 99)
    rng = random.Random(seed)
    for n in range(changed // 100):  # listed applicants: same name and birth date
        person = rng.choice(rows["persons"])
        entities[n * 100] = Entity(f"hit{n}", "Person", person.names[:1], person.birth_dates)  # type: ignore[attr-defined]
    return system, version, entities
