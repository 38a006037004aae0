"""The reviewed corrections: what the site's pages cannot tell the authority's builder.

Read by the command that writes the authority (``pipeline authors``, :mod:`.build`) and
by the resolution of author lines (:mod:`.resolve`), kept as small as the site allows: a pen name's owner (the MIA files "E. Germain" under ``archive/mandel/``,
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
    # checked against the page's own meta author, which names the real name beside the byline
    "Philip Coben": "draper",  # archive/draper/1948/morals: meta "Hal Draper, Philip Coben"
    "Rae Spiegel": "dunayevskaya",  # her name before 1938; meta "Raya Dunayevskaya, F. Forest, Rae Spiegel"
    "A.A.B.": "james-clr",  # archive/james-clr/1942-43 England reports: meta "J.R. Johnson, C.L.R. James, A.A.B."
    "Heinz Epe": "held-walter",  # Walter Held's own name; meta "Walter Held, Heinz Epe" on the pages signed "H.E."
    "G.E.": "munis",  # archive/munis/1944: meta "Grandizo Munis" on the page signed "G.E."
    "Constant Reader": "pearce",  # archive/pearce/1959: the column's name; meta "Brian Pearce: Constant Reader: ..."
    "John West": "burnham",  # archive/shachtma/1936: meta "Max Shachtman, John West, James Burnham"
}

# another spelling of a known person (a transliteration, a misspelling, an honorific):
# an alias, not a name the person wrote under; each seen on a page of the person's folder
ALIASES: dict[str, str] = {
    "A. Kollontay": "kollonta",
    "A. Losovsky": "lozovsky",
    "E. Preobraschenski": "preobrazhensky",
    "E. Preobrashenski": "preobrazhensky",
    "G. Tchicherin": "chicherin",
    "Georg Tchitcherin": "chicherin",
    "Ralph Milliband": "miliband",
    "W. Munzenberg": "muenzenberg",
    "Willi Münzenberg": "muenzenberg",
    "Willy Münzenberg": "muenzenberg",
    "M. Tukhachevsky": "tukachevsky",
    "Dr. Alex Bebler": "bebler",
    "Ales Bebler": "bebler",
    "Shachtman": "shachtma",
    "W. F. Warde": "novack",
    "E. Roy": "roy-evelyn",
    "Frederick Engels": "engels",
    "Friedrich Engels": "engels",
    "Rósa Lúxembúrg": "luxemburg",
    "J. V. Stalin": "stalin",
    "Eden Paul": "paul-eden",
    "Bill Haywood": "haywood-b",
}

# persons the site's author index has no folder for, or whose folder no page's author line
# names (archive/bebler, mella, lunachar: the name is in a paragraph the survey does not read)
PERSONS: dict[str, tuple[str, str]] = {
    "bebler": ("Aleš Bebler", "Bebler, Aleš"),
    "mella": ("Julio Antonio Mella", "Mella, Julio Antonio"),
    "lunachar": ("Anatoly Lunacharsky", "Lunacharsky, Anatoly"),
    "engels": ("Frederick Engels", "Engels, Frederick"),
    "luxemburg": ("Rosa Luxemburg", "Luxemburg, Rosa"),
    "stalin": ("Joseph Stalin", "Stalin, Joseph"),
    "paul-eden": ("Eden Paul", "Paul, Eden"),
    "burnham": ("James Burnham", "Burnham, James"),
    # one name only, as the pages sign: "Walter (IEC member, POS/SAP Belgium)", "Peck & Max Shachtman"
    "walter": ("Walter", "Walter"),
    "peck": ("Peck", "Peck"),
    "h-g": ("H.G.", "H.G."),  # archive/hansen/1945: "H.G./Joseph Hansen", two points of view, two writers
    # named where the survey does not read: meta only (history/ pages, a compiled chronology),
    # a table of six signatories (archive/bensaid/2005), a name with its year ("David Schaich 2001")
    "brian-baggins": ("Brian Baggins", "Baggins, Brian"),
    "david-schaich": ("David Schaich", "Schaich, David"),
    "fidel-castro": ("Fidel Castro", "Castro, Fidel"),
    "william-stodden": ("William Stodden", "Stodden, William"),
    "domenico-jervolino": ("Domenico Jervolino", "Jervolino, Domenico"),
    "francisco-fernandez-buey": ("Francisco Fernandez Buey", "Fernandez Buey, Francisco"),
    "stathis-kouvelakis": ("Stathis Kouvelakis", "Kouvelakis, Stathis"),
}

# a body the page names as the work's author (a party, a group, an agency): a corporate
# author, one record, its other spellings as aliases. The MIA files their documents under
# subject/ and history/, not under a writer's folder.
BODIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "gik": (
        "Group of International Communists",
        ("Gruppe Internationale Kommunisten", "GIK", "GIC", "Groep van Internationale Communisten"),
    ),
    "kapd": ("Kommunistische Arbeiter-Partei Deutschlands", ("KAPD", "Communist Workers Party of Germany")),
    "spartacusbond": ("Communistenbond Spartacus", ("Spartacusbond",)),
    "cia": ("Central Intelligence Agency", ("CIA",)),
}

# an author line whose shape cannot tell its people apart: its persons, as the page means them
LINES: dict[str, tuple[str, ...]] = {
    "Eden and Cedar Paul": ("Eden Paul", "Cedar Paul"),  # archive/paul: a couple, one surname
}

# lines in the author's place that name a periodical or a site section, not a writer: the
# work is unsigned (the master keeps the words, the library files no author for them)
PERIODICALS: frozenset[str] = frozenset(
    {
        "Times",  # archive/montefiore/1934: her obituary in The Times, not hers
        "International Council Correspondence",  # subject/left-wing: the council communists' journal
        "Splintered Sunrise",  # archive/harman: a blog's obituary of Harman, not his
    }
)

# key -> display name, where the pages' most common spelling is not the person's name
DISPLAY: dict[str, str] = {
    "glass": "Frank Glass",
    "marx": "Karl Marx",
    "hilferding": "Rudolf Hilferding",
    "bensaid": "Daniel Bensaïd",
    "broue": "Pierre Broué",
    "froelich": "Paul Froelich",
    "kollonta": "Alexandra Kollontai",
    "haywood-b": "Big Bill Haywood",
    "browder": "Earl Browder",  # the folder's spelling; "Frölich" and "Fröhlich" are its pages'
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
        "Section I",
        "Virtual Tour",
        "Main Cannon Index",
        "Further Reminiscences",
        "Native Son",
        "Black Panthers",
        "Index Rósa Lúxembúrg",
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
        # headings and titles in the author's place (checked on the pages of the 2021 copy)
        "Democracy",  # archive/burchett/1946: the book's title "Democracy with a Tommygun"
        "Survey",  # archive/harman/1970: the column's name
        "Northern Ireland",  # archive/harman/1974: the subject heading
        "TAXES EXPLAINED",  # archive/weisbord: the title
        "Marx Engels Correspondence",  # archive/marx/works/1884: the series
        "Marx-Engels Correspondence",
        "Missile Crisis",  # history/cuba: the breadcrumb's last part
        "Bigrafia de Ted Grant",  # espanol: a biography's title
        "Phil. Studies",  # a periodical's name above a title
        "T.U. Struggle",  # a column's name above a title
    }
)
