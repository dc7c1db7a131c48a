"""Evidence uploads: the kernel's one checker (``portal.uploads``), re-exported
for the complaint and inspection forms and serializers that import it here."""

from portal.uploads import ALLOWED, EVIDENCE, MAX_FILES, check_upload, limits_text

__all__ = ["ALLOWED", "EVIDENCE", "MAX_FILES", "check_upload", "limits_text"]
