"""The test settings with one more language, to see what adding one takes."""

from tests.settings import *  # noqa: F403
from tests.settings import LANGUAGES

LANGUAGES = [*LANGUAGES, ("sk", "Slovak")]
