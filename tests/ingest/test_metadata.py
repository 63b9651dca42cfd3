"""Bylines, date lines and datelines found with their spans."""



def test_document_lines_found_with_their_spans():
    from assistant.ingest.metadata import dateline_place, find_byline, find_date_line, find_dateline

    text = "By Jane Q. Doe\n\nUpdated: 3 March 2024, 10:15 GMT\n\nNAIROBI, Kenya (AP) -- Rain fell on Monday."
    byline, date, dateline = find_byline(text), find_date_line(text), find_dateline(text)
    assert byline.value == "Jane Q. Doe" and text[byline.span.start:byline.span.end] == "By Jane Q. Doe"
    assert date.value == "3 March 2024"
    assert text[dateline.span.start:dateline.span.end] == "NAIROBI, Kenya (AP)"
    assert dateline_place(dateline.value) == "Nairobi, Kenya"
    assert find_dateline("The minister said on Monday -- in Paris -- that talks would resume.") is None
    assert find_byline("By the end of the year the talks will be over.") is None
