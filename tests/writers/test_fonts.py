"""The PDF's typeface: static instances of the variable EB Garamond, made once and reused.

WeasyPrint instantiates a variable font for every PDF it writes; the print stylesheet
names static instances instead (pipeline/writers/fonts.py). These tests check that the
instances are real static fonts of every weight and style the stylesheet uses, that the
stylesheet names them, and that their names change with what they are made from.
"""

from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTFont

from pipeline.writers import fonts


def test_every_style_has_a_static_instance_of_every_weight() -> None:
    faces = fonts.print_faces()
    variable = {face.style: face.path for face in fonts.book_faces()}
    assert {(f.style, f.weight) for f in faces} == {(s, w) for s in variable for w in fonts.STATIC_WEIGHTS}
    for face in faces:
        with TTFont(face.path, lazy=True) as static, TTFont(variable[face.style], lazy=True) as source:
            assert "fvar" not in static and "gvar" not in static  # static: WeasyPrint has nothing to instantiate
            assert static["maxp"].numGlyphs == source["maxp"].numGlyphs  # every glyph kept: subsetting is WeasyPrint's
            assert static["OS/2"].usWeightClass == face.weight
            # dated as the font it was made from, not when it was made: the PDF embeds this table
            assert static["head"].modified == source["head"].modified


def test_the_stylesheet_names_each_instance_with_its_weight_and_style() -> None:
    css = fonts.font_face_css()
    for face in fonts.print_faces():
        rule = css.split(face.path.resolve().as_uri())[1].split("}")[0]
        assert f"font-style: {face.style};" in rule and f"font-weight: {face.weight};" in rule


def test_an_instance_is_named_by_what_it_is_made_from(tmp_path: Path) -> None:
    regular = next(f.path for f in fonts.book_faces() if f.style == "normal")
    names = {fonts.instance_path(regular, weight, tmp_path).name for weight in (400, 600)}
    assert len(names) == 2 and all(name.startswith("EBGaramond-") for name in names)
    changed = tmp_path / "EBGaramond[wght].ttf"
    changed.write_bytes(regular.read_bytes() + b"\0")
    assert fonts.instance_path(changed, 400, tmp_path) != fonts.instance_path(regular, 400, tmp_path)
