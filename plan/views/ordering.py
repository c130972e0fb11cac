"""A table's order from `?sort=`: only its own orderable columns, whatever else is asked."""


def order_from_request(table, request) -> None:
    # django-tables2 would read any other value as an accessor (and warn about dots in it).
    orderable = {column.name for column in table.columns if column.orderable}
    asked = [alias for value in request.GET.getlist("sort") for alias in value.split(",")]
    table.order_by = [alias for alias in asked if alias.removeprefix("-") in orderable]
