"""The reviewed corrections: what the site's pages cannot tell the authority's builder.

Read with the data it corrects (``pipeline/data/authors.json``) and kept as small as the
site allows: a pen name's owner (the MIA files "E. Germain" under ``archive/mandel/``,
but nothing on the page says they are one man), a surname written first, a line that
reads like a name and is none. Each entry was checked against the MIA's author index or
glossary pages.
"""

from __future__ import annotations

# a spelling -> the key of the person who wrote under it
SAME_PERSON: dict[str, str] = {
    "J.R. Johnson": "james-clr",
    "J. R. Johnson": "james-clr",
    "W.F. Carlton": "james-clr",
    "E. Germain": "mandel",
    "Ernest Germain": "mandel",
    "William F. Warde": "novack",
    "Martin Harvey": "glaberman",
    "Li Fu-jen": "glass",
    "Harry Frankel": "braverman",
    "Ygael Gluckstein": "cliff",
    "Louis Fraina": "corey",
    "Natalia Sedova": "sedova-natalia",
    "Li-Fu-Jen": "glass",
    "Frank Graves": "glass",
    "Tchen Du Hsiu": "chen-duxiu",
    "Tchen Du-Siu": "chen-duxiu",
    "Chen Tu-Hsiu": "chen-duxiu",
    "Raya Dunavevskaya": "dunayevskaya",
    "Vere Gordon Child": "childe",
    "Palmitro Togliati": "togliatti",
    "Pantelis Pouliopolis": "pouliop",
    "Tan Malakka": "malaka",
    "Yuliy Osipovich Martov": "martov",
    "Michalis Raptis": "pablo",
    "Michel Raptis": "pablo",
    "F. Grandizo-Muniz": "munis",
    "Khristian Rakovsky": "rakovsky",
    "Klara Zetkin": "zetkin",
    "Daniel De Leon": "deleon",
    "Daniel Ben Said": "bensaid",
    "Paul Fröhlich": "froelich",
    "Paul Frölich": "froelich",
    "Max Hempel": "appel",
    "GilbertMcClatchie": "mcclatchie",
    "William D. Haywood": "haywood-b",
    "William F. Ward": "novack",
}

# key -> display name, where the pages' most common spelling is not the person's name
DISPLAY: dict[str, str] = {
    "glass": "Frank Glass",
    "marx": "Karl Marx",
    "hilferding": "Rudolf Hilferding",
    "bensaid": "Daniel Bensaïd",
    "broue": "Pierre Broué",
}

# key -> sort name, where the surname is not the last word
FILE_AS: dict[str, str] = {
    "chen-duxiu": "Chen Duxiu",
    "kim-il-sung": "Kim Il Sung",
    "peng": "Peng Shuzi",
    "sedova-natalia": "Sedova, Natalia",
    "malaka": "Tan Malaka",
}

# lines the pages put where an author goes, which name no person
NOT_PERSONS: frozenset[str] = frozenset(
    {
        "Revolutionary Socialism",
        "England For All",
        "GIK",
        "Section I",
        "Virtual Tour",
        "Main Cannon Index",
        "Further Reminiscences",
        "Native Son",
        "Splintered Sunrise",
        "Black Panthers",
        "Index Rósa Lúxembúrg",
        "Communistenbond Spartacus",
        "Gruppe Internationale Kommunisten",
        "Kommunistische Arbeiter-Partei Deutschlands",
        "La Permanenta Revolucio",
        "Brian Pearce Constant Reader",
        "Burnham John West",
        "Karl Radek Third",
        "Leon Trotsky Third",
        "Shqip, V. I. Lenin",
        "Shqip,Q. Stafa",
        "A.A.B., C.L.R. James",
        "Li Fu-jen, Frank Glass, Frank Graves",
        "Einde O",
        "II. Tercentenary",
        "Public Domain",
        "Quebec Series",
    }
)
