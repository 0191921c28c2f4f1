"""Name matching and scoring: scripts, typos, initials, word order, legal forms, and the
supporting or contradicting evidence of birth dates, countries, gender and identifiers."""

from __future__ import annotations

import pytest

from openkyc.checks.aml.entity import make_entity
from openkyc.checks.aml.index import ScreeningIndex
from openkyc.checks.aml.match import THRESHOLD, Query, score, score_names


@pytest.mark.parametrize(
    ("listed", "written"),
    [
        ("Vladimir Putin", "Владимир Путин"),  # Cyrillic
        ("Ali Khamenei", "علی خامنه‌ای"),  # Arabic script (Persian)
        ("Kyriakos Mitsotakis", "Κυριάκος Μητσοτάκης"),  # Greek
        ("Xi Jinping", "习近平"),  # Han, pinyin
        ("Kim Jong Un", "김정은"),  # Hangul
        ("Yamaguchi Yoko", "やまぐち ようこ"),  # kana
    ],
)
def test_names_match_across_scripts(listed: str, written: str) -> None:
    assert score_names(listed, written) >= THRESHOLD
    assert score_names(written, listed) >= THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Saddam Hussein", "Saddam Husein"),  # a letter missing
        ("Mohammed bin Salman", "Muhammad ibn Salman"),  # spellings of one name
        ("Abdul Rahman Yasin", "Abdulrahman Yasin"),  # joined words
        ("V. Putin", "Vladimir Putin"),  # initial
        ("Putin Vladimir", "Vladimir Putin"),  # word order
        ("SARKOZY, Nicolas", "Nicolas Sarkozy"),  # list order with a comma
        ("Nicolas Sarkozy", "Nicolas Paul Stéphane Sarközy de Nagy-Bocsa"),  # a fuller name
    ],
)
def test_person_name_variants_match(a: str, b: str) -> None:
    assert score_names(a, b) >= THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Siemens AG", "Siemens Aktiengesellschaft"),
        ("Acme Holdings Ltd", "ACME HOLDING LIMITED"),
        ("Gazprom Neft PJSC", "Gazprom Neft Public Joint Stock Company"),
        ("Bank Melli Iran", "BANK MELLI IRAN"),
    ],
)
def test_company_legal_forms_do_not_stand_in_the_way(a: str, b: str) -> None:
    assert score_names(a, b, "Company") >= THRESHOLD


@pytest.mark.parametrize(
    ("a", "b", "schema"),
    [
        ("John Smith", "John Gruber", "Person"),
        ("Maria Gonzalez", "Mario Gomez", "Person"),
        ("Ali Hassan", "Ali Rahman", "Person"),
        ("Bank Melli Iran", "Bank Mellat", "Company"),
        ("Sberbank 2", "Sberbank 3", "Company"),
    ],
)
def test_different_names_do_not_match(a: str, b: str, schema: str) -> None:
    assert score_names(a, b, schema) < THRESHOLD


def person(name: str, born: str = "", country: str = "", **more: object) -> Query:
    return Query(
        schema="Person",
        names=(name,),
        birth_dates=(born,) if born else (),
        countries=(country,) if country else (),
        **more,  # type: ignore[arg-type]
    )


def listed(name: str, born: str = "", country: str = "", **more: object) -> object:
    return make_entity(
        id="x",
        schema="Person",
        names=[name],
        birth_dates=[born] if born else [],
        countries=[country] if country else [],
        **more,  # type: ignore[arg-type]
    )


def test_a_common_name_with_another_birth_date_does_not_alert() -> None:
    same = score(person("John Smith", "1985-02-03"), listed("John Smith", "1985-02-03"))
    other = score(person("John Smith", "1985-02-03"), listed("John Smith", "1950-07-01"))
    assert same.is_hit
    assert not other.is_hit
    assert other.features["birth_date"]["score"] < 0
    assert other.features["name"]["score"] < 1.0  # common words weigh less


def test_a_rare_exact_name_still_alerts_whatever_the_date() -> None:
    found = score(
        person("Kyriakos Mitsotakis", "1968-03-04"), listed("Kyriakos Mitsotakis", "1971-01-01")
    )
    assert found.is_hit


def test_partial_birth_dates_support_or_contradict() -> None:
    year = score(person("Ri Won Ho", "1964-07-17"), listed("Ri Won Ho", "1964"))
    assert year.features["birth_date"]["score"] == 0
    near = score(person("Ri Won Ho", "1964-07-17"), listed("Ri Won Ho", "1965"))
    assert near.features["birth_date"]["score"] < 0
    swapped = score(person("Ri Won Ho", "1964-07-08"), listed("Ri Won Ho", "1964-08-07"))
    assert swapped.features["birth_date"]["score"] > near.features["birth_date"]["score"]


def test_country_and_gender_qualify_the_name() -> None:
    base = score(person("Ri Won Ho"), listed("Ri Won Ho")).score
    agree = score(person("Ri Won Ho", country="kp"), listed("Ri Won Ho", country="kp"))
    differ = score(person("Ri Won Ho", country="fr"), listed("Ri Won Ho", country="kp"))
    assert agree.score >= base > differ.score
    woman = score(person("Ri Won Ho", gender="female"), listed("Ri Won Ho", gender="male"))
    assert woman.score < base and "gender" in woman.features


def test_a_shared_identifier_is_strong_evidence() -> None:
    query = person("Jon Smyth", identifiers=("AB 123-456",))
    found = score(query, listed("John Smith", identifiers=["AB123456"]))
    assert found.score >= 0.95 and "identifier" in found.features


def test_every_feature_is_explained() -> None:
    found = score(
        person("Vladimir Putin", "1952-10-07", "ru"), listed("Владимир Путин", "1952-10-07", "ru")
    )
    assert set(found.features) == {"name", "birth_date", "country"}
    assert "vladimir~vladimir" in found.features["name"]["detail"]
    assert all(set(f) == {"score", "detail"} for f in found.features.values())


def test_persons_and_companies_are_not_compared() -> None:
    company = make_entity(id="c", schema="Company", names=["John Smith"])
    assert score(person("John Smith"), company).score == 0


GIVEN = [
    "anna",
    "boris",
    "carla",
    "dmitri",
    "elena",
    "farid",
    "greta",
    "hugo",
    "irina",
    "jamal",
    "karin",
    "lars",
    "mikhail",
    "nadia",
    "oskar",
]
FAMILY = [
    "petrenko",
    "novak",
    "haddad",
    "lindqvist",
    "moreau",
    "kowalski",
    "brennan",
    "okafor",
    "tanaka",
    "rossi",
]


def test_the_index_finds_variants_among_many() -> None:
    names = [f"{g} {m} {f}" for g in GIVEN for m in GIVEN for f in FAMILY]  # 2,250 people
    entities = [make_entity(id=f"p{i}", schema="Person", names=[n]) for i, n in enumerate(names)]
    targets = [
        make_entity(
            id="putin",
            schema="Person",
            names=["Владимир Владимирович Путин"],
            birth_dates=["1952-10-07"],
        ),
        make_entity(id="xi", schema="Person", names=["习近平"]),
        make_entity(id="khamenei", schema="Person", names=["علی خامنه‌ای"]),
        make_entity(id="siemens", schema="Company", names=["Siemens Aktiengesellschaft"]),
        make_entity(id="passport", schema="Person", names=["Juan Perez"], identifiers=["X9876543"]),
    ]
    index = ScreeningIndex.build(entities + targets)
    cases = {
        "putin": Query("Person", ("Vladimir Putin",), ("1952-10-07",)),
        "xi": Query("Person", ("Jinping Xi",)),
        "khamenei": Query("Person", ("Ali Khamenei",)),
        "siemens": Query("Company", ("SIEMENS AG",)),
        "passport": Query("Person", ("J. Peres",), identifiers=("x 987 6543",)),
    }
    for expected, query in cases.items():
        results = index.search(query)
        assert results and results[0].entity.id == expected, (expected, results)
    assert index.search(Query("Person", ("Quentin Zabarovsky",))) == []
    typo = index.search(Query("Person", ("Mikhial Nadia Petrneko",)))
    assert typo[0].entity.names == ("mikhail nadia petrenko",)
