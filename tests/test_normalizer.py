from stance.text.normalize import normalize_text


def test_repeated_title_line_is_dropped_and_whitespace_folded():
    text = "Title here\r\n\r\nTitle here\n\n\n\nBody\u00a0 text  with   spaces. \n"
    assert normalize_text(text) == "Title here\n\nBody text with spaces."


def test_invisible_characters_are_removed():
    assert normalize_text("Ali\u200bbaba") == "Alibaba"


def test_empty_text_stays_empty():
    assert normalize_text(" \n\n ") == ""


def test_no_entity_crosses_a_line_break(actor_nlp):
    doc = actor_nlp("Luxury industry builds up forces against Ma Yun\n\nAlibaba, the online retailer, said no.")
    assert all("\n" not in span.text for span in doc.spans["actors"])
    assert all("\n" not in ent.text for ent in doc.ents)
    assert "Ma Yun" in [span.text for span in doc.spans["actors"]]
