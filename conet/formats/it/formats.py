# Italian dates as Italians write them in a sentence: "4 maggio 2026", not Django's "04 Maggio 2026"
# (the month names are lowercase in conet/locale; see conet/core/months.py).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
