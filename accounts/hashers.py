"""Bare bcrypt hashes (`$2b$12$…`) in users.password_hash, as the Node.js backend writes them.

Django's own BCryptPasswordHasher prefixes its hashes with "bcrypt$", which no other
backend understands. Django names a hash's hasher by the text before the first "$"; a
bare bcrypt hash begins with "$", so this hasher's algorithm is the empty string.
"""

import bcrypt
from django.conf import settings
from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_noop as _

# bcrypt reads at most 72 bytes; the other backends' libraries drop the rest silently,
# and bcrypt>=5 refuses longer input, so we cut at the same place.
BCRYPT_MAX_BYTES = 72


def _secret(password: str) -> bytes:
    return password.encode("utf-8")[:BCRYPT_MAX_BYTES]


class BcryptPasswordHasher(BasePasswordHasher):
    algorithm = ""

    @property
    def rounds(self) -> int:
        return settings.BCRYPT_ROUNDS

    def salt(self):
        return bcrypt.gensalt(self.rounds).decode("ascii")

    def encode(self, password, salt):
        return bcrypt.hashpw(_secret(password), salt.encode("ascii")).decode("ascii")

    def verify(self, password, encoded):
        try:
            candidate = bcrypt.hashpw(_secret(password), encoded.encode("ascii"))
        except ValueError:
            return False
        return constant_time_compare(candidate.decode("ascii"), encoded)

    def decode(self, encoded):
        _empty, variant, rounds, data = encoded.split("$", 3)
        return {"algorithm": f"bcrypt {variant}", "work_factor": int(rounds), "salt": data[:22], "checksum": data[22:]}

    def safe_summary(self, encoded):
        decoded = self.decode(encoded)
        return {
            _("algorithm"): decoded["algorithm"],
            _("work factor"): decoded["work_factor"],
            _("salt"): mask_hash(decoded["salt"]),
            _("checksum"): mask_hash(decoded["checksum"]),
        }

    def must_update(self, encoded):
        return self.decode(encoded)["work_factor"] < self.rounds

    def harden_runtime(self, password, encoded):
        # bcrypt's cost is in the hash itself; nothing to even out.
        pass
