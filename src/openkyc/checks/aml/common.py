"""How common a name word is, so that sharing 'Mohammed' or 'Smith' proves little.

The built-in list holds the most frequent given and family names of the languages lists
are written in (compiled for openkyc from public census and civil-registry frequency
tables); a loaded list index adds its own word frequencies on top (see index.py).
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


COMMON_WORDS = _words(
    """
    mohammed mohammad muhammad mohamed mohamad muhammed ahmed ahmad ali hassan hussein
    husain hossein hosseini abdul abdullah abdallah abdel abd abu omar umar ibrahim khalid
    mahmoud mustafa mostafa yusuf youssef yousef ismail hamid rahman karim aziz said saeed
    salem saleh nasser amir reza mehdi jafar fatima fatemeh aisha khan shah malik hamza bilal
    ibn bin bint binti al el
    john james robert michael william david richard joseph thomas charles christopher daniel
    matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george edward
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa
    smith johnson williams brown jones miller davis wilson anderson taylor moore jackson
    white harris martin thompson martinez robinson clark lewis lee walker hall allen young
    king wright scott green baker adams nelson hill campbell mitchell roberts carter
    jose juan luis carlos antonio manuel francisco javier miguel pedro maria ana carmen
    garcia fernandez gonzalez rodriguez lopez sanchez perez gomez diaz hernandez ruiz
    alvarez jimenez moreno romero alonso gutierrez torres dominguez ramirez flores
    jean pierre michel philippe alain nicolas marie francoise bernard dubois thomas
    petit durand leroy moreau simon laurent lefebvre
    hans peter klaus wolfgang jurgen michael thomas muller mueller schmidt schneider
    fischer weber meyer wagner becker schulz hoffmann
    giuseppe giovanni francesco rossi russo ferrari esposito bianchi romano colombo
    alexander aleksandr alexandr sergei sergey vladimir dmitry dmitri andrei andrey
    alexei aleksei nikolai ivan mikhail igor yuri oleg olga elena tatiana natalia irina
    ivanov ivanova smirnov smirnova kuznetsov kuznetsova popov popova petrov petrova
    sokolov sokolova volkov vasiliev fedorov morozov novikov kozlov lebedev
    wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo
    wei ming jun hui jian hong ying lei yan ping
    kim lee park choi jung kang cho yoon jang lim han oh
    nguyen tran le pham hoang phan vu dang bui do ngo duong ly
    kumar singh sharma patel gupta shah devi lal ram khan das rao reddy
    sato suzuki takahashi tanaka watanabe ito yamamoto nakamura kobayashi
    silva santos oliveira souza pereira costa ferreira rodrigues almeida
    yilmaz kaya demir sahin celik yildiz
    cohen levi
    """
)

# Words that link or qualify name parts rather than identify anyone.
PARTICLES = _words(
    "bin ibn bint binti ben al el abu abd de da di del della der den van von le la du dos das"
    " y e zu ter mac mc st"
)

# Words of company names that say what kind of business it is rather than which one.
ORG_GENERIC = _words(
    "company co corporation corp group holding holdings international intl trading industries"
    " industry enterprise enterprises services global partners ventures the and of for"
)

# One spelling for the generic words rigour's legal forms leave in a company name.
ORG_SYNONYMS = {
    "corporation": "corp",
    "company": "co",
    "incorporated": "inc",
    "limited": "ltd",
    "international": "intl",
    "holdings": "holding",
}


def builtin_commonness(token: str) -> float:
    return 1.0 if token in COMMON_WORDS else 0.0
