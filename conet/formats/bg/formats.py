# Bulgarian dates without a padded day, "4 май 2026" (month names lowercase in conet/locale), and
# times on the 24-hour clock as Bulgarians write them, not Django's "Фев. 4, 2011, 9:05 преди обяд".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
