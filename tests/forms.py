"""Reading an HTML form as a browser would submit it, for tests that post real forms."""

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    """The fields a browser would submit from one form: name -> list of values."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.in_form = False
        self.fields = {}
        self.select = None  # (name, multiple, [(value, selected)]) while inside a <select>
        self.option = None  # [attrs, text] while inside an <option>
        self.textarea = None  # [name, text] while inside a <textarea>

    def _wanted(self, form_id):
        if self.form_id is None:
            return form_id.endswith("_form")
        return form_id == self.form_id

    def add(self, name, value):
        self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = self._wanted(attrs.get("id") or "")
            return
        if not self.in_form:
            return
        if tag == "option" and self.select is not None:
            self.option = [attrs, ""]
            return
        name = attrs.get("name")
        if name is None or "disabled" in attrs:
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "reset", "image", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.add(name, attrs.get("value") or "on")
                return
            self.add(name, attrs.get("value") or "")
        elif tag == "select":
            self.select = (name, "multiple" in attrs, [])
        elif tag == "textarea":
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.option is not None:
            self.option[1] += data
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "option" and self.option is not None:
            self._end_option()
        elif tag == "select" and self.select is not None:
            if self.option is not None:
                self._end_option()
            name, multiple, options = self.select
            chosen = [value for value, selected in options if selected]
            if not multiple and not chosen and options:
                chosen = [options[0][0]]
            for value in chosen if multiple else chosen[-1:]:
                self.add(name, value)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # A browser drops the one newline that follows <textarea>.
            self.add(name, text.removeprefix("\r\n").removeprefix("\n"))
            self.textarea = None

    def _end_option(self):
        attrs, text = self.option
        value = attrs["value"] if "value" in attrs else text.strip()
        self.select[2].append((value or "", "selected" in attrs))
        self.option = None


def form_fields(html: str, form_id: str | None = None) -> dict[str, list[str]]:
    """Name -> values of the inputs, selects and textareas a browser would submit.

    The form is the one with id form_id, or by default the one whose id ends with "_form"
    (the admin's change form). Checkboxes and radios count only when checked; submit buttons
    and disabled fields never do.
    """
    parser = _FormFields(form_id)
    parser.feed(html)
    parser.close()
    return parser.fields
