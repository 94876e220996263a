"""Reading a report's extra questions from a posted form, as the H5 form, the API and Open311
post them: `attribute[code]=value` (Open311's spelling), repeated for a list."""


def attributes_from_post(post) -> dict:
    """`attribute[code]=value` form fields, lists for repeated keys."""
    answers = {}
    for key in post:
        if key.startswith("attribute[") and key.endswith("]"):
            values = post.getlist(key)
            answers[key[10:-1]] = values if len(values) > 1 else values[0]
    return answers
