"""Integer ``in`` lookups that leave out numbers the column cannot hold.

Django already answers ``id=99999999999999999999`` with "no such row"; ``id__in=[...]``
sent the number to the database, which refused it with a server error. A form that
lists ids (Django's ModelMultipleChoiceField, in our pages and in the admin) filters
with ``__in``, so a forged id became a 500 instead of "not one of the choices".
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or (low is None or value >= low)
                and (high is None or value <= high)
            ]
        return super().process_rhs(compiler, connection)


def register_integer_in() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
