"""gunicorn reads this file from the working directory (the Procfile, the README's commands
and tests/servers.py all start gunicorn from the repository root); command-line options
still win over it."""
import gc


def post_worker_init(worker):
    """The app is loaded in this worker: ~200,000 objects (questionnaire definitions,
    mappers, translations) that live as long as it does. Freezing them keeps the garbage
    collector's full passes from walking them again and again while requests run (measured:
    ~15 % of a section page's CPU). Garbage from loading is collected first, not frozen."""
    gc.collect()
    gc.freeze()
