class PartConverter:
    """The parts of an edition the generic back-office views edit; nothing else matches,
    so apps can mount their own pages under /manage/<year>/."""

    regex = "directions|nominations|criteria"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
